package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * How long an ended job stays retrievable: 30 min after a /run job ends, 1 min after a /runsync job ends,
 * whatever ?wait said, for every terminal status; a ttl that runs out first removes it sooner; after that every
 * operation on the id answers 404 (docs:send-requests, docs:config; runpod-api.md §4.2; DEC-006, DEC-017,
 * DEC-027). Target time passes through the mock's clock, or in real time against a real endpoint, so all of
 * these are FULL: minutes of waiting there.
 */
@ConformanceCheck
@NeedsMockWorker
@Spend(Spend.Tier.FULL)
@DisplayName("Result retention")
class RetentionChecks {

    private static void assertRetrievable(Target target, String id, String when) {
        Response r = Jobs.status(target, id);
        assertEquals(200, r.statusCode(), when + ", /status of " + id + " should still answer: " + r.asString());
        assertTrue(Jobs.TERMINAL.contains(Jobs.statusOf(r)), r.asString());
    }

    private static void assertGone(Target target, String id, String when) {
        Response r = Jobs.status(target, id);
        assertEquals(404, r.statusCode(), when + ", /status of " + id + " should answer 404: " + r.asString());
        ErrorChecks.assertJsonError(r);
    }

    @Test
    @Requirement("RETAIN-001")
    @CaughtBy("retain-forever")
    @DisplayName("a /run job's result is kept 30 min after it ends, then /status answers 404")
    void runResultsAreKept30Minutes(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"kept half an hour\"}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            TargetTime.pass(target, 28 * 60_000L);
            Response r = Jobs.status(target, id);
            assertEquals(200, r.statusCode(), "28 min after it ended: " + r.asString());
            assertEquals("kept half an hour", r.jsonPath().getString("output"), "the output is kept too: " + r.asString());
            TargetTime.pass(target, 3 * 60_000L);
            assertGone(target, id, "31 min after it ended");
        }
    }

    @Test
    @Requirement("RETAIN-002")
    @CaughtBy({"retain-forever", "retain-sync-as-run"})
    @DisplayName("a /runsync job's result is kept 1 min after it ends, then /status answers 404")
    void runsyncResultsAreKeptOneMinute(Target target) {
        Response r = Jobs.runsync(target, "", "{\"input\": {\"mock_return\": \"kept a minute\"}}");
        assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
        String id = r.jsonPath().getString("id");
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            Response now = Jobs.status(target, id);
            assertEquals(200, now.statusCode(), "a /runsync result is retrievable through /status: " + now.asString());
            assertEquals("kept a minute", now.jsonPath().getString("output"), now.asString());
            TargetTime.pass(target, 45_000);
            assertRetrievable(target, id, "45 s after it ended");
            TargetTime.pass(target, 20_000);
            assertGone(target, id, "65 s after it ended");
        }
    }

    @Test
    @Requirement("RETAIN-003")
    @CaughtBy("retain-wait-extends")
    @DisplayName("?wait on /runsync does not extend retention: the result is gone 1 min after the job ends")
    void waitDoesNotExtendRetention(Target target) {
        Response r = Jobs.runsync(target, "?wait=300000", "{\"input\": {\"mock_return\": \"not kept longer\"}}");
        assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
        String id = r.jsonPath().getString("id");
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            assertRetrievable(target, id, "right after it ended");
            TargetTime.pass(target, 65_000);
            assertGone(target, id, "65 s after it ended, whatever ?wait=300000 said");
        }
    }

    @Test
    @Requirement("RETAIN-004")
    @CaughtBy({"retain-forever", "ttl-ignored"})
    @DisplayName("retention runs from the end, for every terminal status; a shorter ttl removes the job sooner")
    void retentionAppliesToEveryEndAndTtlComesFirst(Target target) {
        Map<String, String> jobs = new LinkedHashMap<>(); // id -> what it is
        // COMPLETED after 50 s of work: 70 s from submission it must still be there (retention runs from the end)
        Response completed = Jobs.runsync(target, "", "{\"input\": {\"mock_return\": \"late\", \"mock_delay\": 50}}");
        assertEquals("COMPLETED", completed.jsonPath().getString("status"), completed.asString());
        long firstEndedNanos = System.nanoTime();
        jobs.put(completed.jsonPath().getString("id"), "COMPLETED after 50 s of work");
        Response failed = Jobs.runsync(target, "", "{\"input\": {\"mock_error\": \"retained failure\"}}");
        assertEquals("FAILED", failed.jsonPath().getString("status"), failed.asString());
        jobs.put(failed.jsonPath().getString("id"), "FAILED");
        Response slow = Jobs.runsync(target, "?wait=1000", "{\"input\": {\"mock_return\": \"cancelled\", \"mock_delay\": 60}}");
        String cancelled = slow.jsonPath().getString("id");
        assertEquals("CANCELLED", Jobs.cancel(target, cancelled).jsonPath().getString("status"));
        jobs.put(cancelled, "CANCELLED");
        Response timedOut = Jobs.runsync(target, "", "{\"input\": {\"mock_return\": \"too slow\", \"mock_delay\": 30}, "
                + "\"policy\": {\"executionTimeout\": 5000}}");
        assertTrue(Set.of("TIMED_OUT", "FAILED").contains(Jobs.statusOf(timedOut)), "past its executionTimeout: " + timedOut.asString());
        jobs.put(timedOut.jsonPath().getString("id"), Jobs.statusOf(timedOut) + " (execution timeout)");
        // a /run job (30 min retention) whose ttl of 15 s runs out first
        String ttl = Jobs.run(target, "{\"input\": {\"mock_return\": \"short ttl\"}, \"policy\": {\"ttl\": 15000}}");
        assertEquals("COMPLETED", Jobs.awaitTerminal(target, ttl, 60_000).jsonPath().getString("status"));

        // every job has ended within the last few seconds; from here on time moves only as this check says
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            // the look 20 s on must come before the first job's 60 s are up: on a clock much faster than the wall
            // clock (a remote mock at --time-scale 50) the requests above already took most of them, and the check
            // cannot tell a result kept from one forgotten (a skip, not a false warning)
            long spentMs = Math.round((System.nanoTime() - firstEndedNanos) / 1e6 * target.timeScale());
            assumeTrue(spentMs < 38_000, "the target's clock (x" + target.timeScale() + ") ran " + spentMs
                    + " ms between the first job's end and the freeze; this check needs under 38000 (its look comes 20 s later, inside the 60 s retention)");
            TargetTime.pass(target, 20_000);
            for (Map.Entry<String, String> e : jobs.entrySet()) {
                assertRetrievable(target, e.getKey(), "20-30 s after a /runsync job ended " + e.getValue());
            }
            assertGone(target, ttl, "a /run job over 20 s after its submission with ttl 15000");
            TargetTime.pass(target, 50_000);
            for (Map.Entry<String, String> e : jobs.entrySet()) {
                assertGone(target, e.getKey(), "over 60 s after a /runsync job ended " + e.getValue());
            }
        }
    }
}
