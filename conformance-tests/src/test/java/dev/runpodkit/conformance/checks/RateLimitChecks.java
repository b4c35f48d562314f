package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rate limits (docs:send-requests "Rate limits"; DEC-029). Against the mock the clock is frozen while a burst
 * fills a window, so the burst's own duration cannot spread it over two windows; afterwards the clock moves
 * past the window so no other check meets a full one. Against a real endpoint only the cheap /purge-queue
 * bursts run, in the full tier (they empty the endpoint's queue), each waiting out a window (11 s of real time)
 * before and after itself.
 */
@ConformanceCheck
@Spend(Spend.Tier.FULL)
@DisplayName("Rate limits")
class RateLimitChecks {

    private static final long WINDOW_MS = 10_000;

    /**
     * Runs {@code burst} in a window of its own, with the mock's clock frozen (when there is a mock), then lets the
     * window pass. Before and after, a whole window passes on any target: on the mock its clock is moved; elsewhere
     * the check waits it out in real time, or the requests of the checks before it (another burst, a purge) would
     * still count and the burst's first request would get 429, and the request after it would meet a full window.
     */
    private static void inOneWindow(Target target, Runnable burst) {
        MockAdmin admin = target.hasAdmin() ? new MockAdmin(target) : null;
        // start from an empty window: earlier requests of other checks must not count
        TargetTime.pass(target, WINDOW_MS + 1_000);
        if (admin != null) {
            admin.freeze();
        }
        try {
            burst.run();
        } finally {
            if (admin != null) {
                admin.resume();
            }
            TargetTime.pass(target, WINDOW_MS + 1_000);
        }
    }

    /**
     * Requests a burst keeps open at once: fewer than the smallest documented concurrency limit (/cancel: 20 in
     * flight), so the burst meets only the per-window count it is about (RATE-004 holds requests for the concurrency
     * limit), and no more connections at once than a server's listen backlog takes without dropping some.
     */
    static final int BURST_IN_FLIGHT = 16;

    /**
     * Sends {@code count} requests as fast as {@link #BURST_IN_FLIGHT} open at a time allow (outside the schema filter:
     * these are load, not checks), and returns their statuses in the order sent.
     */
    private static List<Integer> fire(Target target, int count, Supplier<HttpRequest.Builder> request) {
        HttpClient client = HttpClient.newHttpClient();
        Semaphore open = new Semaphore(BURST_IN_FLIGHT);
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            open.acquireUninterruptibly();
            CompletableFuture<HttpResponse<Void>> f = client.sendAsync(
                    request.get().header("Authorization", "Bearer " + target.apiKey()).build(),
                    HttpResponse.BodyHandlers.discarding());
            f.whenComplete((r, e) -> open.release());
            sent.add(f);
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<Void>> f : sent) {
            statuses.add(f.join().statusCode());
        }
        return statuses;
    }

    @Test
    @Requirement({"RATE-001", "RATE-002"})
    @CaughtBy({"rate-limits-off", "rate-no-retry-after"})
    @DisplayName("a third /purge-queue inside 10 s gets 429 with a JSON error and Retry-After")
    void purgeQueueBurstGets429WithRetryAfter(Target target) {
        inOneWindow(target, () -> {
            List<Integer> statuses = new ArrayList<>();
            Response last = null;
            for (int i = 0; i < 3; i++) {
                last = target.given().post(target.url("purge-queue"));
                statuses.add(last.statusCode());
            }
            assertEquals(List.of(200, 200, 429), statuses, "/purge-queue allows 2 per 10 s");
            assertTrue(last.jsonPath().getString("error") != null, "429 without a JSON error");
            String retryAfter = last.header("Retry-After");
            assertNotNull(retryAfter, "429 without Retry-After");
            long seconds = Long.parseLong(retryAfter.trim());
            assertTrue(seconds >= 1 && seconds <= 10, "Retry-After " + seconds + " s for a 10 s window");
        });
    }

    @Test
    @Requirement("RATE-001")
    @CaughtBy("rate-window-stuck")
    @DisplayName("after the window passes, /purge-queue is allowed again")
    void theRateRecoversAfterTheWindow(Target target) {
        inOneWindow(target, () -> {
            for (int i = 0; i < 3; i++) {
                target.given().post(target.url("purge-queue"));
            }
        });
        Response again = target.given().post(target.url("purge-queue"));
        assertEquals(200, again.statusCode(), "the window has passed: " + again.asString());
    }

    @Test
    @NeedsAdmin
    @Requirement("RATE-003")
    @CaughtBy("rate-limits-off")
    @DisplayName("each operation allows its documented number of requests per 10 s, and no more")
    void everyOperationHasItsDocumentedRate(Target target) {
        String unknown = "no-such-job-" + System.nanoTime();
        // invalid or unknown requests still count: the limit is on requests
        Map<String, Integer> limits = Map.of("run", 1000, "runsync", 2000, "status/" + unknown, 2000,
                "stream/" + unknown, 2000, "cancel/" + unknown, 100);
        inOneWindow(target, () -> {
            for (Map.Entry<String, Integer> e : limits.entrySet()) {
                String op = e.getKey();
                boolean post = !op.startsWith("status") && !op.startsWith("stream");
                List<Integer> statuses = fire(target, e.getValue(), () -> post
                        ? HttpRequest.newBuilder(URI.create(target.url(op))).POST(HttpRequest.BodyPublishers.ofString("{}"))
                        : HttpRequest.newBuilder(URI.create(target.url(op))).GET());
                assertTrue(statuses.stream().noneMatch(s -> s == 429), "/" + op + " refused a request within its limit of " + e.getValue());
                Response over = post ? target.given().body("{}").post(target.url(op)) : target.given().get(target.url(op + "?wait=0"));
                assertEquals(429, over.statusCode(), "request " + (e.getValue() + 1) + " to /" + op + " inside 10 s");
            }
        });
    }

    @Test
    @NeedsAdmin
    @NeedsMockWorker
    @Requirement("RATE-004")
    @CaughtBy("rate-limits-off")
    @DisplayName("400 held /runsync requests are the limit: the 401st gets 429")
    void runsyncHasAConcurrencyLimitOf400(Target target) {
        MockAdmin admin = new MockAdmin(target);
        admin.freeze();
        HttpClient client = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Void>>> held = new ArrayList<>();
        try {
            for (int i = 0; i < 400; i++) {
                held.add(client.sendAsync(HttpRequest.newBuilder(URI.create(target.url("runsync?wait=300000")))
                        .header("Authorization", "Bearer " + target.apiKey())
                        .POST(HttpRequest.BodyPublishers.ofString("{\"input\": {\"mock_return\": \"held\"}}")).build(),
                        HttpResponse.BodyHandlers.discarding()));
            }
            Jobs.awaitQueued(target, 400, 60_000);
            // a 429 comes at once; a server that takes the 401st holds it on the frozen clock for good, so the
            // answer is waited for a few seconds only (the self-test's run against rate-limits-off waited 50 s here)
            Response over;
            try {
                over = target.given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                                .setParam("http.connection.timeout", 10_000).setParam("http.socket.timeout", 5_000)))
                        .body("{\"input\": {\"mock_return\": \"one too many\"}}").post(target.url("runsync"));
            } catch (Exception e) { // REST Assured throws the client's SocketTimeoutException undeclared
                if (!(e instanceof java.net.SocketTimeoutException) && !(e.getCause() instanceof java.net.SocketTimeoutException)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                throw new AssertionError("the 401st held /runsync was taken and held (no answer within 5 s), not refused with 429");
            }
            assertEquals(429, over.statusCode(), "the 401st held /runsync: " + over.asString());
        } finally {
            admin.resume();
            TargetTime.pass(target, 300_000);
            held.forEach(CompletableFuture::join);
            TargetTime.pass(target, WINDOW_MS + 1_000);
        }
    }

    @Test
    @NeedsAdmin
    @NeedsMockWorker
    @Requirement("RATE-005")
    @CaughtBy("rate-no-dynamic")
    @DisplayName("running workers raise the limit: max(base, running workers x requestsPerWorker)")
    void runningWorkersRaiseTheLimit(Target target) {
        MockAdmin admin = new MockAdmin(target);
        admin.withSettings("{\"requestsPerWorker\": 3}", () -> {
            List<String> running = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                running.add(Jobs.run(target, "{\"input\": {\"mock_delay\": 600, \"mock_return\": \"busy\"}}"));
            }
            for (String id : running) {
                Jobs.awaitStarted(target, id, 60_000);
            }
            try {
                inOneWindow(target, () -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < 7; i++) {
                        statuses.add(target.given().post(target.url("purge-queue")).statusCode());
                    }
                    // 2 running workers x 3 = 6 per window, above the base of 2
                    assertEquals(List.of(200, 200, 200, 200, 200, 200, 429), statuses);
                });
            } finally {
                running.forEach(id -> target.given().post(target.url("cancel/" + id)));
            }
        });
    }
}
