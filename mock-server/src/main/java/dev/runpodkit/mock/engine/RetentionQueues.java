package dev.runpodkit.mock.engine;

import dev.runpodkit.mock.clock.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Finished jobs waiting for their retention to end, and the order in which the job store's budget forgets them
 * (DEC-034). One first-in-first-out queue per retention length: within a queue, deadlines come in the order the
 * jobs finished, so one clock timer per queue, armed for its head, serves every job in it. A timer per job made
 * each stored job carry a timer and a closure for 30 minutes: a million of them under a flood, all of it work
 * for the collector.
 *
 * <p>Entries are not removed when their job is retried or removed: they go stale ({@code current} says so) and
 * are dropped when they reach the front. Not thread-safe: the engine calls it under its lock, and a queue's timer
 * reaches it through {@code underLock}.
 *
 * @param <T> the job
 */
final class RetentionQueues<T> {

    /** A length that never ends (the RETAIN_FOREVER defect): such entries only ever leave through the budget. */
    static final long FOREVER = Long.MAX_VALUE;

    /** One finished job's place: it is forgotten at {@code deadline}, unless it is no longer current by then. */
    static final class Entry<T> {
        final T job;
        final long finishedAt;
        final long deadline;

        Entry(T job, long finishedAt, long deadline) {
            this.job = job;
            this.finishedAt = finishedAt;
            this.deadline = deadline;
        }
    }

    private final class Queue {
        final long lengthMs;
        final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
        Clock.Timer timer;
        long armedFor = Long.MAX_VALUE;

        Queue(long lengthMs) {
            this.lengthMs = lengthMs;
        }
    }

    private final Clock clock;
    private final Consumer<Runnable> underLock;
    private final Predicate<Entry<T>> current;
    private final Consumer<T> retentionOver;
    private final Map<Long, Queue> queues = new HashMap<>();

    /**
     * @param underLock     runs a timer's work under the engine's lock (and whatever the engine does after it)
     * @param current       true while an entry is its job's live one: not retried, not removed
     * @param retentionOver forgets a job whose retention has ended (called under the lock)
     */
    RetentionQueues(Clock clock, Consumer<Runnable> underLock, Predicate<Entry<T>> current, Consumer<T> retentionOver) {
        this.clock = clock;
        this.underLock = underLock;
        this.current = current;
        this.retentionOver = retentionOver;
    }

    /** Queues a job that finished now, to be forgotten {@code lengthMs} from now; returns its entry. */
    Entry<T> add(T job, long lengthMs) {
        long now = clock.now();
        long deadline = lengthMs == FOREVER ? FOREVER : now + Math.max(0, lengthMs);
        Queue q = queues.computeIfAbsent(lengthMs, Queue::new);
        Entry<T> entry = new Entry<>(job, now, deadline);
        q.entries.addLast(entry);
        arm(q);
        return entry;
    }

    /** The deadline a job finishing now with this retention length would get. */
    long deadlineFor(long lengthMs) {
        return lengthMs == FOREVER ? FOREVER : clock.now() + Math.max(0, lengthMs);
    }

    /**
     * Takes out the job that finished first among the current entries of every queue (the budget's victim), or
     * null when there is none. Stale entries met at the fronts are dropped on the way.
     */
    T pollOldest() {
        Queue oldest = null;
        for (Queue q : queues.values()) {
            dropStaleFront(q);
            Entry<T> head = q.entries.peekFirst();
            if (head != null && (oldest == null || head.finishedAt < oldest.entries.peekFirst().finishedAt)) {
                oldest = q;
            }
        }
        return oldest == null ? null : oldest.entries.pollFirst().job;
    }

    /** Forgets every entry and calls off every timer (engine reset). */
    void clear() {
        for (Queue q : queues.values()) {
            if (q.timer != null) {
                q.timer.cancel();
            }
        }
        queues.clear();
    }

    /** Entries held, stale ones included (for tests of boundedness). */
    int size() {
        int n = 0;
        for (Queue q : queues.values()) {
            n += q.entries.size();
        }
        return n;
    }

    private void dropStaleFront(Queue q) {
        while (!q.entries.isEmpty() && !current.test(q.entries.peekFirst())) {
            q.entries.pollFirst();
        }
    }

    /** Keeps one timer armed for the front's deadline; an earlier one stays (it re-arms when it fires). */
    private void arm(Queue q) {
        Entry<T> head = q.entries.peekFirst();
        if (head == null || head.deadline == FOREVER || (q.timer != null && q.armedFor <= head.deadline)) {
            return;
        }
        if (q.timer != null) {
            q.timer.cancel();
        }
        q.armedFor = head.deadline;
        q.timer = clock.schedule(head.deadline - clock.now(), () -> underLock.accept(() -> due(q)));
    }

    /** A queue's timer fired: every entry whose deadline has come is forgotten, then the timer re-arms. */
    private void due(Queue q) {
        q.timer = null;
        q.armedFor = Long.MAX_VALUE;
        if (queues.get(q.lengthMs) != q) {
            return; // cleared meanwhile
        }
        long now = clock.now();
        while (!q.entries.isEmpty()) {
            Entry<T> head = q.entries.peekFirst();
            if (!current.test(head)) {
                q.entries.pollFirst();
            } else if (head.deadline <= now) {
                q.entries.pollFirst();
                retentionOver.accept(head.job);
            } else {
                break;
            }
        }
        if (q.entries.isEmpty()) {
            queues.remove(q.lengthMs);
        } else {
            arm(q);
        }
    }
}
