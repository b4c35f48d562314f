package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static dev.runpodkit.mock.engine.EngineFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Settings;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** policy.ttl: the job's whole lifespan; when it passes the job is gone, wherever it was. */
class TtlTest {

    private static final Policy TTL_10S = new Policy(null, 10_000L, false);

    private EngineFixture f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aQueuedJobIsRemovedWhenItsTtlPasses() {
        f.submit("{\"mock_delay\": 60}");
        String queued = f.submit("{}", TTL_10S).id();
        f.advance(9_999);
        f.assertStatus(JobStatus.IN_QUEUE, queued);
        f.advance(1);
        assertTrue(f.gone(queued));
        assertEquals(0, f.health().inQueue());
    }

    @Test
    void aRunningJobIsRemovedWhenItsTtlPassesAndItsWorkerTakesTheNextJob() {
        String running = f.submit("{\"mock_delay\": 60}", TTL_10S).id();
        String next = f.submit("{\"mock_delay\": 1}").id();
        f.advance(10_000);
        assertTrue(f.gone(running));
        f.assertStatus(JobStatus.IN_PROGRESS, next);
        f.advance(60_000);
        assertTrue(f.gone(running), "the expired job's late result does not bring it back");
        f.assertStatus(JobStatus.COMPLETED, next);
    }

    @Test
    void aFinishedJobIsRemovedWhenItsTtlPasses() {
        String id = f.submit("{\"mock_delay\": 1}", TTL_10S).id();
        f.advance(1_000);
        f.assertStatus(JobStatus.COMPLETED, id);
        f.advance(9_000);
        assertTrue(f.gone(id), "ttl is shorter than the 30 min retention, so it wins");
    }

    // A job's ttl timer is armed only while nothing else ends the job first (Engine.armTtlIfFirst). These cover the
    // ways a job gets out of the reach of its execution timeout and back under its ttl alone.

    @Test
    void aJobThatTimedOutIsStillRemovedWhenItsTtlPasses() {
        String id = f.submit("{\"mock_delay\": 60}", new Policy(5_000L, 20_000L, false)).id();
        f.advance(5_000);
        f.assertStatus(JobStatus.TIMED_OUT, id);
        f.advance(14_999);
        assertFalse(f.gone(id));
        f.advance(1);
        assertTrue(f.gone(id), "ttl is shorter than the 30 min retention, so it wins");
    }

    @Test
    void aTtlAndAnExecutionTimeoutDueAtOnceEndTheJobByTtl() {
        String id = f.submit("{\"mock_delay\": 60}", new Policy(10_000L, 10_000L, false)).id();
        f.advance(10_000);
        assertTrue(f.gone(id));
        assertEquals(0, f.health().failed(), "the job was removed by its ttl, not timed out first");
    }

    @Test
    void aJobRequeuedAfterItsWorkerCrashedIsRemovedWhenItsTtlPassesInTheQueue() {
        f.close();
        f = new EngineFixture(s -> {
            s.workersMin = s.workersMax = 1;
            s.coldStartMs = 60_000; // the crashed worker's replacement comes after the ttl
        });
        String id = f.submit("{\"mock_crash\": true, \"mock_delay\": 5}", new Policy(10_000L, 20_000L, false)).id();
        f.advance(5_000);
        f.assertStatus(JobStatus.IN_QUEUE, id);
        f.advance(14_999);
        f.assertStatus(JobStatus.IN_QUEUE, id);
        f.advance(1);
        assertTrue(f.gone(id), "requeued, only its ttl can end it, at 20 s");
    }

    @Test
    void theDefaultTtlIsTheEndpointSetting() {
        f.close();
        f = new EngineFixture(s -> {
            s.workersMin = s.workersMax = 1;
            s.ttlDefaultMs = 20_000;
        });
        f.submit("{\"mock_delay\": 60}");
        String queued = f.submit("{}").id();
        f.advance(19_999);
        assertFalse(f.gone(queued));
        f.advance(1);
        assertTrue(f.gone(queued));
    }

    @Test
    void aWaitOnAJobThatExpiresEndsWithNothing() {
        String id = f.submit("{\"mock_delay\": 60}", TTL_10S).id();
        CompletableFuture<Optional<JobView>> waiting = f.engine.awaitTerminal(EP, id, 30_000);
        f.advance(10_000);
        assertEquals(Optional.empty(), await(waiting));
    }

    @Test
    void inQueueModeTtlBoundsOnlyTheTimeInTheQueue() {
        f.close();
        f = new EngineFixture(s -> {
            s.workersMin = s.workersMax = 1;
            s.ttlMode = Settings.TtlMode.QUEUE;
        });
        String running = f.submit("{\"mock_delay\": 30}", TTL_10S).id();
        f.advance(20_000);
        f.assertStatus(JobStatus.IN_PROGRESS, running);
        f.advance(10_000);
        f.assertStatus(JobStatus.COMPLETED, running);
    }
}
