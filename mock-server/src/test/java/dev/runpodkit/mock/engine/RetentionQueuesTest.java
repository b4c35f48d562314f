package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.clock.ControllableClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retention queues on their own, on a manual clock: deadlines, staleness, the budget's order, the rings. */
class RetentionQueuesTest {

    private final ControllableClock clock = ControllableClock.manual(1_000_000);
    /** Each job's live ticket; a job missing here has been retried or removed. */
    private final Map<String, Long> live = new HashMap<>();
    private final List<String> forgotten = new ArrayList<>();
    private final RetentionQueues<String> queues = new RetentionQueues<>(clock, Runnable::run,
            (job, ticket) -> live.containsKey(job) && live.get(job) == ticket, forgotten::add);

    @AfterEach
    void close() {
        clock.close();
    }

    private void finish(String job, long lengthMs) {
        live.put(job, queues.add(job, lengthMs));
    }

    @Test
    void eachJobIsForgottenAtItsDeadlineToTheMillisecondInFinishOrder() {
        finish("a", 1_000);
        clock.advance(10);
        finish("b", 1_000);
        finish("c", 60);
        clock.advance(59);
        assertEquals(List.of(), forgotten);
        clock.advance(1);
        assertEquals(List.of("c"), forgotten, "c's deadline is 70 ms in; a's 1,000; b's 1,010");
        clock.advance(929);
        assertEquals(List.of("c"), forgotten);
        clock.advance(1);
        assertEquals(List.of("c", "a"), forgotten);
        clock.advance(10);
        assertEquals(List.of("c", "a", "b"), forgotten);
        assertEquals(0, clock.pendingTimers(), "empty queues leave no timer");
    }

    @Test
    void oneTimerPerQueueHowEverManyJobsItHolds() {
        for (int i = 0; i < 5_000; i++) {
            finish("run-" + i, 1_800_000);
            finish("sync-" + i, 60_000);
        }
        assertEquals(2, clock.pendingTimers());
        assertEquals(10_000, queues.size());
    }

    @Test
    void aStaleEntryIsSkippedAndARefinishedJobGoesByItsNewEntry() {
        finish("retried", 100);
        finish("gone", 100);
        live.remove("gone"); // removed (ttl) while finished
        clock.advance(50);
        finish("retried", 100); // retried and finished again: a new ticket, a later deadline
        clock.advance(50);
        assertEquals(List.of(), forgotten, "the first entries are stale");
        clock.advance(50);
        assertEquals(List.of("retried"), forgotten);
    }

    @Test
    void theBudgetTakesTheOldestFinishedAcrossLengthsAndSkipsStaleOnes() {
        finish("run-1", 1_800_000);
        clock.advance(1);
        finish("sync-1", 60_000);
        clock.advance(1);
        finish("run-2", 1_800_000);
        live.remove("run-1");
        assertEquals("sync-1", queues.pollOldest());
        assertEquals("run-2", queues.pollOldest());
        assertNull(queues.pollOldest());
    }

    @Test
    void aRingThatWrapsAndGrowsKeepsItsOrderAndShrinksOnceDrained() {
        for (int i = 0; i < 10; i++) {
            finish("early-" + i, 1_000);
        }
        for (int i = 0; i < 8; i++) {
            queues.pollOldest(); // the head moves on, so the next adds wrap around the ring
        }
        for (int i = 0; i < 20_000; i++) {
            finish("late-" + i, 1_000);
        }
        assertTrue(queues.capacity(1_000) >= 20_002);
        assertEquals("early-8", queues.pollOldest());
        assertEquals("early-9", queues.pollOldest());
        for (int i = 0; i < 19_990; i++) {
            assertEquals("late-" + i, queues.pollOldest());
        }
        assertTrue(queues.capacity(1_000) <= 1_024, "a drained ring gives its room back: " + queues.capacity(1_000));
        clock.advance(1_000);
        assertEquals(List.of("late-19990", "late-19991", "late-19992", "late-19993", "late-19994", "late-19995",
                "late-19996", "late-19997", "late-19998", "late-19999"), forgotten);
    }
}
