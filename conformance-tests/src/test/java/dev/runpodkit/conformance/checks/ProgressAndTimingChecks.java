package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.BusyWorkers;
import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Held;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What /status shows while a job runs and after: progress updates as output (runpod-api.md §2.3, §6.2.6),
 * delayTime and executionTime on the endpoint's clock, an answer at once (never a hold), and ?ttl.
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/status: progress, timings, ttl")
class ProgressAndTimingChecks {

    @Test
    @Requirement("STATUS-007")
    @CaughtBy("timings-wall-clock")
    @DisplayName("delayTime is the time in the queue and executionTime the time running, in ms of the endpoint's clock")
    void timingsAreMeasuredOnTheEndpointsClock(Target target) {
        long before = System.nanoTime();
        Response done;
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            String id = busy.queue("{\"input\": {\"mock_return\": \"timed\", \"mock_delay\": 2}}");
            // the job waits behind the blockers for 3 s of target time, then runs for 2 s
            TargetTime.pass(target, 3_000);
            Response still = Jobs.status(target, id);
            assertEquals("IN_QUEUE", still.jsonPath().getString("status"), "the job should still wait: " + still.asString());
            busy.releaseWorkers();
            done = Jobs.awaitTerminal(target, id, 120_000);
        }
        long elapsedTargetMs = Math.round((System.nanoTime() - before) / 1_000_000.0 * target.timeScale())
                + (target.hasAdmin() ? 3_000 : 0);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        long delay = done.jsonPath().getLong("delayTime");
        long execution = done.jsonPath().getLong("executionTime");
        assertTrue(delay >= 2_700, "the job waited at least 3 s in the queue, but delayTime is " + delay + " ms: " + done.asString());
        assertTrue(execution >= 1_900, "the job ran for 2 s, but executionTime is " + execution + " ms: " + done.asString());
        assertTrue(delay + execution <= elapsedTargetMs + 1_000, "delayTime + executionTime = " + (delay + execution)
                + " ms, more than the " + elapsedTargetMs + " ms that passed from submission to the end");
    }

    private static final Object FIRST = "step-1";
    private static final Object SECOND = java.util.Map.of("step", 2);

    @Test
    @Requirement("STATUS-008")
    @CaughtBy("progress-hidden")
    @DisplayName("a running job's /status shows IN_PROGRESS with its latest progress update as output")
    void progressUpdatesAreShownWhileRunning(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"finished\", \"mock_delay\": 1.5, "
                    + "\"mock_progress\": {\"updates\": [\"step-1\", {\"step\": 2}], \"wait_time\": 1.5}}}");
            List<Response> seen = new ArrayList<>();
            // the second update shows from 1.5 s to 4.5 s after the start; look every 250 ms of target time
            Response latest = Poll.stepping(target, 250, 120_000, "job " + id + " to show its second progress update",
                    () -> {
                        Response r = Jobs.status(target, id);
                        seen.add(r);
                        return r;
                    },
                    r -> Jobs.TERMINAL.contains(Jobs.statusOf(r))
                            || ("IN_PROGRESS".equals(Jobs.statusOf(r)) && SECOND.equals(r.jsonPath().get("output"))));
            assertEquals("IN_PROGRESS", latest.jsonPath().getString("status"), "the job ended without /status ever showing "
                    + "its latest progress update; seen: " + seen.stream().map(Response::asString).toList());
            for (Response r : seen) {
                Object output = r.jsonPath().get("output");
                if ("IN_PROGRESS".equals(Jobs.statusOf(r)) && output != null) {
                    assertTrue(FIRST.equals(output) || SECOND.equals(output), "an IN_PROGRESS output that is no progress update: " + r.asString());
                }
            }
            Response done = Poll.stepping(target, 500, 120_000, "job " + id + " to end", () -> Jobs.status(target, id),
                    r -> Jobs.TERMINAL.contains(Jobs.statusOf(r)));
            assertEquals("finished", done.jsonPath().getString("output"), "the final output replaces the progress: " + done.asString());
        }
    }

    @Test
    @Requirement("STATUS-009")
    @CaughtBy("status-holds")
    @DisplayName("/status answers at once, by GET or POST, while the job is queued or running")
    void statusNeverHolds(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 30}}");
            try {
                for (String method : new String[] {"GET", "POST"}) {
                    // no target time passes: a /status that holds is never answered
                    Response r = Held.send(target, method + " /status", () -> target.given().request(method, target.url("status/" + id)))
                            .awaitImmediateAnswer(target);
                    assertEquals(200, r.statusCode(), r.asString());
                    assertFalse(Jobs.TERMINAL.contains(Jobs.statusOf(r)), r.asString());
                }
            } finally {
                Jobs.cancel(target, id);
            }
        }
    }

    @Test
    @Requirement("STATUS-010")
    @CaughtBy("status-ttl-ignored")
    @DisplayName("?ttl=15000 on /status is accepted and the job is gone 15 s later")
    void ttlOnStatusSetsTheRemainingLifetime(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"short-lived\"}}");
        Jobs.awaitTerminal(target, id, 120_000);
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            Response set = target.given().get(target.url("status/" + id + "?ttl=15000"));
            assertEquals(200, set.statusCode(), "?ttl=15000 should be accepted: " + set.asString());
            assertEquals("COMPLETED", set.jsonPath().getString("status"), set.asString());
            TargetTime.pass(target, 5_000);
            Response alive = Jobs.status(target, id);
            assertEquals(200, alive.statusCode(), "5 s into a 15 s ttl the job is still there: " + alive.asString());
            TargetTime.pass(target, 15_000);
            Response gone = Jobs.status(target, id);
            assertEquals(404, gone.statusCode(), "20 s after ?ttl=15000 the job should be gone: " + gone.asString());
        }
    }
}
