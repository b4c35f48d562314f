package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DEC-034: the job store has a memory budget. Over it, the oldest finished jobs are forgotten before their
 * retention ends; queued and running jobs never are, and a job is never forgotten in the moment it finishes.
 */
class StoreBudgetTest {

    /** Room for ten small jobs (each counted at JOB_BYTES plus its body, here none). */
    private static final long BUDGET = 10 * Engine.JOB_BYTES;

    private final EngineFixture f = new EngineFixture(s -> {
        s.workersMin = 1;
        s.workersMax = 1;
        s.retainedBytesMax = BUDGET;
    });

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void overTheBudgetTheOldestFinishedJobsGoFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ids.add(f.submit("{\"n\": " + i + "}").id());
            f.advance(10); // each finishes before the next is submitted
        }
        // 250 ms of mock time: retention (30 min) removed none of them, the budget did
        for (int i = 0; i < ids.size(); i++) {
            if (i < 15) {
                assertTrue(f.gone(ids.get(i)), "job " + i + " should have made room");
            } else {
                assertEquals(JobStatus.COMPLETED, f.status(ids.get(i)), "job " + i);
            }
        }
        // each finish makes room for itself: ten jobs, the finishing one included, fill the budget exactly
        assertEquals(10 * Engine.JOB_BYTES, f.engine.storedBytes());
        assertEquals(15, f.engine.evictedEarly());
    }

    @Test
    void queuedAndRunningJobsAreNeverForgottenToMakeRoom() {
        // one worker: the first job runs for 60 s, the next 30 wait in the queue, far over the budget
        String running = f.submit("{\"mock_delay\": 60}").id();
        f.advance(10);
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            queued.add(f.submit("{\"n\": " + i + "}").id());
        }
        assertTrue(f.engine.storedBytes() > BUDGET);
        assertEquals(JobStatus.IN_PROGRESS, f.status(running));
        for (String id : queued) {
            assertEquals(JobStatus.IN_QUEUE, f.status(id));
        }
        assertEquals(0, f.engine.evictedEarly());

        // once they have all run, the store is back within its budget and the last ten to finish are kept
        f.advance(61_000);
        long kept = queued.stream().filter(id -> !f.gone(id)).count();
        assertTrue(f.gone(running), "the oldest finished job should have made room");
        assertTrue(kept >= 9 && kept <= 11, kept + " of 30 kept");
        assertFalse(f.gone(queued.get(queued.size() - 1)), "the newest finished job was forgotten");
        assertEquals(0, f.health().inQueue());
        assertEquals(31, f.health().completed());
    }

    @Test
    void aRetriedJobIsCountedOnceAndNotForgottenForItsOldFinish() {
        String failed = f.submit("{\"mock_error\": \"boom\"}").id();
        f.advance(10);
        assertEquals(JobStatus.FAILED, f.status(failed));
        f.engine.retry(EngineFixture.EP, failed);
        f.advance(10);
        // nine more finish after the retry; the retried job finished twice but is one job of the ten
        for (int i = 0; i < 9; i++) {
            f.submit("{\"n\": " + i + "}");
            f.advance(10);
        }
        assertEquals(0, f.engine.evictedEarly());
        assertEquals(JobStatus.FAILED, f.status(failed));
        assertEquals(10 * Engine.JOB_BYTES, f.engine.storedBytes());
    }
}
