package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * POST /retry/{id}: requeues a FAILED or TIMED_OUT job under the same id, with its original input, and
 * removes the previous output (docs:opref; docs:old-jobops; runpod-api.md §2.6). Other states are refused
 * with 400 naming the status (DEC-016); an unknown id is 404 (DEC-017).
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/retry")
class RetryChecks {

    static Response retry(Target target, String id, String body) {
        return Jobs.post(target, "retry/" + id, body);
    }

    /** A job whose handler raises, awaited until it has ended FAILED. */
    static String failedJob(Target target, String message, double delaySeconds) {
        String id = Jobs.run(target, "{\"input\": {\"mock_error\": \"" + message + "\", \"mock_delay\": " + delaySeconds + "}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("FAILED", done.jsonPath().getString("status"), done.asString());
        return id;
    }

    @Test
    @Requirement({"RETRY-001", "ID-003"})
    @CaughtBy({"retry-new-id", "control-requires-body"})
    @DisplayName("retrying a FAILED job answers 200 with the same id and IN_QUEUE, with no body, an empty body or {}")
    void aFailedJobIsRequeuedUnderItsId(Target target) {
        for (String body : new String[] {null, "", "{}"}) {
            String id = failedJob(target, "retry me", 0);
            Response r = retry(target, id, body);
            String form = body == null ? "no body" : "body '" + body + "'";
            assertEquals(200, r.statusCode(), "/retry with " + form + ": " + r.asString());
            assertEquals(id, r.jsonPath().getString("id"), "/retry must keep the job's id: " + r.asString());
            assertEquals("IN_QUEUE", r.jsonPath().getString("status"), r.asString());
            Response again = Jobs.awaitTerminal(target, id, 120_000);
            assertEquals(id, again.jsonPath().getString("id"), again.asString());
            assertEquals("FAILED", again.jsonPath().getString("status"), "the retried job ran and failed again: " + again.asString());
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement({"RETRY-001", "RETRY-002"})
    @CaughtBy({"retry-new-id", "retry-loses-policy"})
    @DisplayName("a job that ran out of time is retried under its id, with its original policy")
    void aTimedOutJobIsRetriedWithItsPolicy(Target target) {
        // executionTimeout 5 s for 8 s of work: it ends TIMED_OUT (or FAILED, as docs:config reads), each run
        String body = "{\"input\": {\"mock_return\": \"too slow\", \"mock_delay\": 8}, \"policy\": {\"executionTimeout\": 5000}}";
        String id = Jobs.run(target, body);
        Response first = Jobs.awaitTerminal(target, id, 120_000);
        String status = first.jsonPath().getString("status");
        assertTrue(Set.of("TIMED_OUT", "FAILED").contains(status), "a job past its executionTimeout: " + first.asString());
        Response r = retry(target, id, null);
        assertEquals(200, r.statusCode(), "/retry of a " + status + " job: " + r.asString());
        assertEquals(id, r.jsonPath().getString("id"), r.asString());
        assertEquals("IN_QUEUE", r.jsonPath().getString("status"), r.asString());
        Response second = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals(status, second.jsonPath().getString("status"),
                "the retry keeps the policy, so the second run times out too: " + second.asString());
    }

    @Test
    @Requirement("RETRY-002")
    @CaughtBy("retry-loses-input")
    @DisplayName("a retried job runs again with its original input")
    void theRetryRunsTheOriginalInput(Target target) {
        String marker = "boom-" + UUID.randomUUID();
        String id = failedJob(target, marker, 0);
        assertEquals(200, retry(target, id, null).statusCode());
        Response again = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("FAILED", again.jsonPath().getString("status"),
                "with its original input (mock_error) the retried job fails again: " + again.asString());
        assertTrue(again.jsonPath().getString("error").contains(marker),
                "the second run's error should carry the original input's message " + marker + ": " + again.asString());
    }

    @Test
    @Requirement("RETRY-003")
    @CaughtBy("retry-keeps-result")
    @DisplayName("after /retry, /status shows neither the old output nor the old error until the new run ends")
    void theOldResultIsGone(Target target) {
        String id = failedJob(target, "old error", 0);
        List<Response> seen = new ArrayList<>();
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            // with every worker busy the retried job waits in the queue, where /status can be read at leisure
            assertEquals(200, retry(target, id, "{}").statusCode());
            seen.add(Jobs.status(target, id));
            busy.releaseWorkers();
            Poll.until(target, 120_000, "the retried job " + id + " to end", () -> {
                Response r = Jobs.status(target, id);
                seen.add(r);
                return r;
            }, r -> Jobs.TERMINAL.contains(Jobs.statusOf(r)));
        }
        Response end = seen.get(seen.size() - 1);
        assertEquals("FAILED", end.jsonPath().getString("status"), end.asString());
        for (Response r : seen.subList(0, seen.size() - 1)) {
            assertNull(r.jsonPath().get("error"), "a retried job still shows the previous error: " + r.asString());
            assertNull(r.jsonPath().get("output"), "a retried job still shows a previous output: " + r.asString());
        }
    }

    @Test
    @Requirement("RETRY-004")
    @CaughtBy("retry-any-status")
    @DisplayName("/retry of a job that is not FAILED or TIMED_OUT is refused with 400 naming its status")
    void otherStatesAreRefused(Target target) {
        String completed = Jobs.run(target, "{\"input\": {\"mock_return\": \"done\"}}");
        Response done = Jobs.awaitTerminal(target, completed, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertRefused(target, completed, "COMPLETED");
        Response after = Jobs.status(target, completed);
        assertEquals(done.jsonPath().getMap(""), after.jsonPath().getMap(""), "a refused /retry changed the job");
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            String queued = busy.queue("{\"input\": {\"mock_return\": \"queued\", \"mock_delay\": 60}}");
            assertRefused(target, queued, "IN_QUEUE");
            String running = busy.blockers().get(0);
            Jobs.awaitStarted(target, running, 120_000);
            assertRefused(target, running, "IN_PROGRESS");
            Jobs.cancel(target, queued);
            assertRefused(target, queued, "CANCELLED");
        }
    }

    private static void assertRefused(Target target, String id, String status) {
        Response r = retry(target, id, null);
        assertEquals(400, r.statusCode(), "/retry of an " + status + " job: " + r.asString());
        ErrorChecks.assertJsonError(r);
        String error = r.jsonPath().getString("error");
        assertTrue(error.toUpperCase(Locale.ROOT).contains(status), "the 400 should name the job's status " + status + ": " + error);
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("RETRY-005")
    @CaughtBy({"unknown-job-200", "error-body-text"})
    @DisplayName("/retry of an unknown job id answers 404 with a JSON error")
    void unknownJobIs404(Target target) {
        Response r = retry(target, UUID.randomUUID() + "-u1", null);
        assertEquals(404, r.statusCode(), "/retry of an unknown id: " + r.asString());
        ErrorChecks.assertJsonError(r);
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("RETRY-005")
    @CaughtBy("retain-forever")
    @DisplayName("/retry of a FAILED job whose result has expired answers 404 with a JSON error")
    void expiredJobIs404(Target target) {
        Response r = Jobs.runsync(target, "", "{\"input\": {\"mock_error\": \"gone soon\"}}");
        assertEquals("FAILED", r.jsonPath().getString("status"), r.asString());
        TargetTime.pass(target, 65_000); // a /runsync result is kept 1 min
        Response gone = retry(target, r.jsonPath().getString("id"), null);
        assertEquals(404, gone.statusCode(), "/retry of an expired job: " + gone.asString());
        ErrorChecks.assertJsonError(gone);
    }

}
