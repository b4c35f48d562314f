package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * delayTime and executionTime (runpod-api.md §2.3): ms from submission until a worker took the job, and from
 * then until it ended, both on the endpoint's clock (for the mock: its own, possibly accelerated, clock).
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("Job timings")
class TimingChecks {

    @Test
    @Requirement("STATUS-007")
    @CaughtBy("timings-wall-clock")
    @DisplayName("executionTime covers the handler's work, and delayTime + executionTime fit in the time the job took")
    void timingsAreMeasuredOnTheEndpointsClock(Target target) {
        long wallStart = System.nanoTime();
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"timed\", \"mock_delay\": 3}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        // what we saw pass, in the target's time (the embedded mock's clock runs timeScale times the wall clock)
        long elapsed = (long) ((System.nanoTime() - wallStart) / 1e6 * target.timeScale());
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        long delay = done.jsonPath().getLong("delayTime");
        long execution = done.jsonPath().getLong("executionTime");
        assertTrue(execution >= 3_000, "a handler that works 3 s reports executionTime " + execution + " ms");
        assertTrue(delay >= 0, "delayTime " + delay);
        assertTrue(delay + execution <= elapsed + 1_000, "delayTime " + delay + " + executionTime " + execution
                + " ms exceed the " + elapsed + " ms between submitting the job and seeing it end");
    }

    @Test
    @NeedsAdmin
    @Requirement("STATUS-007")
    @CaughtBy("timings-wall-clock")
    @DisplayName("delayTime counts the time a job waited for a busy worker")
    void delayTimeCountsTheWaitForAWorker(Target target) {
        // as many 5 min jobs as the pool can ever have workers, so the next one must wait for one of them; on a
        // frozen clock, moved past them by the check, so the wait is 300 s of mock time and no wall time
        int max = new MockAdmin(target).settings().jsonPath().getInt("workersMax");
        List<String> jobs = new ArrayList<>();
        Pool.holdWhenQuiet(target, () -> {
            try {
                for (int i = 0; i < max; i++) {
                    jobs.add(Jobs.run(target, "{\"input\": {\"mock_return\": \"blocker\", \"mock_delay\": 300}}"));
                }
                for (String id : jobs) {
                    Jobs.awaitStarted(target, id, 30_000);
                }
                String waiting = Jobs.run(target, "{\"input\": {\"mock_return\": \"waited\", \"mock_delay\": 1}}");
                jobs.add(waiting);
                TargetTime.pass(target, 301_000);
                Response done = Jobs.awaitTerminal(target, waiting, 30_000);
                assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
                long delay = done.jsonPath().getLong("delayTime");
                assertEquals(300_000, delay, "submitted when every worker had a 300 s job ahead, the job reports delayTime "
                        + delay + " ms");
                assertTrue(done.jsonPath().getLong("executionTime") >= 1_000, done.asString());
            } finally {
                Pool.cancel(target, jobs);
            }
        });
    }
}
