package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.runpodkit.mock.http.HttpServer;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

/** The bare Javalin ceiling is tuned as the mock is, or the benchmark's ratio would compare two setups. */
class CeilingSettingsTest {

    @Test
    void theCeilingTakesTheMocksSpeedSettings() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Javalin ceiling = BareJavalin.create("k", body, body, body);
        assertEquals(HttpServer.RESPONSE_COPY_BUFFER_BYTES, ceiling.unsafe.http.responseBufferSize);
        ceiling.start("127.0.0.1", 0);
        try {
            ServletContextHandler context = ceiling.jettyServer().server().getDescendant(ServletContextHandler.class);
            assertInstanceOf(HttpServer.NoSessions.class, context.getSessionHandler());
        } finally {
            ceiling.stop();
        }
    }
}
