package dev.runpodkit.mock.clock;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A clock that can run at wall speed (scale 1), faster than the wall clock (scale X), or be frozen and
 * moved by hand ({@link #advance}). The three kinds the mock needs are one class, so the admin API can
 * switch between them at run time without rescheduling anything.
 *
 * <p>Mock time is {@code base + (wall - wallAnchor) * scale} while running and {@code base} while frozen.
 * One daemon thread fires due timers in order; it sleeps on the wall clock only for the (scaled) gap to the
 * next timer, and is woken whenever the clock is advanced, frozen, resumed or rescaled.
 *
 * <p>Timers live in a binary heap that knows each timer's place in it, so a cancelled timer leaves at once
 * (O(log n)): a job store of a million jobs cancels timers all the time, and cancelled ones that lingered until a
 * purge were old-generation garbage for the collector and a pause for everyone when the purge came.
 */
public final class ControllableClock implements Clock, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllableClock.class);

    private final LongSupplier wallNanos;
    private final Object lock = new Object();
    /** Held for a whole advance, so concurrent advances add up and fire their timers in due order. */
    private final Object advancing = new Object();
    private final TimerHeap timers = new TimerHeap();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread firing;

    /**
     * Where mock time stands: replaced whole (under {@link #lock}) whenever the clock is moved, frozen, resumed or
     * rescaled, and read without the lock, so {@link #now()} never queues behind the timer thread or a schedule.
     */
    private volatile Anchor anchor;
    private volatile boolean closed;
    /**
     * The mock time at which the timer thread, while it waits, will look at the heap again by itself (infinite when it
     * waits for a signal). A new timer due later than that needs no wake-up: waking the thread for every job's
     * execution timeout cost a context switch per job. Guarded by {@link #lock}.
     */
    private double wakesAt = Double.NEGATIVE_INFINITY;

    public ControllableClock(double scale, boolean frozen) {
        this(scale, frozen, System.currentTimeMillis(), System::nanoTime);
    }

    ControllableClock(double scale, boolean frozen, long startMillis, LongSupplier wallNanos) {
        requireValidScale(scale);
        this.wallNanos = wallNanos;
        this.anchor = new Anchor(startMillis, wallNanos.getAsLong(), scale, frozen);
        this.firing = new Thread(this::fireLoop, "mock-clock");
        this.firing.setDaemon(true);
        this.firing.start();
    }

    /** A clock at wall speed. */
    public static ControllableClock system() {
        return new ControllableClock(1.0, false);
    }

    /** A clock {@code scale} times faster than the wall clock. */
    public static ControllableClock scaled(double scale) {
        return new ControllableClock(scale, false);
    }

    /** A frozen clock that moves only by {@link #advance}. */
    public static ControllableClock manual(long startMillis) {
        return new ControllableClock(1.0, true, startMillis, System::nanoTime);
    }

    /** Mock time is {@code baseMillis + (wall - wallNanos) * scale} while running, {@code baseMillis} while frozen. */
    private record Anchor(double baseMillis, long wallNanos, double scale, boolean frozen) {
        double at(long wallNow) {
            return frozen ? baseMillis : baseMillis + (wallNow - wallNanos) / 1_000_000.0 * scale;
        }
    }

    @Override
    public long now() {
        return (long) Math.floor(nowExact());
    }

    private double nowExact() {
        return anchor.at(wallNanos.getAsLong());
    }

    /**
     * A new anchor at this instant, mock time there at least {@code atLeastMillis}; callers hold {@link #lock}.
     * Old and new anchor agree at the instant, so a reader on either sees time run on without a step back.
     */
    private void reanchor(double atLeastMillis, double scale, boolean frozen) {
        long wall = wallNanos.getAsLong();
        anchor = new Anchor(Math.max(anchor.at(wall), atLeastMillis), wall, scale, frozen);
    }

    @Override
    public Timer schedule(long delayMs, Runnable task) {
        synchronized (lock) {
            ScheduledTask t = new ScheduledTask(nowExact() + Math.max(0, delayMs), sequence.incrementAndGet(), task);
            timers.add(t);
            // the timer thread sleeps until the earliest timer: only one due before it wakes needs to wake it, and
            // none while the clock is frozen (advance fires timers itself; resume wakes the thread)
            if (t.due < wakesAt && !anchor.frozen()) {
                lock.notifyAll();
            }
            return t;
        }
    }

    /**
     * The latest time the clock may be moved to, in ms since the epoch (about 142,000 years on). Time is kept as a
     * double: far beyond this a millisecond no longer changes it, so the clock would stand still for good.
     */
    public static final long LATEST_MILLIS = 1L << 52;

    /** How far {@link #advance} may move the clock from now. */
    public long maxAdvanceMs() {
        return Math.max(0, LATEST_MILLIS - now());
    }

    /** Moves the clock forward by {@code ms}, firing every timer that falls due, before returning. */
    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("cannot move the clock backwards");
        }
        if (ms > maxAdvanceMs()) {
            throw new IllegalArgumentException("cannot move the clock past " + LATEST_MILLIS + " ms since the epoch");
        }
        synchronized (advancing) {
            advanceSerially(ms);
        }
    }

    private void advanceSerially(long ms) {
        double target;
        synchronized (lock) {
            target = nowExact() + ms;
        }
        // Fire due timers in order, moving time to each one's due time so tasks that read now() and
        // schedule follow-ups see a consistent clock.
        while (true) {
            ScheduledTask next;
            synchronized (lock) {
                next = timers.peek();
                Anchor a = anchor;
                if (next == null || next.due > target) {
                    reanchor(target, a.scale(), a.frozen());
                    lock.notifyAll();
                    return;
                }
                timers.poll();
                reanchor(next.due, a.scale(), a.frozen());
            }
            next.runOnce();
        }
    }

    public void freeze() {
        synchronized (lock) {
            reanchor(Double.NEGATIVE_INFINITY, anchor.scale(), true);
            lock.notifyAll();
        }
    }

    public void resume() {
        synchronized (lock) {
            reanchor(Double.NEGATIVE_INFINITY, anchor.scale(), false);
            lock.notifyAll();
        }
    }

    public void setScale(double newScale) {
        requireValidScale(newScale);
        synchronized (lock) {
            reanchor(Double.NEGATIVE_INFINITY, newScale, anchor.frozen());
            lock.notifyAll();
        }
    }

    /**
     * The fastest the clock may run: a million times the wall clock (a day of mock time in 86 ms of wall time). A
     * scale like 1e300 jumped the clock past {@link #LATEST_MILLIS} to Long.MAX_VALUE at its first read, every job
     * expired at once and, the clock never going back, the mock stayed broken after the scale was set back.
     */
    public static final double MAX_SCALE = 1_000_000;

    /** A scale must be a number > 0 and at most {@link #MAX_SCALE}: an infinite one would make now() Infinity or NaN. */
    private static void requireValidScale(double scale) {
        if (!isValidScale(scale)) {
            throw new IllegalArgumentException("time scale must be a number > 0 and at most 1000000, was " + scale);
        }
    }

    /** Whether {@code scale} is one the clock takes: a number > 0 and at most {@link #MAX_SCALE}. */
    public static boolean isValidScale(double scale) {
        return scale > 0 && scale <= MAX_SCALE;
    }

    public double scale() {
        return anchor.scale();
    }

    @Override
    public boolean frozen() {
        return anchor.frozen();
    }

    /**
     * How many timers have ever been scheduled: it only grows, so a test can tell that a request has scheduled its
     * hold even when it cancelled another timer on the way (which {@link #pendingTimers} would not show).
     */
    public long timersScheduled() {
        return sequence.get();
    }

    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    /** Drops every pending timer (used by the admin reset). */
    public void clearTimers() {
        synchronized (lock) {
            timers.clear();
        }
    }

    private void fireLoop() {
        while (!closed) {
            ScheduledTask due = null;
            synchronized (lock) {
                ScheduledTask next = timers.peek();
                Anchor a = anchor;
                if (next == null || a.frozen()) {
                    wakesAt = Double.POSITIVE_INFINITY;
                    waitQuietly(0);
                    wakesAt = Double.NEGATIVE_INFINITY;
                    continue;
                }
                double nowMillis = a.at(wallNanos.getAsLong());
                double gapMillis = next.due - nowMillis;
                if (gapMillis > 0) {
                    // sleep for the wall-clock equivalent of the gap, or until something changes
                    double wallMillis = gapMillis / a.scale();
                    long waitMs = Math.max(1, (long) Math.ceil(Math.min(wallMillis, 60_000)));
                    wakesAt = nowMillis + waitMs * a.scale();
                    waitQuietly(waitMs);
                    wakesAt = Double.NEGATIVE_INFINITY;
                    continue;
                }
                due = timers.poll();
            }
            due.runOnce();
        }
    }

    private void waitQuietly(long ms) {
        try {
            lock.wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        firing.interrupt();
    }

    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<ScheduledTask> DONE =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(ScheduledTask.class, "done");

    private final class ScheduledTask implements Timer {
        final double due;
        final long seq;
        /** Dropped once run or cancelled, so a finished timer never keeps what its task refers to alive. */
        private Runnable task;
        /** 0 while pending, 1 once run or cancelled; a field, not an AtomicBoolean: a job holds several timers. */
        private volatile int done;
        /** Where this timer sits in {@link #timers}; -1 when it is not there. Guarded by {@link #lock}. */
        int index = -1;

        ScheduledTask(double due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        void markDone() {
            done = 1;
            task = null;
        }

        void runOnce() {
            if (DONE.compareAndSet(this, 0, 1)) {
                Runnable t = task;
                task = null;
                try {
                    t.run();
                } catch (RuntimeException e) {
                    LOG.error("a timer task failed", e);
                }
            }
        }

        @Override
        public boolean cancel() {
            if (!DONE.compareAndSet(this, 0, 1)) {
                return false;
            }
            synchronized (lock) {
                task = null; // runOnce lost the race for done, so it never reads the field
                timers.remove(this);
            }
            return true;
        }

        boolean before(ScheduledTask o) {
            int c = Double.compare(due, o.due);
            return c != 0 ? c < 0 : seq < o.seq;
        }
    }

    /** A binary min-heap of timers by (due, seq) in which every timer knows its index. Guarded by {@link #lock}. */
    private static final class TimerHeap {
        private ScheduledTask[] heap = new ScheduledTask[64];
        private int size;

        int size() {
            return size;
        }

        ScheduledTask peek() {
            return size == 0 ? null : heap[0];
        }

        void add(ScheduledTask t) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            siftUp(size++, t);
        }

        ScheduledTask poll() {
            ScheduledTask first = peek();
            if (first != null) {
                removeAt(0);
            }
            return first;
        }

        /** Takes {@code t} out if it is still here (a timer being fired has already left). */
        void remove(ScheduledTask t) {
            int i = t.index;
            if (i >= 0 && i < size && heap[i] == t) {
                removeAt(i);
            }
        }

        void clear() {
            for (int i = 0; i < size; i++) {
                heap[i].markDone();
                heap[i].index = -1;
                heap[i] = null;
            }
            size = 0;
            if (heap.length > 1024) {
                heap = new ScheduledTask[64];
            }
        }

        private void removeAt(int i) {
            ScheduledTask gone = heap[i];
            gone.index = -1;
            ScheduledTask last = heap[--size];
            heap[size] = null;
            if (i < size) {
                siftDown(i, last);
                if (heap[i] == last) {
                    siftUp(i, last);
                }
            }
            // give a heap that grew under a flood back once it is mostly empty
            if (heap.length > 1024 && size < heap.length / 8) {
                heap = Arrays.copyOf(heap, heap.length / 2);
            }
        }

        private void siftUp(int i, ScheduledTask t) {
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                ScheduledTask p = heap[parent];
                if (!t.before(p)) {
                    break;
                }
                place(i, p);
                i = parent;
            }
            place(i, t);
        }

        private void siftDown(int i, ScheduledTask t) {
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && heap[right].before(heap[child])) {
                    child = right;
                }
                if (!heap[child].before(t)) {
                    break;
                }
                place(i, heap[child]);
                i = child;
            }
            place(i, t);
        }

        private void place(int i, ScheduledTask t) {
            heap[i] = t;
            t.index = i;
        }
    }
}
