package dev.runpodkit.mock.engine;

/** Hooks for things that follow a job's life without being part of it (webhooks, logs, the soak counters). */
public interface JobEvents {
    /** Called once each time a job reaches a terminal status (again after a retry), outside the engine's lock. */
    default void onTerminal(JobView job) {
    }

    JobEvents NONE = new JobEvents() { };
}
