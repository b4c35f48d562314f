package dev.runpodkit.mock.engine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An immutable snapshot of a job, taken under the engine's lock. Rendering it is the HTTP layer's job.
 *
 * <p>A finished job keeps its input and output as JSON text (see {@code StoredJson}); a view of it parses them only
 * when asked, once each, so a /status that renders the output never parses the input. A view of a job that may
 * still run hands out the job's own trees, as before: treat them as read-only.
 */
public final class JobView {

    private final String id;
    private final String endpointId;
    private final JobStatus status;
    private final String webhook;
    private final Policy policy;
    private final S3Config s3Config;
    private final boolean sync;
    private final long submittedAt;
    private final Long startedAt;
    private final Long finishedAt;
    private final Long delayTime;
    private final Long executionTime;
    private final String error;
    private final String workerId;
    private final int retries;
    /** An {@link ObjectNode}, its JSON text as UTF-8 bytes, or null (no input). */
    private final Object inputSource;
    /** A {@link JsonNode}, its JSON text as UTF-8 bytes, or null (no output). */
    private final Object outputSource;
    private volatile ObjectNode input;
    private volatile JsonNode output;

    public JobView(String id, String endpointId, JobStatus status, ObjectNode input, String webhook, Policy policy,
                   S3Config s3Config, boolean sync, long submittedAt, Long startedAt, Long finishedAt, Long delayTime,
                   Long executionTime, JsonNode output, String error, String workerId, int retries) {
        this(id, endpointId, status, (Object) input, webhook, policy, s3Config, sync, submittedAt, startedAt, finishedAt,
                delayTime, executionTime, (Object) output, error, workerId, retries);
    }

    JobView(String id, String endpointId, JobStatus status, Object inputSource, String webhook, Policy policy,
            S3Config s3Config, boolean sync, long submittedAt, Long startedAt, Long finishedAt, Long delayTime,
            Long executionTime, Object outputSource, String error, String workerId, int retries) {
        this.id = id;
        this.endpointId = endpointId;
        this.status = status;
        this.inputSource = inputSource;
        this.webhook = webhook;
        this.policy = policy;
        this.s3Config = s3Config;
        this.sync = sync;
        this.submittedAt = submittedAt;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.delayTime = delayTime;
        this.executionTime = executionTime;
        this.outputSource = outputSource;
        this.error = error;
        this.workerId = workerId;
        this.retries = retries;
    }

    /** The same job with another status (the CANCEL_IGNORED defect's answer). */
    JobView withStatus(JobStatus newStatus) {
        return new JobView(id, endpointId, newStatus, inputSource, webhook, policy, s3Config, sync, submittedAt, startedAt,
                finishedAt, delayTime, executionTime, outputSource, error, workerId, retries);
    }

    public String id() {
        return id;
    }

    public String endpointId() {
        return endpointId;
    }

    public JobStatus status() {
        return status;
    }

    /** The job's input; null for a body without one that the lenient mode let through (BODY-009). */
    public ObjectNode input() {
        ObjectNode tree = input;
        if (tree == null && inputSource != null) {
            input = tree = (ObjectNode) StoredJson.tree(inputSource);
        }
        return tree;
    }

    public String webhook() {
        return webhook;
    }

    public Policy policy() {
        return policy;
    }

    public S3Config s3Config() {
        return s3Config;
    }

    public boolean sync() {
        return sync;
    }

    public long submittedAt() {
        return submittedAt;
    }

    public Long startedAt() {
        return startedAt;
    }

    public Long finishedAt() {
        return finishedAt;
    }

    public Long delayTime() {
        return delayTime;
    }

    public Long executionTime() {
        return executionTime;
    }

    /** The output (or the latest progress update while running); null when there is none. */
    public JsonNode output() {
        JsonNode tree = output;
        if (tree == null && outputSource != null) {
            output = tree = StoredJson.tree(outputSource);
        }
        return tree;
    }

    /**
     * The output as stored JSON text (compact, as the mapper writes it), or null when it is held as a tree or there
     * is none: lets a response copy a finished job's output without parsing it into a tree first.
     */
    public byte[] storedOutputJson() {
        return outputSource instanceof byte[] json ? json : null;
    }

    public String error() {
        return error;
    }

    public String workerId() {
        return workerId;
    }

    public int retries() {
        return retries;
    }

    /** Never the input, output or s3Config: a view may end up in a log line or an assertion message. */
    @Override
    public String toString() {
        return "JobView[id=" + id + ", endpointId=" + endpointId + ", status=" + status + ", retries=" + retries
                + ", workerId=" + workerId + ", error=" + error + "]";
    }
}
