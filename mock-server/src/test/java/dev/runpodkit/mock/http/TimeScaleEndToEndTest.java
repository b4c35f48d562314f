package dev.runpodkit.mock.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.config.SettingsParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code --time-scale} end to end: the flag as Main parses it, a server on port 0, plain HTTP. At scale 100 a
 * 10 s mock_delay job ends in about 0.1 s of wall time; the test only asserts "well under 10 s".
 */
class TimeScaleEndToEndTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode call(String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer test-key").header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), method + " " + url + " -> " + r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void aTenSecondJobAtScale100EndsInWellUnderTenSecondsOfWallTime() throws Exception {
        Settings s = SettingsParser.parse(new String[] {"--time-scale", "100", "--port", "0", "--quiet"}, Map.of());
        try (MockServer mock = MockServer.start(s)) {
            String base = mock.baseUrl();
            assertEquals(100.0, call("GET", base + "/__admin/clock", null).get("scale").asDouble());

            long start = System.nanoTime();
            String id = call("POST", base + "/v2/test-endpoint/run", "{\"input\": {\"mock_delay\": 10, \"mock_return\": \"done\"}}")
                    .get("id").asString();
            JsonNode status;
            long deadline = start + Duration.ofSeconds(8).toNanos(); // bounded: a wall-speed clock would need 10 s
            do {
                Thread.sleep(10);
                status = call("GET", base + "/v2/test-endpoint/status/" + id, null);
            } while (!"COMPLETED".equals(status.get("status").asString()) && System.nanoTime() < deadline);
            long wallMs = (System.nanoTime() - start) / 1_000_000;

            assertEquals("COMPLETED", status.get("status").asString(), "not done after " + wallMs + " ms of wall time: " + status);
            assertTrue(wallMs < 8_000, "took " + wallMs + " ms of wall time");
            assertTrue(status.get("executionTime").asLong() >= 10_000,
                    "executionTime is mock time, so it still reads 10 s: " + status);
        }
    }
}
