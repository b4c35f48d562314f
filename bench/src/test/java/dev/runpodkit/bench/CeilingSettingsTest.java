package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.mock.http.HttpServer;
import org.junit.jupiter.api.Test;

/** The bare Javalin ceiling is tuned as the mock is, or the benchmark's ratio would compare two setups. */
class CeilingSettingsTest {

    @Test
    void theCeilingCopiesResponsesThroughTheMocksBufferSize() {
        assertEquals(HttpServer.RESPONSE_COPY_BUFFER_BYTES, BareJavalin.RESPONSE_COPY_BUFFER_BYTES);
    }
}
