package dev.runpodkit.mock.clock;

import java.util.PriorityQueue;
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
 */
public final class ControllableClock implements Clock, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControllableClock.class);

    private final LongSupplier wallNanos;
    private final Object lock = new Object();
    /** Held for a whole advance, so concurrent advances add up and fire their timers in due order. */
    private final Object advancing = new Object();
    private final PriorityQueue<ScheduledTask> timers = new PriorityQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread firing;

    /**
     * Where mock time stands: replaced whole (under {@link #lock}) whenever the clock is moved, frozen, resumed or
     * rescaled, and read without the lock, so {@link #now()} never queues behind the timer thread or a schedule.
     */
    private volatile Anchor anchor;
    private volatile boolean closed;
    private int cancelledInHeap;

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
            if (timers.peek() == t) {
                lock.notifyAll(); // the timer thread sleeps until the earliest timer: only a new earliest wakes it
            }
            return t;
        }
    }

    /** Moves the clock forward by {@code ms}, firing every timer that falls due, before returning. */
    public void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("cannot move the clock backwards");
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

    /** A scale must be a finite number > 0: an infinite one would make now() Infinity or NaN. */
    private static void requireValidScale(double scale) {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("time scale must be a finite number > 0, was " + scale);
        }
    }

    public double scale() {
        return anchor.scale();
    }

    @Override
    public boolean frozen() {
        return anchor.frozen();
    }

    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    /** Drops every pending timer (used by the admin reset). */
    public void clearTimers() {
        synchronized (lock) {
            timers.forEach(ScheduledTask::markDone);
            timers.clear();
            cancelledInHeap = 0;
        }
    }

    private void fireLoop() {
        while (!closed) {
            ScheduledTask due = null;
            synchronized (lock) {
                ScheduledTask next = timers.peek();
                Anchor a = anchor;
                if (next == null || a.frozen()) {
                    waitQuietly(0);
                    continue;
                }
                double gapMillis = next.due - a.at(wallNanos.getAsLong());
                if (gapMillis > 0) {
                    // sleep for the wall-clock equivalent of the gap, or until something changes
                    double wallMillis = gapMillis / a.scale();
                    long waitMs = (long) Math.ceil(Math.min(wallMillis, 60_000));
                    waitQuietly(Math.max(1, waitMs));
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

    /** Cancelled timers stay in the heap until purged; purge when they are half of it, so it stays bounded. */
    private void noteCancelled() {
        synchronized (lock) {
            cancelledInHeap++;
            if (cancelledInHeap > 1024 && cancelledInHeap > timers.size() / 2) {
                timers.removeIf(ScheduledTask::isDone);
                cancelledInHeap = 0;
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<ScheduledTask> DONE =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(ScheduledTask.class, "done");

    private final class ScheduledTask implements Timer, Comparable<ScheduledTask> {
        final double due;
        final long seq;
        /** Dropped on cancel: a cancelled timer waits in the heap until a purge and must not keep its job alive. */
        private Runnable task;
        /** 0 while pending, 1 once run or cancelled; a field, not an AtomicBoolean: a job holds several timers. */
        private volatile int done;

        ScheduledTask(double due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        void markDone() {
            done = 1;
        }

        boolean isDone() {
            return done != 0;
        }

        void runOnce() {
            if (DONE.compareAndSet(this, 0, 1)) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("a timer task failed", e);
                }
            }
        }

        @Override
        public boolean cancel() {
            boolean cancelled = DONE.compareAndSet(this, 0, 1);
            if (cancelled) {
                task = null; // runOnce lost the race for done, so it never reads the field
                noteCancelled();
            }
            return cancelled;
        }

        @Override
        public int compareTo(ScheduledTask o) {
            int c = Double.compare(due, o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
