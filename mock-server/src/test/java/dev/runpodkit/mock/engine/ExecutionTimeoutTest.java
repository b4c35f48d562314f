package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Settings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** policy.executionTimeout: a job that runs too long ends TIMED_OUT and its worker moves on. */
class ExecutionTimeoutTest {

    private EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aJobThatOutrunsItsExecutionTimeoutEndsTimedOut() {
        String slow = f.submit("{\"mock_delay\": 10}", new Policy(5_000L, null, false)).id();
        f.advance(4_999);
        f.assertStatus(JobStatus.IN_PROGRESS, slow);
        f.advance(1);
        JobView timedOut = f.job(slow);
        assertEquals(JobStatus.TIMED_OUT, timedOut.status());
        assertEquals(5_000L, timedOut.executionTime());
        assertNull(timedOut.output());
        assertTrue(timedOut.error() != null && timedOut.error().contains("timed out"), timedOut.error());
    }

    @Test
    void theFreedWorkerTakesTheNextQueuedJob() {
        String slow = f.submit("{\"mock_delay\": 10}", new Policy(5_000L, null, false)).id();
        String next = f.submit("{\"mock_delay\": 1, \"mock_return\": \"next\"}").id();
        String worker = f.job(slow).workerId();
        f.assertStatus(JobStatus.IN_QUEUE, next);

        f.advance(5_000);
        JobView running = f.job(next);
        assertEquals(JobStatus.IN_PROGRESS, running.status());
        assertEquals(worker, running.workerId(), "the one worker was freed by the timeout");
        assertEquals(5_000L, running.delayTime());

        f.advance(1_000);
        f.assertStatus(JobStatus.COMPLETED, next);
    }

    @Test
    void lateStepsOfATimedOutJobAreDiscarded() {
        String slow = f.submit("{\"mock_delay\": 10, \"mock_return\": \"too late\","
                + " \"mock_progress\": {\"updates\": [1, 2, 3], \"wait_time\": 3}}", new Policy(5_000L, null, false)).id();
        f.advance(5_000);
        f.assertStatus(JobStatus.TIMED_OUT, slow);

        f.advance(60_000);
        JobView after = f.job(slow);
        assertEquals(JobStatus.TIMED_OUT, after.status(), "the handler's late result must not revive the job");
        assertNull(after.output());
        assertEquals(5_000L, after.executionTime());
        assertEquals(0, f.health().completed());
        assertEquals(1, f.health().failed(), "a timeout counts as failed in /health");
    }

    @Test
    void withoutAPolicyTheEndpointDefaultApplies() {
        f.close();
        f = new EngineFixture(s -> s.executionTimeoutDefaultMs = 7_000);
        String id = f.submit("{\"mock_delay\": 8}").id();
        f.advance(6_999);
        f.assertStatus(JobStatus.IN_PROGRESS, id);
        f.advance(1);
        f.assertStatus(JobStatus.TIMED_OUT, id);
    }

    @Test
    void theTimeoutCountsFromTheStartNotFromSubmission() {
        String first = f.submit("{\"mock_delay\": 4}").id();
        String second = f.submit("{\"mock_delay\": 4}", new Policy(5_000L, null, false)).id();
        f.advance(4_000);
        f.assertStatus(JobStatus.COMPLETED, first);
        f.assertStatus(JobStatus.IN_PROGRESS, second);
        f.advance(4_000);
        f.assertStatus(JobStatus.COMPLETED, second);
    }

    @Test
    void theTimeoutStatusSettingCanMakeItFailed() {
        f.close();
        f = new EngineFixture(s -> s.timeoutStatus = Settings.TimeoutStatus.FAILED);
        String id = f.submit("{\"mock_delay\": 10}", new Policy(5_000L, null, false)).id();
        f.advance(5_000);
        f.assertStatus(JobStatus.FAILED, id);
        assertTrue(f.job(id).error().contains("timed out"));
    }
}
