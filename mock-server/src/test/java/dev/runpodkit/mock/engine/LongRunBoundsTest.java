package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing grows without bound in a long run: over two hours of mock time with a steady stream of jobs (runs,
 * runsyncs, failures, cancels, held status-sync waits), the job store never holds more than the retention window's
 * worth of jobs, and once the stream stops and retention has passed it is empty and the clock holds no live timer
 * for any job.
 */
class LongRunBoundsTest {

    private static final long MIN = 60_000;
    private static final int JOBS_PER_MINUTE = 150;

    private final EngineFixture f = new EngineFixture(s -> {
        s.workersMin = 4;
        s.workersMax = 4;
    });

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theJobStoreAndTheTimersStayBoundedAndEmptyAfterRetention() {
        int maxStored = 0;
        int maxTimers = 0;
        List<Integer> storedPerMinute = new ArrayList<>();
        for (int minute = 0; minute < 120; minute++) {
            for (int i = 0; i < JOBS_PER_MINUTE; i++) {
                int n = minute * JOBS_PER_MINUTE + i;
                JobView job = switch (n % 10) {
                    case 0 -> f.submitSync("{\"n\": " + n + "}");
                    case 1 -> f.submit("{\"mock_error\": \"x\"}");
                    default -> f.submit("{\"mock_delay\": 0.1, \"n\": " + n + "}");
                };
                if (n % 10 == 2) {
                    f.engine.cancel(EngineFixture.EP, job.id());
                }
                if (n % 10 == 3) {
                    f.engine.awaitTerminal(EngineFixture.EP, job.id(), 90_000); // a held status-sync
                }
            }
            f.advance(MIN);
            int stored = f.engine.jobs(j -> true).size();
            // every job of the minute has ended: the thousands stored hold no timer of their own, only their
            // retention queues do (one each), plus the held status-syncs still waiting
            HealthView now = f.health();
            assertEquals(0, now.inQueue() + now.inProgress(), "minute " + minute);
            maxTimers = Math.max(maxTimers, f.clock.pendingTimers());
            storedPerMinute.add(stored);
            maxStored = Math.max(maxStored, stored);
        }
        // /run results stay 30 min and /runsync results 1 min after they end: at most 31 minutes' worth of jobs
        assertTrue(maxStored <= JOBS_PER_MINUTE * 31, "the store grew to " + maxStored + " jobs: " + storedPerMinute);
        // steady state: the second hour holds no more than the first hour's peak after warm-up
        int lateMax = storedPerMinute.subList(60, 120).stream().mapToInt(Integer::intValue).max().orElseThrow();
        int earlyMax = storedPerMinute.subList(31, 60).stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(lateMax <= earlyMax, "the store kept growing: " + earlyMax + " then " + lateMax);

        f.advance(31 * MIN);
        assertEquals(0, f.engine.jobs(j -> true).size(), "jobs outlived their retention");
        HealthView h = f.health();
        assertEquals(0, h.inQueue() + h.inProgress());
        assertTrue(maxTimers <= 16 + JOBS_PER_MINUTE / 10, "with up to " + maxStored + " jobs stored the clock held "
                + maxTimers + " timers: a stored job must not keep a timer");
        // a cancelled timer leaves the clock at once; once retention has passed nothing is left
        assertEquals(0, f.clock.pendingTimers(), "timers left after every job is gone");
    }
}
