package dev.runpodkit.mock.workers;

/**
 * A job handler, as a worker runs it. Built-in handlers simulate work on the mock's clock: they never block
 * a thread, they schedule their steps with {@link JobContext#after} and report through the context.
 */
public interface Handler {
    void start(JobContext job);
}
