package dev.runpodkit.mock.engine;

/** Hooks for things that follow a job's life without being part of it (webhooks, logs, the soak counters). */
public interface JobEvents {
    /** Called once each time a job reaches a terminal status (again after a retry), outside the engine's lock. */
    default void onTerminal(JobView job) {
    }

    /**
     * False for a listener that ignores jobs without a webhook: the engine then spares such jobs the view it would
     * build for {@link #onTerminal} (most jobs of a load test have no webhook).
     */
    default boolean followsJobsWithoutWebhook() {
        return true;
    }

    JobEvents NONE = new JobEvents() { };
}
