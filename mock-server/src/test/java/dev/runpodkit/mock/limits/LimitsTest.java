package dev.runpodkit.mock.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Payload limits (read with a bound, never whole) and the documented rate and concurrency limits, on the mock's clock. */
@org.junit.jupiter.api.Timeout(120)
class LimitsTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private MockServer mock;

    private MockServer start(boolean frozen) {
        return start(frozen, s -> { });
    }

    private MockServer start(boolean frozen, java.util.function.Consumer<Settings> tweak) {
        Settings s = new Settings();
        s.port = 0;
        s.requestLog = false;
        s.clockFrozen = frozen;
        tweak.accept(s);
        mock = MockServer.start(s);
        return mock;
    }

    @AfterEach
    void stop() {
        if (mock != null) {
            mock.close();
        }
    }

    private HttpResponse<String> post(String op, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/" + op))
                .header("Authorization", "test-key").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code n} /run requests with this body, all sent before any answer is awaited. */
    private List<CompletableFuture<HttpResponse<String>>> runBurst(int n, String body) {
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            burst.add(http.sendAsync(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/run"))
                    .header("Authorization", "test-key").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        return burst;
    }

    private static String bodyOfSize(int bytes) {
        String head = "{\"input\": {\"mock_return\": \"ok\", \"pad\": \"";
        String tail = "\"}}";
        return head + "a".repeat(bytes - head.length() - tail.length()) + tail;
    }

    @Test
    void runBodiesOver10MbAreRefusedWithAJsonErrorNamingTheLimit() throws Exception {
        start(false);
        HttpResponse<String> r = post("run", bodyOfSize(10 * 1024 * 1024 + 1));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().startsWith("{\"error\":") && r.body().contains("10485760"), r.body());
        assertEquals(200, post("run", bodyOfSize(10 * 1024 * 1024 - 1024)).statusCode(), "just under the limit");
    }

    @Test
    void runsyncAcceptsUpTo20Mb() throws Exception {
        start(false);
        assertEquals(200, post("runsync", bodyOfSize(15 * 1024 * 1024)).statusCode());
        HttpResponse<String> r = post("runsync", bodyOfSize(20 * 1024 * 1024 + 1));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("20971520"), r.body());
    }

    @Test
    void anEndlessChunkedBodyIsCutOffNearTheLimit() throws Exception {
        start(false);
        long sent = 0;
        String answer;
        try (Socket socket = new Socket("127.0.0.1", mock.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v2/test-endpoint/run HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'a');
            byte[] header = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                while (sent < 300L * 1024 * 1024) {
                    out.write(header);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    sent += chunk.length;
                }
            } catch (java.io.IOException stopped) {
                // the server answered and closed: what we want
            }
            InputStream in = socket.getInputStream();
            answer = new String(in.readNBytes(400), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.contains("\"error\""), answer);
        // the server drains (and drops) at most 64 MB so ordinary clients see the 400, then hangs up
        assertTrue(sent < 100L * 1024 * 1024, "the server kept reading: the client sent " + sent / (1024 * 1024) + " MB");
    }

    @Test
    void aThirdPurgeInsideTenSecondsGets429WithRetryAfterAndTheWindowRecoversOnTheClock() throws Exception {
        start(true);
        assertEquals(200, post("purge-queue", "").statusCode());
        assertEquals(200, post("purge-queue", "{}").statusCode());
        HttpResponse<String> refused = post("purge-queue", "");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().startsWith("{\"error\":"), refused.body());
        String retryAfter = refused.headers().firstValue("Retry-After").orElse(null);
        assertNotNull(retryAfter);
        assertEquals(10, Integer.parseInt(retryAfter));
        mock.clock().advance(9_999);
        assertEquals(429, post("purge-queue", "").statusCode(), "the window has not passed yet");
        mock.clock().advance(1);
        assertEquals(200, post("purge-queue", "").statusCode(), "the window has passed on the mock's clock");
    }

    @Test
    void a1001stRunInsideTheWindowGets429() throws Exception {
        start(true);
        // an invalid body still counts: the limit is on requests, checked before the body is read
        // in batches of 100: /run also allows only 200 requests in flight
        for (int batch = 0; batch < 10; batch++) {
            for (CompletableFuture<HttpResponse<String>> f : runBurst(100, "{}")) {
                assertEquals(400, f.get().statusCode(), "within the limit");
            }
        }
        assertEquals(429, post("run", "{\"input\": {}}").statusCode());
    }

    @Test
    void theQueueSizeRuleRefusesSubmissionsWhileTheQueueIsOverWorkersMaxTimes500() throws Exception {
        start(true, s -> {
            s.rateLimitRule = Settings.RateLimitRule.QUEUE_SIZE;
            s.workersMin = 1;
            s.workersMax = 1;
        });
        assertEquals(200, post("run", "{\"input\": {\"mock_delay\": 1000}}").statusCode(), "runs on the only worker");
        for (int batch = 0; batch < 5; batch++) {
            for (CompletableFuture<HttpResponse<String>> f : runBurst(100, "{\"input\": {}}")) {
                assertEquals(200, f.get().statusCode(), "accepted while the queue is within the bound");
            }
        }
        assertEquals(200, post("run", "{\"input\": {}}").statusCode(), "500 queued is not over 500");
        HttpResponse<String> refused = post("run", "{\"input\": {}}");
        assertEquals(429, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("501"), refused.body());
        assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        assertEquals(429, post("runsync", "{\"input\": {}}").statusCode());
        assertEquals(200, post("purge-queue", "").statusCode(), "other operations are not limited by this rule");
        assertEquals(200, post("run", "{\"input\": {}}").statusCode(), "an emptied queue takes jobs again");
    }

    @Test
    void heldRunsyncRequestsCountAgainstTheConcurrencyLimitUntilAnswered() throws Exception {
        start(true);
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            held.add(http.sendAsync(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/runsync"))
                    .header("Authorization", "test-key").POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"mock_delay\": 5}}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        int inQueueOrRunning = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/health"))
                    .header("Authorization", "test-key").build(), HttpResponse.BodyHandlers.ofString());
            String body = h.body();
            int inQueue = Integer.parseInt(body.replaceAll(".*\"inQueue\":(\\d+).*", "$1"));
            int inProgress = Integer.parseInt(body.replaceAll(".*\"inProgress\":(\\d+).*", "$1"));
            inQueueOrRunning = inQueue + inProgress;
            if (inQueueOrRunning == 400) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals(400, inQueueOrRunning, "all 400 runsync requests are held");
        HttpResponse<String> refused = post("runsync", "{\"input\": {}}");
        assertEquals(429, refused.statusCode(), refused.body());
        mock.clock().advance(300_000);
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertEquals(200, f.get().statusCode());
        }
        mock.clock().advance(10_000);
        CompletableFuture<HttpResponse<String>> after = http.sendAsync(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/runsync"))
                .header("Authorization", "test-key").POST(HttpRequest.BodyPublishers.ofString("{\"input\": {}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        // the job runs when the frozen clock moves; keep nudging it until the answer is in
        while (!after.isDone()) {
            mock.clock().advance(1_000);
            Thread.sleep(10);
        }
        assertEquals(200, after.get().statusCode(), "answered requests no longer count");
    }
}
