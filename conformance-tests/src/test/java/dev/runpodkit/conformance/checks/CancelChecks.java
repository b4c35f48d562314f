package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.runpodkit.conformance.support.BusyWorkers;
import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Held;
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
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * POST /cancel/{id}: removes a queued job, stops a running one, answers at once {"id", "status": "CANCELLED"}
 * (docs:opref; runpod-api.md §2.5); a job already ended is left as it is (DEC-015); an unknown id is 404
 * (DEC-017). The clients send no body (py), {} (js) or an empty body (go).
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/cancel")
class CancelChecks {

    static Response cancel(Target target, String id, String body) {
        return Jobs.post(target, "cancel/" + id, body);
    }

    static void assertCancelled(String id, Response r) {
        assertEquals(200, r.statusCode(), "POST /cancel: " + r.asString());
        assertEquals(id, r.jsonPath().getString("id"), r.asString());
        assertEquals("CANCELLED", r.jsonPath().getString("status"), r.asString());
    }

    @Test
    @Requirement("CANCEL-001")
    @CaughtBy("cancel-ignored")
    @DisplayName("cancelling a queued job answers CANCELLED, and the job never runs")
    void aQueuedJobIsRemovedAndNeverRuns(Target target) {
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            String id = busy.queue("{\"input\": {\"mock_return\": \"never\", \"mock_delay\": 1}}");
            assertCancelled(id, cancel(target, id, null));
            Response after = Jobs.status(target, id);
            assertEquals(200, after.statusCode(), after.asString());
            assertEquals("CANCELLED", after.jsonPath().getString("status"), "/status after /cancel: " + after.asString());
            // free the workers: a job still in the queue would start now and be done within 2 s
            busy.releaseWorkers();
            TargetTime.pass(target, 3_000);
            Response later = Jobs.status(target, id);
            assertEquals("CANCELLED", later.jsonPath().getString("status"), "a cancelled job ran after all: " + later.asString());
            assertNull(later.jsonPath().get("output"), "a cancelled queued job has no output: " + later.asString());
            assertNull(later.jsonPath().get("workerId"), "a job removed from the queue never reached a worker: " + later.asString());
        }
    }

    @Test
    @Requirement("CANCEL-002")
    @CaughtBy("cancel-ignored")
    @DisplayName("cancelling a running job answers CANCELLED at once, and the job ends CANCELLED")
    void aRunningJobIsStopped(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"stopped\", \"mock_delay\": 30}}");
            try {
                Response running = Jobs.awaitStarted(target, id, 120_000);
                assertEquals("IN_PROGRESS", running.jsonPath().getString("status"), running.asString());
                // no target time passes: a /cancel that waited for the worker would not be answered
                assertCancelled(id, Held.send(target, "/cancel of a running job", () -> cancel(target, id, null)).awaitImmediateAnswer(target));
                Response end = Poll.stepping(target, 1_000, 60_000, "job " + id + " to end", () -> Jobs.status(target, id),
                        r -> Jobs.TERMINAL.contains(Jobs.statusOf(r)));
                assertEquals("CANCELLED", end.jsonPath().getString("status"), "the cancelled job went on: " + end.asString());
                assertNull(end.jsonPath().get("output"), "a stopped job has no output: " + end.asString());
            } finally {
                Jobs.cancel(target, id);
            }
        }
    }

    @Test
    @Requirement("CANCEL-003")
    @CaughtBy("cancel-overwrites-terminal")
    @DisplayName("cancelling a job that already ended answers 200 with its status, and changes nothing")
    void anEndedJobIsLeftAlone(Target target) {
        String completed = Jobs.run(target, "{\"input\": {\"mock_return\": \"kept\"}}");
        String failed = Jobs.run(target, "{\"input\": {\"mock_error\": \"kept failure\"}}");
        for (String[] c : new String[][] {{completed, "COMPLETED"}, {failed, "FAILED"}}) {
            String id = c[0];
            Response before = Jobs.awaitTerminal(target, id, 120_000);
            assertEquals(c[1], before.jsonPath().getString("status"), before.asString());
            Response r = cancel(target, id, "{}");
            assertEquals(200, r.statusCode(), "/cancel of a " + c[1] + " job: " + r.asString());
            assertEquals(id, r.jsonPath().getString("id"), r.asString());
            assertEquals(c[1], r.jsonPath().getString("status"), "/cancel should echo the job's terminal status: " + r.asString());
            Response after = Jobs.status(target, id);
            assertEquals(before.jsonPath().getMap(""), after.jsonPath().getMap(""), "/cancel changed an ended job");
        }
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("CANCEL-004")
    @CaughtBy({"unknown-job-200", "error-body-text"})
    @DisplayName("/cancel of an unknown job id answers 404 with a JSON error")
    void unknownJobIs404(Target target) {
        for (String body : new String[] {null, "{}"}) {
            Response r = cancel(target, UUID.randomUUID() + "-u1", body);
            assertEquals(404, r.statusCode(), "/cancel of an unknown id: " + r.asString());
            ErrorChecks.assertJsonError(r);
        }
    }

    @Test
    @Requirement("CANCEL-005")
    @CaughtBy("control-requires-body")
    @DisplayName("/cancel accepts no body, an empty body and {}")
    void anyOfTheThreeBodiesIsAccepted(Target target) {
        List<String> ids = new ArrayList<>();
        try {
            for (String body : new String[] {null, "", "{}"}) {
                String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"body-form\", \"mock_delay\": 30}}");
                ids.add(id);
                Response r = cancel(target, id, body);
                assertEquals(200, r.statusCode(), "/cancel with " + (body == null ? "no body" : "body '" + body + "'") + ": " + r.asString());
                assertCancelled(id, r);
            }
        } finally {
            Jobs.cancelQuietly(target, ids);
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("CANCEL-004")
    @CaughtBy("retain-forever")
    @DisplayName("/cancel of a job whose result has expired answers 404 with a JSON error")
    void expiredJobIs404(Target target) {
        Response r = Jobs.runsync(target, "", "{\"input\": {\"mock_return\": \"gone soon\"}}");
        assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
        TargetTime.pass(target, 65_000); // a /runsync result is kept 1 min
        Response gone = cancel(target, r.jsonPath().getString("id"), null);
        assertEquals(404, gone.statusCode(), "/cancel of an expired job: " + gone.asString());
        ErrorChecks.assertJsonError(gone);
    }

}
