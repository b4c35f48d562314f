package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static dev.runpodkit.mock.engine.EngineFixture.present;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /cancel: queued and running jobs end CANCELLED; a terminal job stays as it is. */
class CancelTest {

    private final EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void cancellingAQueuedJobTakesItOutOfTheQueue() {
        String running = f.submit("{\"mock_delay\": 5}").id();
        String queued = f.submit("{\"mock_delay\": 5}").id();
        assertEquals(1, f.health().inQueue());

        JobView cancelled = present(f.engine.cancel(EP, queued));
        assertEquals(JobStatus.CANCELLED, cancelled.status());
        assertEquals(0, f.health().inQueue());

        f.advance(20_000);
        f.assertStatus(JobStatus.COMPLETED, running);
        f.assertStatus(JobStatus.CANCELLED, queued);
        assertNull(f.job(queued).workerId(), "it never ran");
    }

    @Test
    void cancellingARunningJobFreesItsWorkerForTheNextJob() {
        String running = f.submit("{\"mock_delay\": 5, \"mock_return\": \"late\"}").id();
        String next = f.submit("{\"mock_delay\": 1}").id();
        f.advance(2_000);

        assertEquals(JobStatus.CANCELLED, present(f.engine.cancel(EP, running)).status());
        f.assertStatus(JobStatus.IN_PROGRESS, next);
        assertEquals(2_000L, f.job(running).executionTime());

        f.advance(10_000);
        f.assertStatus(JobStatus.CANCELLED, running);
        assertNull(f.job(running).output(), "the cancelled handler's late result is dropped");
        f.assertStatus(JobStatus.COMPLETED, next);
    }

    @Test
    void cancellingATerminalJobLeavesItAsItIs() {
        String id = f.submit("{\"mock_return\": 7}").id();
        f.advance(0);
        JobView after = present(f.engine.cancel(EP, id));
        assertEquals(JobStatus.COMPLETED, after.status());
        assertEquals(EngineFixture.json("7"), after.output());
        assertEquals(1, f.health().completed());
    }

    @Test
    void cancellingAnUnknownJobFindsNothing() {
        assertTrue(f.engine.cancel(EP, "nope").isEmpty());
        assertTrue(f.engine.cancel("other-endpoint", "nope").isEmpty());
    }
}
