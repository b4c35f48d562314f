package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Results are kept 30 min after a /run job ends and 1 min after a /runsync job ends, counted from the end. */
class RetentionTest {

    private static final long MIN = 60_000;

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aRunJobsResultIsRemovedThirtyMinutesAfterItEnds() {
        String id = f.submit("{\"mock_delay\": 5}").id();
        f.advance(5_000);
        f.assertStatus(JobStatus.COMPLETED, id);
        f.advance(30 * MIN - 1);
        assertFalse(f.gone(id));
        f.advance(1);
        assertTrue(f.gone(id));
    }

    @Test
    void aRunsyncJobsResultIsRemovedOneMinuteAfterItEnds() {
        String id = f.submitSync("{\"mock_delay\": 90}").id();
        f.advance(90_000);
        f.assertStatus(JobStatus.COMPLETED, id);
        f.advance(MIN - 1);
        assertFalse(f.gone(id), "retention counts from the end of the job, not from its submission");
        f.advance(1);
        assertTrue(f.gone(id));
    }

    @Test
    void failedAndCancelledJobsAreRetainedTheSameWay() {
        String failed = f.submit("{\"mock_error\": \"x\"}").id();
        String cancelled = f.submit("{\"mock_delay\": 100}").id();
        f.engine.cancel(EngineFixture.EP, cancelled);
        f.advance(0);
        f.advance(30 * MIN - 1);
        assertFalse(f.gone(failed));
        assertFalse(f.gone(cancelled));
        f.advance(1);
        assertTrue(f.gone(failed));
        assertTrue(f.gone(cancelled));
    }

    @Test
    void aRunningJobIsNeverRemovedByRetention() {
        String id = f.submit("{\"mock_delay\": 3600}", new Policy(2 * 3_600_000L, null, false)).id();
        f.advance(59 * MIN);
        f.assertStatus(JobStatus.IN_PROGRESS, id);
    }
}
