package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** POST /runsync: hold until the job ends or ?wait passes (docs:opref; runpod-api.md §2.2). */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/runsync")
class RunsyncChecks {

    private static Response runsync(Target target, String query, String body) {
        return target.given().body(body).post(target.url("runsync" + query));
    }

    /** A first job so a real endpoint has a warm worker before timing-sensitive checks. */
    private static void warmUp(Target target) {
        runsync(target, "", "{\"input\": {\"mock_return\": \"warm\"}}");
    }

    @Test
    @Requirement("SYNC-001")
    @CaughtBy({"runsync-ignores-wait", "status-no-timings"})
    @DisplayName("/runsync answers the finished job: id, COMPLETED, output, delayTime, executionTime")
    void runsyncAnswersTheFinishedJob(Target target) {
        Response r = runsync(target, "", "{\"input\": {\"mock_return\": {\"text\": \"done\"}, \"mock_delay\": 1}}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
        assertNotNull(r.jsonPath().getString("id"), r.asString());
        assertEquals("done", r.jsonPath().getString("output.text"), r.asString());
        assertNotNull(r.jsonPath().get("delayTime"), "no delayTime in " + r.asString());
        assertNotNull(r.jsonPath().get("executionTime"), "no executionTime in " + r.asString());
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("SYNC-002")
    @CaughtBy("runsync-timeout-is-error")
    @DisplayName("a job that outlives the wait gets 200 with its id and a non-terminal status, and goes on")
    void aJobOutlivingTheWaitIsStillRunning(Target target) {
        Response r = runsync(target, "?wait=1000", "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 8}}");
        assertEquals(200, r.statusCode(), r.asString());
        String status = r.jsonPath().getString("status");
        assertTrue(Set.of("IN_QUEUE", "IN_PROGRESS").contains(status), "expected IN_QUEUE or IN_PROGRESS, got " + r.asString());
        String id = r.jsonPath().getString("id");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals("slow", done.jsonPath().getString("output"), done.asString());
    }

    @Test
    @Requirement("SYNC-003")
    @CaughtBy("runsync-ignores-wait")
    @DisplayName("without ?wait, /runsync holds long enough for a 3 s job")
    void withoutWaitRunsyncHolds(Target target) {
        Response r = runsync(target, "", "{\"input\": {\"mock_return\": \"held\", \"mock_delay\": 3}}");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("COMPLETED", r.jsonPath().getString("status"), "a 3 s job should finish inside the default 90 s hold: " + r.asString());
    }

    @Test
    @Requirement("SYNC-005")
    @CaughtBy({"mock-error-completes", "failed-http-500", "failed-error-object"})
    @DisplayName("a job that fails within the wait is answered with 200, status FAILED and an error string")
    void aFailingJobIsAnsweredWithFailed(Target target) {
        Response r = runsync(target, "", "{\"input\": {\"mock_error\": \"sync failure\", \"mock_delay\": 0.5}}");
        assertEquals(200, r.statusCode(), "a job-level failure is not an HTTP error: " + r.asString());
        assertEquals("FAILED", r.jsonPath().getString("status"), r.asString());
        assertNotNull(r.jsonPath().getString("id"), r.asString());
        Object error = r.jsonPath().get("error");
        assertTrue(error instanceof String && ((String) error).contains("sync failure"),
                "error should be a string carrying the handler's message: " + r.asString());
    }

    @Test
    @Requirement("SYNC-004")
    @CaughtBy("runsync-wait-unclamped")
    @DisplayName("?wait below 1000 is raised to 1000 ms, and above 300000 is accepted (clamped)")
    void waitIsClamped(Target target) {
        warmUp(target);
        Response low = runsync(target, "?wait=1", "{\"input\": {\"mock_return\": \"quick\", \"mock_delay\": 0.3}}");
        assertEquals(200, low.statusCode(), low.asString());
        assertEquals("COMPLETED", low.jsonPath().getString("status"),
                "wait=1 should hold for 1000 ms, long enough for a 0.3 s job: " + low.asString());
        Response high = runsync(target, "?wait=900000", "{\"input\": {\"mock_return\": \"quick\"}}");
        assertEquals(200, high.statusCode(), high.asString());
        assertEquals("COMPLETED", high.jsonPath().getString("status"), high.asString());
    }
}
