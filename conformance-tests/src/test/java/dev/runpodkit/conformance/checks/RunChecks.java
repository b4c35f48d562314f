package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** POST /run: queue a job and answer at once (docs:opref; runpod-api.md §2.1). */
@ConformanceCheck
@DisplayName("/run")
class RunChecks {

    @Test
    @Requirement("RUN-001")
    @CaughtBy({"run-returns-in-progress", "run-returns-202", "run-missing-id"})
    @DisplayName("/run answers 200 with an id and status IN_QUEUE, without waiting for the job")
    void runAnswersInQueueAtOnce(Target target) {
        // a job that takes 30 s: the answer must not wait for it
        Response r = target.given().body("{\"input\": {\"mock_delay\": 30, \"mock_return\": \"late\"}}").post(target.url("run"));
        assertEquals(200, r.statusCode(), r.asString());
        String id = r.jsonPath().getString("id");
        assertFalse(id == null || id.isBlank(), "no job id in " + r.asString());
        assertEquals("IN_QUEUE", r.jsonPath().getString("status"), "status in " + r.asString());
        target.given().post(target.url("cancel/" + id));
    }

    @Test
    @NeedsMockWorker
    @Requirement("RUN-002")
    @CaughtBy("echo-wrong-output")
    @DisplayName("a /run job is executed and /status then shows COMPLETED with the handler's output")
    void aRunJobCompletesWithItsOutput(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": {\"answer\": 42, \"list\": [\"a\", \"b\"]}}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals(42, done.jsonPath().getInt("output.answer"), done.asString());
        assertEquals("b", done.jsonPath().getString("output.list[1]"), done.asString());
    }
}
