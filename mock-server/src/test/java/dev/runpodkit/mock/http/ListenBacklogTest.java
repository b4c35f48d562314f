package dev.runpodkit.mock.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import io.javalin.Javalin;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The listen backlog")
class ListenBacklogTest {

    @Test
    @DisplayName("the mock's connector asks the kernel for a backlog of 1024 connections, not the JDK's 50")
    void theMocksConnectorHasTheLargerBacklog() {
        Settings s = new Settings();
        s.port = 0;
        s.requestLog = false;
        try (MockServer mock = MockServer.start(s)) {
            assertEquals(List.of(HttpServer.ACCEPT_QUEUE_SIZE), mock.acceptQueueSizes());
        }
    }

    @Test
    @DisplayName("any Javalin tuned as the mock is (the benchmark's ceiling) gets the same backlog")
    void aTunedJavalinGetsItToo() {
        Javalin app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            HttpServer.tune(c);
        }).start("127.0.0.1", 0);
        try {
            assertEquals(List.of(HttpServer.ACCEPT_QUEUE_SIZE), Arrays.stream(app.jettyServer().server().getConnectors())
                    .map(c -> ((ServerConnector) c).getAcceptQueueSize()).toList());
        } finally {
            app.stop();
        }
    }
}
