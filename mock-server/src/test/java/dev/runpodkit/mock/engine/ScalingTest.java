package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** workersMin..workersMax: queued jobs start workers (after a cold start); idle ones above the minimum stop. */
class ScalingTest {

    private EngineFixture f;

    @AfterEach
    void close() {
        f.close();
    }

    private static long workers(HealthView h) {
        return h.idle() + h.initializing() + h.running();
    }

    @Test
    void queuedJobsScaleThePoolUpToWorkersMaxThroughAColdStart() {
        f = new EngineFixture(s -> {
            s.workersMin = 1;
            s.workersMax = 3;
            s.coldStartMs = 2_000;
            s.idleTimeoutMs = 5_000;
        });
        assertEquals(new HealthView(0, 0, 0, 0, 0, 1, 0, 1, 0, 0), f.health(), "the minimum is ready at start");

        String a = f.submit("{\"mock_delay\": 10}").id();
        String b = f.submit("{\"mock_delay\": 10}").id();
        String c = f.submit("{\"mock_delay\": 10}").id();
        String d = f.submit("{\"mock_delay\": 10}").id();

        HealthView h = f.health();
        assertEquals(1, h.running());
        assertEquals(2, h.initializing(), "two more workers, up to workersMax 3: " + h);
        assertEquals(3, workers(h));
        assertEquals(3, h.inQueue());
        f.assertStatus(JobStatus.IN_PROGRESS, a);

        f.advance(1_999);
        assertEquals(2, f.health().initializing());
        f.assertStatus(JobStatus.IN_QUEUE, b);

        f.advance(1);
        HealthView warm = f.health();
        assertEquals(0, warm.initializing());
        assertEquals(3, warm.running());
        assertEquals(1, warm.inQueue(), "workersMax is a ceiling");
        assertEquals(2_000L, f.job(b).delayTime(), "b waited for the cold start");
        assertEquals(2_000L, f.job(c).delayTime());
        f.assertStatus(JobStatus.IN_QUEUE, d);

        f.advance(8_000); // a ends at +10 s and its worker takes d
        f.assertStatus(JobStatus.IN_PROGRESS, d);
        assertEquals(10_000L, f.job(d).delayTime());
    }

    @Test
    void idleWorkersAboveTheMinimumStopAfterTheIdleTimeout() {
        f = new EngineFixture(s -> {
            s.workersMin = 1;
            s.workersMax = 3;
            s.coldStartMs = 1_000;
            s.idleTimeoutMs = 5_000;
        });
        f.submit("{\"mock_delay\": 1}");
        f.submit("{\"mock_delay\": 1}");
        f.submit("{\"mock_delay\": 1}");
        f.advance(1_000); // cold starts done; the first job is done too
        f.advance(1_000); // all three done by +2 s
        HealthView idle = f.health();
        assertEquals(3, idle.completed());
        assertEquals(3, idle.idle());

        // the third worker came up at +1 s with nothing left to do (the first took the second job), so it has
        // been idle since +1 s; the other two since +2 s
        f.advance(3_999);
        assertEquals(3, workers(f.health()), "at +5.999 s nobody has been idle for 5 s");
        f.advance(1);
        assertEquals(2, workers(f.health()), "the worker idle since +1 s stopped at +6 s");
        f.advance(999);
        assertEquals(2, workers(f.health()));
        f.advance(1);
        assertEquals(1, workers(f.health()), "one more stopped at +7 s; the last one is the minimum");
        assertEquals(1, f.health().idle());
    }

    @Test
    void thePoolShrinksToWorkersMinAndNoFurther() {
        f = new EngineFixture(s -> {
            s.workersMin = 1;
            s.workersMax = 3;
            s.coldStartMs = 0;
            s.idleTimeoutMs = 5_000;
        });
        f.submit("{\"mock_delay\": 1}");
        f.submit("{\"mock_delay\": 1}");
        f.submit("{\"mock_delay\": 1}");
        assertEquals(3, f.health().running(), "with no cold start new workers take jobs at once");
        f.advance(1_000);
        assertEquals(3, f.health().idle());

        f.advance(4_999);
        assertEquals(3, workers(f.health()), "idle for less than the idle timeout");
        f.advance(1);
        assertEquals(1, workers(f.health()), "down to workersMin");
        f.advance(60_000);
        assertEquals(1, workers(f.health()));
    }

    @Test
    void aWorkerThatGetsWorkBeforeItsIdleTimeoutIsKept() {
        f = new EngineFixture(s -> {
            s.workersMin = 0;
            s.workersMax = 1;
            s.coldStartMs = 0;
            s.idleTimeoutMs = 5_000;
        });
        f.submit("{\"mock_delay\": 1}");
        f.advance(1_000);
        f.advance(4_000);
        String again = f.submit("{\"mock_delay\": 3}").id();
        f.assertStatus(JobStatus.IN_PROGRESS, again);
        f.advance(2_000); // past the first idle deadline (+6 s), while busy
        assertEquals(1, f.health().running());
        f.advance(1_000);
        f.assertStatus(JobStatus.COMPLETED, again);
        f.advance(4_999);
        assertEquals(1, workers(f.health()));
        f.advance(1);
        assertEquals(0, workers(f.health()));
    }

    @Test
    void anEndpointWithNoMinimumScalesFromZero() {
        f = new EngineFixture(s -> {
            s.workersMin = 0;
            s.workersMax = 2;
            s.coldStartMs = 3_000;
            s.idleTimeoutMs = 1_000;
        });
        assertEquals(0, workers(f.health()));
        String id = f.submit("{}").id();
        assertEquals(1, f.health().initializing());
        f.assertStatus(JobStatus.IN_QUEUE, id);
        f.advance(3_000);
        f.assertStatus(JobStatus.COMPLETED, id);
        assertEquals(3_000L, f.job(id).delayTime());
        f.advance(1_000);
        assertEquals(0, workers(f.health()));
    }
}
