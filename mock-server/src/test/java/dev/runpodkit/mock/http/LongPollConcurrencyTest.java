package dev.runpodkit.mock.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Long polls do not hold threads: 1,000 requests that the mock holds (/runsync, /status-sync, /stream) are
 * parked on a frozen clock at the same time, while the JVM's live threads stay far below 1,000; then the clock
 * is advanced and every one of them gets its own, correct answer.
 */
class LongPollConcurrencyTest {

    private static final String KEY = "test-key";
    private static final String EP = "test-endpoint";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final int RUNSYNC = 334;
    private static final int STATUS_SYNC = 333;
    private static final int STREAM = 333;
    private static final int HELD = RUNSYNC + STATUS_SYNC + STREAM;
    private static final int BATCH = 50;
    /**
     * Threads this test may add to the JVM: far below one per held request. While 1,000 requests are held the mock
     * and the client add about 50 (Jetty's pool, the clock, the client's 4); answering them all peaks near 80. Counted
     * from the threads alive when the test starts, so threads other test classes left in the same JVM (idle client
     * pools, for one) do not count against it.
     */
    private static final int THREADS_ADDED_LIMIT = 150;

    private static void awaitTimers(MockServer mock, int expected, int before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (mock.clock().pendingTimers() < expected) {
            assertTrue(System.nanoTime() < deadline, "only " + (mock.clock().pendingTimers() - before) + " of "
                    + (expected - before) + " hold timers were scheduled: requests were not parked");
            Thread.sleep(2);
        }
    }

    /** A held request: what it was, and what a correct answer looks like. */
    private record Held(String what, CompletableFuture<HttpResponse<String>> answer, Consumer<JsonNode> check) { }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aThousandHeldRequestsShareAFewThreadsAndAllGetTheirAnswer() throws Exception {
        Settings settings = new Settings();
        settings.port = 0;
        settings.requestLog = false;
        settings.clockFrozen = true;
        settings.apiKeys = new ArrayList<>(List.of(KEY));
        settings.endpoints = new ArrayList<>(List.of(EP));
        ExecutorService clientThreads = Executors.newFixedThreadPool(4);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        try (MockServer mock = MockServer.start(settings)) {
            HttpClient client = HttpClient.newBuilder().executor(clientThreads).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            String base = mock.baseUrl() + "/v2/" + EP;

            // the two jobs the status-sync and stream requests wait for take both workers, for 5 s of mock time;
            // the runsync jobs queue behind them and run once time moves
            String statusJob = JSON.readTree(send(client, "POST", base + "/run",
                    "{\"input\": {\"mock_return\": \"status-sync answer\", \"mock_delay\": 5}}").join().body()).get("id").asString();
            String streamJob = JSON.readTree(send(client, "POST", base + "/run",
                    "{\"input\": {\"mock_return\": \"stream answer\", \"mock_delay\": 5}}").join().body()).get("id").asString();
            int timersBefore = mock.clock().pendingTimers();
            threads.resetPeakThreadCount();

            // the requests go out in batches of 50, each once the one before is parked: the pool threads
            // that read a request are back in the pool before the next batch comes, so the thread count shows
            // what the held requests themselves take
            List<Held> held = new ArrayList<>(HELD);
            int expectedTimers = timersBefore;
            for (int i = 0; i < HELD; i++) {
                int n = i;
                if (i < RUNSYNC) {
                    held.add(new Held("runsync #" + n, send(client, "POST", base + "/runsync",
                            "{\"input\": {\"mock_return\": {\"n\": " + n + "}}}"), body -> {
                                assertEquals("COMPLETED", body.get("status").asString(), body.toString());
                                assertEquals(n, body.get("output").get("n").asInt(), body.toString());
                            }));
                    expectedTimers += 2; // the job's ttl and the hold
                } else if (i < RUNSYNC + STATUS_SYNC) {
                    held.add(new Held("status-sync #" + n, send(client, n % 2 == 0 ? "GET" : "POST",
                            base + "/status-sync/" + statusJob + "?wait=60000", null), body -> {
                                assertEquals(statusJob, body.get("id").asString(), body.toString());
                                assertEquals("COMPLETED", body.get("status").asString(), body.toString());
                                assertEquals("status-sync answer", body.get("output").asString(), body.toString());
                            }));
                    expectedTimers += 1; // the hold
                } else {
                    held.add(new Held("stream #" + n, send(client, n % 2 == 0 ? "GET" : "POST",
                            base + "/stream/" + streamJob + "?wait=60000", null), body -> {
                                assertEquals(streamJob, body.get("id").asString(), body.toString());
                                assertEquals("COMPLETED", body.get("status").asString(), body.toString());
                                assertTrue(body.get("stream").isArray() && body.get("stream").isEmpty(), body.toString());
                            }));
                    expectedTimers += 1; // the hold
                }
                if ((i + 1) % BATCH == 0 || i + 1 == HELD) {
                    awaitTimers(mock, expectedTimers, timersBefore);
                }
            }
            Thread.sleep(200);
            for (Held h : held) {
                assertFalse(h.answer().isDone(), h.what() + " was answered before the clock moved: " + describe(h));
            }
            int liveWhileHeld = threads.getThreadCount();
            assertTrue(liveWhileHeld - before < THREADS_ADDED_LIMIT, HELD + " requests are held, and the JVM has "
                    + liveWhileHeld + " live threads, " + before + " of them from before the test: " + threadNames());

            mock.clock().advance(10_000);

            for (Held h : held) {
                HttpResponse<String> r = h.answer().get(20, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode(), h.what() + ": " + r.body());
                h.check().accept(JSON.readTree(r.body()));
            }
            int peak = threads.getPeakThreadCount();
            assertTrue(peak - before < THREADS_ADDED_LIMIT, "the JVM peaked at " + peak + " live threads (" + before
                    + " from before the test) while serving " + HELD + " held requests");
        } finally {
            clientThreads.shutdownNow();
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(HttpClient client, String method, String url, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Live threads by name, digits dropped ("qtp123-45" counts as "qtp-"): what to look at when the limit is hit. */
    private static java.util.Map<String, Long> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
                t -> t.getName().replaceAll("[0-9]+", ""), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static String describe(Held h) {
        HttpResponse<String> r = h.answer().getNow(null);
        return r == null ? "(failed)" : r.statusCode() + " " + r.body();
    }
}
