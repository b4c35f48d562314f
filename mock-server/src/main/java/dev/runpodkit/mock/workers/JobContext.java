package dev.runpodkit.mock.workers;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a handler sees of the job it runs and how it reports back. Once the job has ended (finished, cancelled,
 * timed out, expired) every call is ignored and scheduled steps do not run, so a late result is discarded.
 */
public interface JobContext {
    String jobId();

    String workerId();

    /** The job's s3Config, or null: the credentials the worker uploads with (never shown to a client). */
    dev.runpodkit.mock.engine.S3Config s3Config();

    /** The job's input, a private copy; empty for a job that came without one (lenient input, BODY-009). */
    ObjectNode input();

    /**
     * The job's input itself, not a copy, for a handler that only reads it (the built-in worker): one copy of the
     * input less per job, made and then stored as the output of every echo job. Never modify it.
     */
    default ObjectNode readOnlyInput() {
        return input();
    }

    /** A progress update: the job stays IN_PROGRESS and /status shows this as its output. */
    void progress(JsonNode output);

    /** One streamed chunk, for /stream. */
    void chunk(JsonNode output);

    /** The job ends COMPLETED with this output (null for none). */
    void complete(JsonNode output);

    /** The job ends FAILED with this error string. */
    void fail(String error);

    /** Runs {@code step} after {@code delayMs} of mock time, unless the job has ended by then. */
    void after(long delayMs, Runnable step);

    /** False once the job has ended for this run. */
    boolean active();

    /**
     * The worker process dies now, mid-job (runpod/mock-worker's {@code mock_crash}): the worker is gone and the
     * job follows the lost-worker rule (DEC-022). Ignored once the job has ended.
     */
    default void crash() {
    }

    /**
     * The worker is retired once this job ends ({@code refresh_worker}, {@code stopPod}): it is given no
     * further job and, for a built-in worker, a fresh one takes its place.
     */
    default void retireWorkerAfterJob() {
    }
}
