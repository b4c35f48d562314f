package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.BusyWorkers;
import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GET /health: job and worker counters (docs:opref, docs:v1, docs:sdk-js; runpod-api.md §2.8). inQueue and
 * inProgress are current counts; completed, failed and retried count since the start (DEC-019); ready = idle
 * (DEC-020). The counting checks assume nobody else uses the endpoint meanwhile, and poll, because a real
 * endpoint's /health may lag.
 */
@ConformanceCheck
@DisplayName("/health")
class HealthChecks {

    static Response health(Target target) {
        Response r = target.given().get(target.url("health"));
        assertEquals(200, r.statusCode(), "GET /health: " + r.asString());
        return r;
    }

    /** The counter at {@code path}, asserted to be a non-negative integer. */
    static long counter(Response health, String path) {
        Object v = health.jsonPath().get(path);
        assertTrue(v instanceof Integer || v instanceof Long, path + " should be an integer: " + health.asString());
        long n = ((Number) v).longValue();
        assertTrue(n >= 0, path + " is negative: " + health.asString());
        return n;
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("HEALTH-001")
    @CaughtBy("health-no-jobs")
    @DisplayName("GET /health answers 200 with jobs {completed, failed, inProgress, inQueue, retried} and workers {idle, running}")
    void healthHasJobAndWorkerCounters(Target target) {
        Response r = health(target);
        assertTrue(r.contentType().toLowerCase(Locale.ROOT).startsWith("application/json"), r.contentType());
        for (String key : List.of("completed", "failed", "inProgress", "inQueue", "retried")) {
            counter(r, "jobs." + key);
        }
        for (String key : List.of("idle", "running")) {
            counter(r, "workers." + key);
        }
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("HEALTH-002")
    @CaughtBy("health-basic-keys")
    @DisplayName("workers also carries initializing, ready and throttled, and ready equals idle")
    void workersCarryTheExtendedKeys(Target target) {
        Response r = health(target);
        for (String key : List.of("initializing", "ready", "throttled")) {
            assertNotNull(r.jsonPath().get("workers." + key), "workers." + key + " is missing: " + r.asString());
            counter(r, "workers." + key);
        }
        assertEquals(counter(r, "workers.idle"), counter(r, "workers.ready"), "ready should equal idle: " + r.asString());
    }

    @Test
    @NeedsMockWorker
    @Requirement("HEALTH-003")
    @CaughtBy("health-stale")
    @DisplayName("inQueue and inProgress count the jobs queued and running, and workers.running the busy workers")
    void currentCountsMatchTheJobs(Target target) {
        List<String> mine = new ArrayList<>();
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            mine.addAll(busy.blockers());
            mine.add(busy.queue("{\"input\": {\"mock_return\": \"waiting-1\", \"mock_delay\": 1}}"));
            mine.add(busy.queue("{\"input\": {\"mock_return\": \"waiting-2\", \"mock_delay\": 1}}"));
            assertConsistent(target, mine, 2);
            busy.releaseWorkers();
        }
        // everything cancelled: the counts go back to zero
        Response idle = Poll.until(target, 60_000, "/health to show no job queued or running", () -> health(target),
                h -> counter(h, "jobs.inQueue") == 0 && counter(h, "jobs.inProgress") == 0 && counter(h, "workers.running") == 0);
        assertEquals(0, counter(idle, "jobs.inProgress"), idle.asString());
    }

    /** What a poll saw: whether it was what the check waits for, and how it looked (for the failure message). */
    private record Seen(boolean ok, String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Polls until /health agrees with the jobs' own /status (at least one running, and {@code queued} queued). */
    private static void assertConsistent(Target target, List<String> ids, int queued) {
        Poll.until(target, 20_000, "/health to agree with the jobs' /status", () -> {
            long inQueue = 0;
            long inProgress = 0;
            for (String id : ids) {
                String s = Jobs.statusOf(Jobs.status(target, id));
                inQueue += "IN_QUEUE".equals(s) ? 1 : 0;
                inProgress += "IN_PROGRESS".equals(s) ? 1 : 0;
            }
            Response h = health(target);
            boolean ok = inQueue == queued && inProgress >= 1 && counter(h, "jobs.inQueue") == inQueue
                    && counter(h, "jobs.inProgress") == inProgress && counter(h, "workers.running") == inProgress;
            return new Seen(ok, "jobs by /status: " + inQueue + " IN_QUEUE, " + inProgress + " IN_PROGRESS; /health: " + h.asString());
        }, Seen::ok);
    }

    @Test
    @NeedsMockWorker
    @Requirement("HEALTH-004")
    @CaughtBy("health-counters-frozen")
    @DisplayName("completed, failed and retried count up: FAILED jobs in failed, accepted retries in retried, CANCELLED in none")
    void cumulativeCountersCountUp(Target target) {
        Poll.until(target, 120_000, "the endpoint to be quiet (nothing queued or running)", () -> health(target),
                h -> counter(h, "jobs.inQueue") == 0 && counter(h, "jobs.inProgress") == 0);
        Response before = health(target);
        Response good = Jobs.runsync(target, "", "{\"input\": {\"mock_return\": \"counted\"}}");
        assertEquals("COMPLETED", good.jsonPath().getString("status"), good.asString());
        Response bad = Jobs.runsync(target, "", "{\"input\": {\"mock_error\": \"counted failure\"}}");
        assertEquals("FAILED", bad.jsonPath().getString("status"), bad.asString());
        String failed = bad.jsonPath().getString("id");
        assertEquals(200, target.given().post(target.url("retry/" + failed)).statusCode(), "/retry of a FAILED job");
        assertEquals("FAILED", Jobs.awaitTerminal(target, failed, 120_000).jsonPath().getString("status"));
        String cancelled = Jobs.run(target, "{\"input\": {\"mock_return\": \"not counted\", \"mock_delay\": 30}}");
        Jobs.cancel(target, cancelled);
        assertEquals("CANCELLED", Jobs.awaitTerminal(target, cancelled, 120_000).jsonPath().getString("status"));

        Map<String, Long> expected = Map.of("jobs.completed", 1L, "jobs.failed", 2L, "jobs.retried", 1L);
        Poll.until(target, 30_000, "/health's counters to move by exactly " + expected, () -> {
            Response h = health(target);
            boolean ok = true;
            StringBuilder text = new StringBuilder("moved by");
            for (Map.Entry<String, Long> e : expected.entrySet()) {
                long delta = counter(h, e.getKey()) - counter(before, e.getKey());
                text.append(' ').append(e.getKey()).append(" +").append(delta);
                ok &= delta == e.getValue();
            }
            return new Seen(ok, text + " (before: " + before.asString() + ", now: " + h.asString() + ")");
        }, Seen::ok);
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("HEALTH-005")
    @CaughtBy({"no-405", "no-allow-header"})
    @DisplayName("/health answers every method but GET with 405 and Allow: GET")
    void onlyGetIsAllowed(Target target) {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
            Response r = target.given().request(method, target.url("health"));
            assertEquals(405, r.statusCode(), method + " /health: " + r.asString());
            String allow = r.header("Allow");
            assertNotNull(allow, method + " /health: 405 without an Allow header");
            List<String> methods = List.of(allow.toUpperCase(Locale.ROOT).split("\\s*,\\s*"));
            assertTrue(methods.contains("GET"), "Allow '" + allow + "' should list GET");
            assertTrue(!methods.contains("POST") && !methods.contains(method), "Allow '" + allow + "' lists more than GET");
            ErrorChecks.assertJsonError(r);
        }
    }
}
