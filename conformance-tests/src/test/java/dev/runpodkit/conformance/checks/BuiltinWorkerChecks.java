package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * runpod/mock-worker's mock_crash and mock_refresh on the mock's built-in worker (WORKER-015). What RunPod does
 * with a crashed or refreshed worker is undocumented; these checks hold the mock to its own rule (DEC-022), so
 * they run against this project's mock only.
 */
@ConformanceCheck
@NeedsMockWorker
@NeedsAdmin
@DisplayName("Built-in worker: crash and refresh")
class BuiltinWorkerChecks {

    @Test
    @Requirement("ERR-009")
    @CaughtBy("worker-lost-not-requeued")
    @DisplayName("a worker crash (mock_crash) is no HTTP error: /status answers 200 and the job ends FAILED by the lost-worker rule")
    void aCrashIsNotAnHttpError(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_crash\": true, \"mock_delay\": 1}}");
        Response last = Poll.until(target, 100_000, "job " + id + " to end", () -> Jobs.status(target, id), r -> {
            assertEquals(200, r.statusCode(), "/status of a job whose worker crashed: " + r.asString());
            return Jobs.TERMINAL.contains(r.jsonPath().getString("status"));
        });
        assertEquals("FAILED", last.jsonPath().getString("status"), "it crashes on every run: lost twice, FAILED");
        assertFalse(String.valueOf(last.jsonPath().getString("error")).isBlank());
    }

    @Test
    @Requirement("WORKER-015")
    @CaughtBy("mock-refresh-ignored")
    @DisplayName("mock_refresh retires the worker after its job: no later job runs on it")
    void mockRefreshRetiresTheWorker(Target target) {
        String refreshed = Jobs.run(target, "{\"input\": {\"mock_refresh\": true, \"mock_return\": \"refreshed\"}}");
        Response done = Jobs.awaitTerminal(target, refreshed, 100_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals("refreshed", done.jsonPath().getString("output"));
        String retired = done.jsonPath().getString("workerId");
        List<String> next = List.of(
                Jobs.run(target, "{\"input\": {\"mock_delay\": 2, \"mock_return\": 1}}"),
                Jobs.run(target, "{\"input\": {\"mock_delay\": 2, \"mock_return\": 2}}"));
        for (String id : next) {
            Response r = Jobs.awaitTerminal(target, id, 100_000);
            assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
            assertNotEquals(retired, r.jsonPath().getString("workerId"), "job " + id + " ran on the retired worker");
        }
        assertTrue(retired != null && !retired.isEmpty());
    }
}
