package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /health counters, read in one go, agree with the jobs and workers. */
class HealthTest {

    private final EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 2);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aFreshEndpointHasOnlyIdleWorkers() {
        assertEquals(new HealthView(0, 0, 0, 0, 0, 2, 0, 2, 0, 0), f.health());
    }

    @Test
    void theCountersFollowEveryKindOfEnding() {
        f.submit("{\"mock_delay\": 1}");                                   // completes at 1 s
        f.submit("{\"mock_error\": \"x\", \"mock_delay\": 1}");            // fails at 1 s
        f.submit("{\"mock_delay\": 10}", new Policy(5_000L, null, false)); // times out at 6 s
        String queuedLater = f.submit("{\"mock_delay\": 100}").id();
        f.submit("{}", new Policy(null, null, true));                       // low priority, last in line

        HealthView start = f.health();
        assertEquals(2, start.inProgress());
        assertEquals(3, start.inQueue());
        assertEquals(2, start.running());
        assertEquals(0, start.idle());

        f.advance(1_000);
        HealthView h1 = f.health();
        assertEquals(1, h1.completed());
        assertEquals(1, h1.failed());
        assertEquals(2, h1.inProgress());
        assertEquals(1, h1.inQueue());

        f.advance(5_000);
        HealthView h6 = f.health();
        assertEquals(2, h6.completed(), "the timeout freed a worker and the low-priority job ran at once");
        assertEquals(2, h6.failed(), "TIMED_OUT counts as failed");
        f.assertStatus(JobStatus.IN_PROGRESS, queuedLater);

        f.engine.cancel(EP, queuedLater);
        f.advance(0);
        HealthView end = f.health();
        assertEquals(2, end.completed());
        assertEquals(2, end.failed(), "a cancelled job is neither completed nor failed");
        assertEquals(0, end.inProgress());
        assertEquals(0, end.inQueue());
        assertEquals(2, end.idle());
    }

    @Test
    void runningWorkersAlwaysMatchJobsInProgress() {
        for (int i = 0; i < 7; i++) {
            f.submit("{\"mock_delay\": " + (i % 3 + 1) + "}");
        }
        for (int step = 0; step < 20; step++) {
            HealthView h = f.health();
            assertEquals(h.inProgress(), h.running(), "at +" + f.elapsed() + " ms: " + h);
            assertEquals(2, h.idle() + h.running() + h.initializing(), "workers at +" + f.elapsed() + " ms: " + h);
            assertEquals(h.idle(), h.ready());
            assertEquals(7, h.completed() + h.inProgress() + h.inQueue());
            f.advance(500);
        }
        assertEquals(7, f.health().completed());
    }

    @Test
    void anUnknownEndpointHasNoHealth() {
        assertThrows(IllegalArgumentException.class, () -> f.engine.health("nope"));
    }
}
