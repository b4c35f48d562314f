package dev.runpodkit.mock.engine;

/** The counters /health reports, read in one go under the engine's lock so they agree with each other. */
public record HealthView(
        long completed, long failed, long inProgress, long inQueue, long retried,
        long idle, long initializing, long ready, long running, long throttled) {
}
