package dev.runpodkit.mock.clock;

/**
 * The one source of time for the mock. Every timer (runsync and stream waits, execution timeouts, ttl,
 * retention, scaling, webhook delays) is scheduled here, so tests can run hours of behaviour in
 * milliseconds and nothing in the server sleeps on the wall clock.
 */
public interface Clock {

    /** Current time in milliseconds since the epoch, as the mock sees it. */
    long now();

    /**
     * Runs {@code task} once the clock reaches {@code now() + delayMs}. Tasks run on the clock's own thread
     * in due order, so they must be short and must not block.
     */
    Timer schedule(long delayMs, Runnable task);

    /**
     * True while time stands still (a manual clock between advances): work due now must wait for the clock to
     * move, so a caller may run zero-delay work itself only while this is false.
     */
    default boolean frozen() {
        return false;
    }

    /** A scheduled task that can still be called off. */
    interface Timer {
        /** @return true if the task had not run yet and now never will. */
        boolean cancel();
    }
}
