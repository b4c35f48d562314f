package dev.runpodkit.mock.engine;

/** Job states as RunPod reports them (docs:states). {@code RUNNING} is documented but never emitted (runpod/docs#511). */
public enum JobStatus {
    IN_QUEUE, IN_PROGRESS, COMPLETED, FAILED, CANCELLED, TIMED_OUT;

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == TIMED_OUT;
    }
}
