package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /purge-queue: every queued job is removed (404 from then on, DEC-028); running jobs go on. */
class PurgeQueueTest {

    private final EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void purgingRemovesOnlyQueuedJobs() {
        String done = f.submit("{}").id();
        f.advance(0);
        String running = f.submit("{\"mock_delay\": 5}").id();
        String normal = f.submit("{}").id();
        String low = f.submit("{}", new Policy(null, null, true)).id();
        assertEquals(2, f.health().inQueue());

        assertEquals(2, f.engine.purgeQueue(EP));

        f.assertStatus(JobStatus.COMPLETED, done);
        f.assertStatus(JobStatus.IN_PROGRESS, running);
        assertTrue(f.gone(normal));
        assertTrue(f.gone(low));
        assertEquals(0, f.health().inQueue());
        assertEquals(1, f.health().inProgress());

        f.advance(5_000);
        f.assertStatus(JobStatus.COMPLETED, running);
        assertTrue(f.gone(normal));
        assertEquals(1, f.health().idle(), "nothing left to run");
        assertEquals(2, f.health().completed(), "purged jobs count as neither completed nor failed");
        assertEquals(0, f.health().failed());
    }

    @Test
    void aWaitOnAPurgedJobEndsWithNothing() {
        f.submit("{\"mock_delay\": 5}");
        String queued = f.submit("{}").id();
        var waiting = f.engine.awaitTerminal(EP, queued, 60_000);
        f.engine.purgeQueue(EP);
        assertEquals(java.util.Optional.empty(), EngineFixture.await(waiting));
    }

    @Test
    void purgingAnEmptyQueueRemovesNothing() {
        f.submit("{\"mock_delay\": 5}");
        assertEquals(0, f.engine.purgeQueue(EP));
        assertEquals(1, f.health().inProgress());
    }
}
