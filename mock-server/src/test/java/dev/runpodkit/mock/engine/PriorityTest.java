package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** policy.lowPriority: such jobs run only when no normal job waits, and never make the pool grow. */
class PriorityTest {

    private static final Policy LOW = new Policy(null, null, true);

    private EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void lowPriorityJobsWaitWhileNormalOnesAreQueued() {
        String busy = f.submit("{\"mock_delay\": 1}").id();
        String low1 = f.submit("{\"mock_delay\": 1}", LOW).id();
        String normal1 = f.submit("{\"mock_delay\": 1}").id();
        String low2 = f.submit("{\"mock_delay\": 1}", LOW).id();
        String normal2 = f.submit("{\"mock_delay\": 1}").id();

        f.advance(1_000);
        f.assertStatus(JobStatus.COMPLETED, busy);
        f.assertStatus(JobStatus.IN_PROGRESS, normal1);
        f.assertStatus(JobStatus.IN_QUEUE, low1);

        f.advance(1_000);
        f.assertStatus(JobStatus.IN_PROGRESS, normal2);
        f.assertStatus(JobStatus.IN_QUEUE, low1);
        f.assertStatus(JobStatus.IN_QUEUE, low2);

        f.advance(1_000);
        f.assertStatus(JobStatus.IN_PROGRESS, low1);
        f.assertStatus(JobStatus.IN_QUEUE, low2);
        assertEquals(3_000L, f.job(low1).delayTime());

        f.advance(1_000);
        f.assertStatus(JobStatus.IN_PROGRESS, low2);
        f.advance(1_000);
        f.assertStatus(JobStatus.COMPLETED, low2);
    }

    @Test
    void aQueueOfOnlyLowPriorityJobsDoesNotScaleUp() {
        f.close();
        f = new EngineFixture(s -> {
            s.workersMin = 1;
            s.workersMax = 4;
        });
        f.submit("{\"mock_delay\": 10}");
        for (int i = 0; i < 5; i++) {
            f.submit("{}", LOW);
        }
        HealthView h = f.health();
        assertEquals(1, h.running() + h.idle() + h.initializing(), "low-priority jobs must not add workers: " + h);
        assertEquals(5, h.inQueue());

        f.submit("{}");
        HealthView after = f.health();
        assertEquals(2, after.running() + after.idle() + after.initializing(), "a normal job does: " + after);
    }
}
