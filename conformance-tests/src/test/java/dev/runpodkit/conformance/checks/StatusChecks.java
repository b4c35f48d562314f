package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** /status/{id}: the job's state, by GET or POST (docs:opref; runpod-api.md §2.3). */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/status")
class StatusChecks {

    private static final Set<String> STATUSES = Set.of("IN_QUEUE", "IN_PROGRESS", "COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT");

    @Test
    @Requirement("STATUS-001")
    @CaughtBy("status-missing-id")
    @DisplayName("GET /status answers 200 with the job's id and status")
    void getStatusAnswersTheJob(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"s1\"}}");
        Response r = Jobs.status(target, id);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(id, r.jsonPath().getString("id"), r.asString());
        assertTrue(STATUSES.contains(r.jsonPath().getString("status")), r.asString());
    }

    @Test
    @Requirement("STATUS-002")
    @CaughtBy("status-get-only")
    @DisplayName("POST /status answers as GET does")
    void postStatusAnswersAsGet(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"s2\"}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        for (String body : new String[] {null, "", "{}"}) {
            var spec = target.given();
            if (body != null) {
                spec = spec.body(body);
            }
            Response post = spec.post(target.url("status/" + id));
            assertEquals(200, post.statusCode(), "POST /status with body " + body + ": " + post.asString());
            assertEquals(done.jsonPath().getString("status"), post.jsonPath().getString("status"), post.asString());
            assertEquals(done.jsonPath().getString("output"), post.jsonPath().getString("output"), post.asString());
        }
    }

    @Test
    @Requirement("STATUS-003")
    @CaughtBy({"status-running", "status-missing-id"})
    @DisplayName("a running job's /status says IN_PROGRESS (never RUNNING) and carries its id")
    void runningJobIsInProgress(Target target) {
        String id;
        Response started;
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            // on the mock the job cannot end while its clock is stopped: /status is seen while it runs
            id = Jobs.run(target, "{\"input\": {\"mock_return\": \"s3\", \"mock_delay\": 4}}");
            started = Jobs.awaitStarted(target, id, 120_000);
        }
        String status = started.jsonPath().getString("status");
        assertTrue(status.equals("IN_PROGRESS") || status.equals("COMPLETED"), "a started job: " + started.asString());
        assertEquals(id, started.jsonPath().getString("id"), started.asString());
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals(id, done.jsonPath().getString("id"), done.asString());
    }

    @Test
    @Requirement("STATUS-004")
    @CaughtBy({"status-no-timings", "status-no-worker-id"})
    @DisplayName("a COMPLETED job's /status has output, delayTime, executionTime and workerId")
    void completedJobHasAllFields(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"s4\", \"mock_delay\": 0.5}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals("s4", done.jsonPath().getString("output"), done.asString());
        assertNotNull(done.jsonPath().get("delayTime"), "delayTime missing: " + done.asString());
        assertNotNull(done.jsonPath().get("executionTime"), "executionTime missing: " + done.asString());
        assertNotNull(done.jsonPath().get("workerId"), "workerId missing: " + done.asString());
        assertTrue(done.jsonPath().getLong("executionTime") >= 400,
                "a 0.5 s job reports executionTime " + done.jsonPath().getLong("executionTime") + " ms");
    }

    @Test
    @Requirement("STATUS-005")
    @CaughtBy({"mock-error-completes", "failed-http-500"})
    @DisplayName("a job whose handler raises ends FAILED, answered with HTTP 200")
    void aFailingJobEndsFailed(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_error\": true}}");
        Response done = Poll.untilEnded(target, id);
        assertEquals(200, done.statusCode(), done.asString());
        assertEquals("FAILED", done.jsonPath().getString("status"), done.asString());
    }

    @Test
    @Requirement("STATUS-006")
    @CaughtBy("failed-error-object")
    @DisplayName("a FAILED job's error is a string")
    void aFailedJobsErrorIsAString(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_error\": true}}");
        Response done = Poll.untilEnded(target, id);
        Object error = done.jsonPath().get("error");
        assertTrue(error instanceof String && !((String) error).isEmpty(), "error should be a non-empty string: " + done.asString());
    }

    /** Polls /status until terminal, whatever the HTTP status (a broken target may answer a FAILED job with 500). */
    private static final class Poll {
        static Response untilEnded(Target target, String id) {
            return dev.runpodkit.conformance.support.Poll.until(target, 120_000, "job " + id + " to end",
                    () -> target.givenWithoutAuth().header("Authorization", "Bearer " + target.apiKey())
                            .get(target.url("status/" + id)),
                    r -> Jobs.TERMINAL.contains(String.valueOf(safeStatus(r))));
        }

        private static String safeStatus(Response r) {
            try {
                return r.jsonPath().getString("status");
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
