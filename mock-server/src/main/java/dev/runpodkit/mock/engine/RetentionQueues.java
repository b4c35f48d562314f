package dev.runpodkit.mock.engine;

import dev.runpodkit.mock.clock.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finished jobs waiting for their retention to end, and the order in which the job store's budget forgets them
 * (DEC-034). One first-in-first-out queue per retention length: within a queue, deadlines come in the order the
 * jobs finished, so one clock timer per queue, armed for its head, serves every job in it. A timer per job made
 * each stored job carry a timer and a closure for 30 minutes: a million of them under a flood, all of it work
 * for the collector. A queue is a ring of parallel arrays, so holding a job adds no object either.
 *
 * <p>Each entry carries a ticket, and a job knows the ticket of its live entry ({@code current}). Entries are not
 * removed when their job is retried or removed: they go stale and are dropped when they reach the front. Not
 * thread-safe: the engine calls it under its lock, and a queue's timer reaches it through {@code underLock}.
 *
 * @param <T> the job
 */
final class RetentionQueues<T> {

    /** A length that never ends (the RETAIN_FOREVER defect): such entries only ever leave through the budget. */
    static final long FOREVER = Long.MAX_VALUE;

    /** Whether {@code ticket} is still the live entry of {@code job}: not retried, not removed since. */
    interface Current<T> {
        boolean test(T job, long ticket);
    }

    /** One retention length's queue: a ring buffer of entries, oldest at {@code head}. */
    private final class Queue {
        final long lengthMs;
        Object[] jobs = new Object[16];
        long[] deadlines = new long[16];
        long[] finishedAts = new long[16];
        long[] tickets = new long[16];
        int head;
        int size;
        Clock.Timer timer;
        long armedFor = Long.MAX_VALUE;

        Queue(long lengthMs) {
            this.lengthMs = lengthMs;
        }

        int at(int i) {
            return (head + i) & (jobs.length - 1);
        }

        void addLast(T job, long deadline, long finishedAt, long ticket) {
            if (size == jobs.length) {
                resize(jobs.length * 2);
            }
            int i = at(size++);
            jobs[i] = job;
            deadlines[i] = deadline;
            finishedAts[i] = finishedAt;
            tickets[i] = ticket;
        }

        @SuppressWarnings("unchecked")
        T headJob() {
            return (T) jobs[head];
        }

        void removeFirst() {
            jobs[head] = null;
            head = (head + 1) & (jobs.length - 1);
            size--;
            if (jobs.length > 1024 && size < jobs.length / 8) {
                resize(jobs.length / 2); // give back what a flood made it grow to
            }
        }

        boolean headCurrent() {
            return current.test(headJob(), tickets[head]);
        }

        private void resize(int capacity) {
            Object[] j = new Object[capacity];
            long[] d = new long[capacity];
            long[] f = new long[capacity];
            long[] t = new long[capacity];
            for (int k = 0; k < size; k++) {
                int from = at(k);
                j[k] = jobs[from];
                d[k] = deadlines[from];
                f[k] = finishedAts[from];
                t[k] = tickets[from];
            }
            jobs = j;
            deadlines = d;
            finishedAts = f;
            tickets = t;
            head = 0;
        }
    }

    private final Clock clock;
    private final Consumer<Runnable> underLock;
    private final Current<T> current;
    private final Consumer<T> retentionOver;
    private final Map<Long, Queue> queues = new HashMap<>();
    /** The queue used last: nearly every job has the same length, so the map is rarely asked. */
    private Queue lastUsed;
    private long nextTicket = 1;

    /**
     * @param underLock     runs a timer's work under the engine's lock (and whatever the engine does after it)
     * @param current       true while an entry is its job's live one
     * @param retentionOver forgets a job whose retention has ended (called under the lock)
     */
    RetentionQueues(Clock clock, Consumer<Runnable> underLock, Current<T> current, Consumer<T> retentionOver) {
        this.clock = clock;
        this.underLock = underLock;
        this.current = current;
        this.retentionOver = retentionOver;
    }

    /** Queues a job that finished now, to be forgotten {@code lengthMs} from now; returns its entry's ticket (never 0). */
    long add(T job, long lengthMs) {
        long now = clock.now();
        Queue q = lastUsed;
        if (q == null || q.lengthMs != lengthMs) {
            q = queues.computeIfAbsent(lengthMs, Queue::new);
            lastUsed = q;
        }
        long ticket = nextTicket++;
        q.addLast(job, deadlineFor(lengthMs, now), now, ticket);
        arm(q);
        return ticket;
    }

    /** The deadline a job finishing now with this retention length would get. */
    long deadlineFor(long lengthMs) {
        return deadlineFor(lengthMs, clock.now());
    }

    private static long deadlineFor(long lengthMs, long now) {
        return lengthMs == FOREVER ? FOREVER : now + Math.max(0, lengthMs);
    }

    /**
     * Takes out the job that finished first among the current entries of every queue (the budget's victim), or
     * null when there is none. Stale entries met at the fronts are dropped on the way.
     */
    T pollOldest() {
        Queue oldest = null;
        for (Queue q : queues.values()) {
            while (q.size > 0 && !q.headCurrent()) {
                q.removeFirst();
            }
            if (q.size > 0 && (oldest == null || q.finishedAts[q.head] < oldest.finishedAts[oldest.head])) {
                oldest = q;
            }
        }
        if (oldest == null) {
            return null;
        }
        T job = oldest.headJob();
        oldest.removeFirst();
        return job;
    }

    /** Forgets every entry and calls off every timer (engine reset). */
    void clear() {
        for (Queue q : queues.values()) {
            if (q.timer != null) {
                q.timer.cancel();
            }
        }
        queues.clear();
        lastUsed = null;
    }

    /** Entries held, stale ones included (for tests of boundedness). */
    int size() {
        int n = 0;
        for (Queue q : queues.values()) {
            n += q.size;
        }
        return n;
    }

    /** Keeps one timer armed for the front's deadline; an earlier one stays (it re-arms when it fires). */
    private void arm(Queue q) {
        if (q.size == 0) {
            return;
        }
        long deadline = q.deadlines[q.head];
        if (deadline == FOREVER || (q.timer != null && q.armedFor <= deadline)) {
            return;
        }
        if (q.timer != null) {
            q.timer.cancel();
        }
        q.armedFor = deadline;
        q.timer = clock.schedule(deadline - clock.now(), () -> underLock.accept(() -> due(q)));
    }

    /** A queue's timer fired: every entry whose deadline has come is forgotten, then the timer re-arms. */
    private void due(Queue q) {
        q.timer = null;
        q.armedFor = Long.MAX_VALUE;
        if (queues.get(q.lengthMs) != q) {
            return; // cleared meanwhile
        }
        long now = clock.now();
        while (q.size > 0) {
            if (!q.headCurrent()) {
                q.removeFirst();
            } else if (q.deadlines[q.head] <= now) {
                T job = q.headJob();
                q.removeFirst();
                retentionOver.accept(job);
            } else {
                break;
            }
        }
        if (q.size == 0) {
            queues.remove(q.lengthMs);
            if (lastUsed == q) {
                lastUsed = null;
            }
        } else {
            arm(q);
        }
    }

    /** How many entries one queue has room for now (for tests: a ring that grew under a flood shrinks again). */
    int capacity(long lengthMs) {
        Queue q = queues.get(lengthMs);
        return q == null ? 0 : q.jobs.length;
    }
}
