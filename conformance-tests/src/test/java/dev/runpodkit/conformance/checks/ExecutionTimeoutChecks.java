package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The execution timeout (seeds; runpod-api.md §3, §4.1; DEC-002, DEC-004): counted from the moment a worker
 * takes the job, 600000 ms unless the endpoint or the job's policy says otherwise; a job past it is stopped,
 * ends TIMED_OUT with an error string, and its worker is freed. A job must run past the minimum timeout
 * (5 s) to show any of this, so every check here is of the full tier.
 */
@ConformanceCheck
@NeedsMockWorker
@Spend(Spend.Tier.FULL)
@DisplayName("Execution timeout")
class ExecutionTimeoutChecks {

    private static String status(Response r) {
        return r.jsonPath().getString("status");
    }

    @Test
    @Requirement("POLICY-009")
    @CaughtBy("execution-timeout-ignored")
    @DisplayName("a job that runs past its executionTimeout is stopped and ends TIMED_OUT with an error string")
    void aJobPastItsTimeoutEndsTimedOut(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"too late\", \"mock_delay\": 15}, "
                + "\"policy\": {\"executionTimeout\": 5000}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("TIMED_OUT", status(done), "a 15 s job with a 5 s executionTimeout: " + done.asString());
        Object error = done.jsonPath().get("error");
        assertTrue(error instanceof String s && !s.isBlank(), "a TIMED_OUT job should say why in an error string: " + done.asString());
        // stopped: the handler's result, due 15 s after it started, never lands
        TargetTime.pass(target, 12_000);
        Response later = Jobs.status(target, id);
        assertEquals(200, later.statusCode(), later.asString());
        assertEquals("TIMED_OUT", status(later), "a timed-out job stays TIMED_OUT: " + later.asString());
        assertFalse(later.asString().contains("too late"), "the stopped handler's output arrived anyway: " + later.asString());
    }

    @Test
    @Requirement("POLICY-008")
    @CaughtBy("execution-timeout-ignored")
    @DisplayName("policy.executionTimeout applies to its own job only; a job without one keeps the endpoint's timeout")
    void aPolicyTimeoutAppliesToItsJobOnly(Target target) {
        // 8 s of work: past the 5 s policy, well within any endpoint timeout (600 s by default)
        String bounded = Jobs.run(target, "{\"input\": {\"mock_return\": \"bounded\", \"mock_delay\": 8}, "
                + "\"policy\": {\"executionTimeout\": 5000}}");
        String free = Jobs.run(target, "{\"input\": {\"mock_return\": \"free\", \"mock_delay\": 8}}");
        Response b = Jobs.awaitTerminal(target, bounded, 180_000);
        Response f = Jobs.awaitTerminal(target, free, 180_000);
        assertEquals("TIMED_OUT", status(b), "the job with executionTimeout 5000 ran 8 s: " + b.asString());
        assertEquals("COMPLETED", status(f), "the job without a policy should keep the endpoint's timeout: " + f.asString());
        assertEquals("free", f.jsonPath().getString("output"), f.asString());
    }

    @Test
    @Requirement("POLICY-010")
    @CaughtBy("timeout-keeps-worker")
    @DisplayName("a timed-out job's worker is freed for the next queued job")
    void aTimedOutJobFreesItsWorker(Target target) {
        // occupy every worker that is up with a job that times out at 5 s but would work 90 s
        int up = Math.max(1, Pool.workers(target).total());
        List<String> jobs = new ArrayList<>();
        try {
            for (int i = 0; i < up; i++) {
                jobs.add(Jobs.run(target, "{\"input\": {\"mock_return\": \"stuck\", \"mock_delay\": 90}, "
                        + "\"policy\": {\"executionTimeout\": 5000}}"));
            }
            String next = Jobs.run(target, "{\"input\": {\"mock_return\": \"next\"}}");
            jobs.add(next);
            for (String id : jobs.subList(0, up)) {
                Response stuck = Jobs.awaitTerminal(target, id, 180_000);
                assertEquals("TIMED_OUT", status(stuck), stuck.asString());
            }
            Response done = Jobs.awaitTerminal(target, next, 240_000);
            assertEquals("COMPLETED", status(done), done.asString());
            long delay = done.jsonPath().getLong("delayTime");
            assertTrue(delay < 60_000, "the job queued behind " + up + " timed-out job(s) waited " + delay
                    + " ms: their workers stayed busy after the 5 s timeout (their handlers would have run 90 s)");
        } finally {
            Pool.cancel(target, jobs);
        }
    }

    @Test
    @NeedsAdmin
    @Requirement("POLICY-007")
    @CaughtBy("default-timeout-24h")
    @DisplayName("a job without policy.executionTimeout gets the endpoint's timeout: 600000 ms as configured by default, or the value set")
    void withoutAPolicyTimeoutTheEndpointTimeoutApplies(Target target) {
        MockAdmin admin = new MockAdmin(target);
        long configured = admin.settings().jsonPath().getLong("executionTimeoutDefaultMs");
        Pool.holdWhenQuiet(target, () -> {
            assertTimesOutAfter(target, configured);
            admin.withSettings("{\"executionTimeoutDefaultMs\": 120000}", () -> assertTimesOutAfter(target, 120_000));
        });
    }

    /** A job without a policy still runs a minute before {@code timeoutMs} of execution and is TIMED_OUT a minute after. */
    private static void assertTimesOutAfter(Target target, long timeoutMs) {
        long workSeconds = timeoutMs / 1000 + 120;
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"endless\", \"mock_delay\": " + workSeconds + "}}");
        try {
            Jobs.awaitStarted(target, id, 30_000);
            TargetTime.pass(target, timeoutMs - 60_000);
            Response before = Jobs.status(target, id);
            assertEquals("IN_PROGRESS", status(before), "a minute before the endpoint's " + timeoutMs
                    + " ms execution timeout the job should still run: " + before.asString());
            TargetTime.pass(target, 120_000);
            Response after = Jobs.awaitTerminal(target, id, 30_000);
            assertEquals("TIMED_OUT", status(after), "a minute past the endpoint's " + timeoutMs + " ms timeout: " + after.asString());
        } finally {
            Pool.cancel(target, List.of(id));
        }
    }
}
