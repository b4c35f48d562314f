package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /retry: only FAILED or TIMED_OUT jobs, requeued under the same id with their result cleared. */
class RetryTest {

    private static final Policy TIMEOUT_5S = new Policy(5_000L, null, false);

    private final EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aFailedJobIsRequeuedUnderTheSameIdWithItsResultCleared() {
        String id = f.submit("{\"mock_error\": \"boom\", \"mock_delay\": 1}").id();
        f.advance(1_000);
        f.assertStatus(JobStatus.FAILED, id);
        f.submit("{\"mock_delay\": 10}"); // keeps the one worker busy, so the retried job waits in the queue

        Engine.RetryResult result = f.engine.retry(EP, id);

        assertEquals(Engine.RetryOutcome.REQUEUED, result.outcome());
        JobView requeued = result.job();
        assertEquals(id, requeued.id());
        assertEquals(JobStatus.IN_QUEUE, requeued.status());
        assertNull(requeued.error());
        assertNull(requeued.output());
        assertNull(requeued.executionTime());
        assertNull(requeued.delayTime());
        assertNull(requeued.workerId());
        assertEquals(1, requeued.retries());
        assertEquals(1, f.health().retried());
        f.assertStatus(JobStatus.IN_QUEUE, id);
    }

    @Test
    void aRetriedJobRunsAgainWithItsOriginalInput() {
        String id = f.submit("{\"mock_delay\": 10, \"mock_return\": \"second time lucky\"}", TIMEOUT_5S).id();
        f.advance(5_000);
        f.assertStatus(JobStatus.TIMED_OUT, id);

        assertEquals(Engine.RetryOutcome.REQUEUED, f.engine.retry(EP, id).outcome());
        f.assertStatus(JobStatus.IN_PROGRESS, id); // the worker is idle, it takes it at once
        assertEquals(0L, f.job(id).delayTime());
        f.advance(5_000);
        f.assertStatus(JobStatus.TIMED_OUT, id); // same input, same policy: times out again
        assertEquals(2, f.health().failed());

        assertEquals(Engine.RetryOutcome.REQUEUED, f.engine.retry(EP, id).outcome());
        assertEquals(2, f.job(id).retries());
        assertEquals(2, f.health().retried());
    }

    @Test
    void onlyFailedOrTimedOutJobsCanBeRetried() {
        String completed = f.submit("{}").id();
        f.advance(0);
        String running = f.submit("{\"mock_delay\": 100}").id();
        String queued = f.submit("{}").id();
        String cancelled = f.submit("{}").id();
        f.engine.cancel(EP, cancelled);

        for (String id : new String[] {completed, running, queued, cancelled}) {
            JobStatus before = f.status(id);
            Engine.RetryResult r = f.engine.retry(EP, id);
            assertEquals(Engine.RetryOutcome.NOT_RETRYABLE, r.outcome(), before + " must not be retryable");
            assertEquals(before, r.job().status());
            assertEquals(before, f.status(id), "a refused retry changes nothing");
        }
        assertEquals(0, f.health().retried());
    }

    @Test
    void retryingAnUnknownJobFindsNothing() {
        assertEquals(Engine.RetryOutcome.NOT_FOUND, f.engine.retry(EP, "nope").outcome());
    }

    @Test
    void theRetentionOfTheFirstRunDoesNotRemoveTheRetriedJob() {
        String id = f.submit("{\"mock_delay\": 10}", TIMEOUT_5S).id();
        f.advance(5_000);
        f.engine.retry(EP, id);
        f.advance(5_000); // times out again at +10 s: a new 30 min retention starts there
        f.advance(30 * 60_000 - 5_000);
        assertFalse(f.gone(id), "the first run's retention timer (ending at +30 min 5 s) must be cancelled by the retry");
        f.advance(5_000);
        assertEquals(true, f.gone(id));
    }
}
