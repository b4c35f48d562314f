package dev.runpodkit.mock.webhooks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every webhook delivery attempt, newest last, in a bounded journal: when it is full the oldest entries drop
 * first, so a long run never grows it without bound (WireMock's users ran out of memory without a cap).
 */
public final class DeliveryJournal {

    /** One attempt. {@code statusCode} is null when no HTTP answer came (refused, timed out, blocked). */
    public record Attempt(long seq, String jobId, String endpointId, String url, int attempt, long at,
                          Integer statusCode, String error, long durationMs, String outcome) { }

    private final Deque<Attempt> entries = new ArrayDeque<>();
    private int capacity;
    private long seq;
    private long dropped;
    /** Deliveries begun since the last clear that have not ended (delivered, given up or blocked). */
    private long pending;
    /** Bumped by clear: a delivery begun before it stops, and its attempts stay out of the journal. */
    private long epoch;
    /** Deliveries stopped because a clear (the admin reset) came after they began. */
    private long stoppedByReset;

    public DeliveryJournal(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    synchronized Attempt record(String jobId, String endpointId, String url, int attempt, long at, Integer statusCode,
                                String error, long durationMs, String outcome) {
        Attempt a = new Attempt(++seq, jobId, endpointId, url, attempt, at, statusCode, error, durationMs, outcome);
        entries.addLast(a);
        while (entries.size() > capacity) {
            entries.removeFirst();
            dropped++;
        }
        return a;
    }

    /**
     * Journals an attempt of the delivery begun with {@code token}, unless the journal was cleared since: checked
     * under the same lock as {@link #clear()}, so no attempt of a delivery from before a reset lands after it.
     */
    synchronized Attempt record(long token, String jobId, String endpointId, String url, int attempt, long at,
                                Integer statusCode, String error, long durationMs, String outcome) {
        if (token != epoch) {
            return null;
        }
        return record(jobId, endpointId, url, attempt, at, statusCode, error, durationMs, outcome);
    }

    /**
     * Whether the delivery begun with {@code token} must stop because the journal was cleared (the admin reset)
     * since it began; each delivery asks once more at each step, and stops at the first yes, which is counted.
     */
    synchronized boolean stopIfBegunBeforeClear(long token) {
        if (token == epoch) {
            return false;
        }
        stoppedByReset++;
        return true;
    }

    /** How many deliveries begun before a clear (the admin reset) were stopped by it: no retry, nothing journaled. */
    public synchronized long stoppedByReset() {
        return stoppedByReset;
    }

    public synchronized List<Attempt> entries(Predicate<Attempt> filter) {
        List<Attempt> out = new ArrayList<>();
        for (Attempt a : entries) {
            if (filter.test(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** How many entries were dropped to keep the journal bounded. */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void setCapacity(int newCapacity) {
        capacity = Math.max(1, newCapacity);
        while (entries.size() > capacity) {
            entries.removeFirst();
            dropped++;
        }
    }

    /** A job's delivery begins (its first attempt is about to be made); returns the token its end hands back. */
    synchronized long deliveryBegun() {
        pending++;
        return epoch;
    }

    /** The delivery begun with {@code token} has ended: delivered, given up after its last attempt, or blocked. */
    synchronized void deliveryEnded(long token) {
        if (token == epoch && pending > 0) {
            pending--;
        }
    }

    /**
     * Deliveries still under way (an attempt in flight or a retry waiting on the clock): 0 means every webhook so
     * far has settled, so a test can wait for that instead of guessing how long retries take.
     */
    public synchronized long pending() {
        return pending;
    }

    public synchronized void clear() {
        entries.clear();
        dropped = 0;
        // deliveries begun before a reset stop at their next step (an attempt's end, a retry falling due): a test
        // that counts the journal after a reset sees only what came after it
        pending = 0;
        epoch++;
    }
}
