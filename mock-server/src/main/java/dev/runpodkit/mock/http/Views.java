package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.HealthView;
import dev.runpodkit.mock.engine.JobStatus;
import dev.runpodkit.mock.engine.JobView;
import dev.runpodkit.mock.engine.S3Config;
import dev.runpodkit.mock.engine.StreamBatch;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How jobs look on the wire (schemas/json/*.schema.json). One place, so /status, /runsync, /cancel, the
 * webhook payload and the admin view cannot drift apart. {@code s3Config} is never rendered to a client.
 */
final class Views {

    private final Settings settings;

    Views(Settings settings) {
        this.settings = settings;
    }

    /** /run: {"id", "status"} (docs:opref). */
    ObjectNode runResponse(JobView job) {
        ObjectNode o = Json.object();
        if (!settings.has(Defect.RUN_MISSING_ID)) {
            o.put("id", job.id());
        }
        o.put("status", settings.has(Defect.RUN_RETURNS_IN_PROGRESS) ? "IN_PROGRESS" : status(job.status()));
        leak(o, job);
        return o;
    }

    /** /status, /status-sync and a finished /runsync: id, status, delayTime, executionTime, output or error, workerId. */
    ObjectNode statusPayload(JobView job) {
        ObjectNode o = Json.object();
        if (job.delayTime() != null && !settings.has(Defect.STATUS_NO_TIMINGS)) {
            o.put("delayTime", job.delayTime());
        }
        if (job.executionTime() != null && !settings.has(Defect.STATUS_NO_TIMINGS)) {
            o.put("executionTime", job.executionTime());
        }
        if (!settings.has(Defect.STATUS_MISSING_ID)) {
            o.put("id", job.id());
        }
        boolean hideProgress = job.status() == JobStatus.IN_PROGRESS && settings.has(Defect.PROGRESS_HIDDEN);
        if (job.output() != null && job.status() != JobStatus.FAILED && !hideProgress) {
            o.set("output", job.output());
        }
        if (job.error() != null) {
            if (settings.has(Defect.FAILED_ERROR_OBJECT)) {
                o.set("error", errorAsObject(job.error()));
            } else {
                o.put("error", job.error());
            }
        }
        if (job.retries() > 0) {
            o.put("retries", job.retries());
        }
        o.put("status", status(job.status()));
        if (job.workerId() != null && !settings.has(Defect.STATUS_NO_WORKER_ID)) {
            o.put("workerId", job.workerId());
        }
        leak(o, job);
        return o;
    }

    /** /runsync: the finished job, or {id, status} while it is still queued or running. */
    ObjectNode runsyncResponse(JobView job) {
        if (job.status().isTerminal()) {
            return statusPayload(job);
        }
        ObjectNode o = Json.object();
        o.put("id", job.id());
        o.put("status", status(job.status()));
        if (job.delayTime() != null) {
            o.put("delayTime", job.delayTime());
        }
        leak(o, job);
        return o;
    }

    /** /cancel and /retry: {"id", "status"}. */
    ObjectNode idAndStatus(JobView job) {
        ObjectNode o = Json.object();
        o.put("id", job.id());
        o.put("status", status(job.status()));
        return o;
    }

    /** /stream: always a "stream" array, so every SDK's loop can read it (runpod-api.md §2.4). */
    ObjectNode streamResponse(StreamBatch batch) {
        ObjectNode o = Json.object();
        JobView job = batch.job();
        o.put("id", job.id());
        o.put("status", status(job.status()));
        if (job.delayTime() != null) {
            o.put("delayTime", job.delayTime());
        }
        if (job.executionTime() != null) {
            o.put("executionTime", job.executionTime());
        }
        if (job.error() != null) {
            o.put("error", job.error());
        }
        if (batch.chunks().isEmpty() && settings.has(Defect.STREAM_MISSING_ARRAY)) {
            return o;
        }
        ArrayNode stream = o.putArray("stream");
        for (JsonNode chunk : batch.chunks()) {
            stream.addObject().set("output", chunk);
        }
        return o;
    }

    ObjectNode health(HealthView h) {
        ObjectNode o = Json.object();
        ObjectNode jobs = o.putObject("jobs");
        jobs.put("completed", h.completed());
        jobs.put("failed", h.failed());
        jobs.put("inProgress", h.inProgress());
        jobs.put("inQueue", h.inQueue());
        jobs.put("retried", h.retried());
        ObjectNode workers = o.putObject("workers");
        workers.put("idle", h.idle());
        if (!settings.has(Defect.HEALTH_BASIC_KEYS)) {
            workers.put("initializing", h.initializing());
            workers.put("ready", h.ready());
        }
        workers.put("running", h.running());
        if (!settings.has(Defect.HEALTH_BASIC_KEYS)) {
            workers.put("throttled", h.throttled());
        }
        return o;
    }

    /** The job as its worker receives it (runpod-api.md §6.2.3), with the s3Config secret redacted. */
    ObjectNode asDelivered(JobView job) {
        ObjectNode o = Json.object();
        o.put("id", job.id());
        if (job.input() != null) {
            o.set("input", job.input()); // absent only for a body without input in lenient mode (BODY-009)
        }
        if (job.webhook() != null) {
            o.put("webhook", job.webhook());
        }
        ObjectNode policy = Json.object();
        if (job.policy().executionTimeoutMs() != null) {
            policy.put("executionTimeout", job.policy().executionTimeoutMs());
        }
        if (job.policy().ttlMs() != null) {
            policy.put("ttl", job.policy().ttlMs());
        }
        if (job.policy().lowPriority()) {
            policy.put("lowPriority", true);
        }
        if (!policy.isEmpty()) {
            o.set("policy", policy);
        }
        if (job.s3Config() != null) {
            o.set("s3Config", s3Redacted(job.s3Config()));
        }
        return o;
    }

    static ObjectNode s3Redacted(S3Config s3) {
        ObjectNode o = Json.object();
        o.put("accessId", "***");
        o.put("accessSecret", "***");
        o.put("bucketName", s3.bucketName());
        o.put("endpointUrl", s3.endpointUrl());
        if (s3.objectPath() != null) {
            o.put("objectPath", s3.objectPath());
        }
        return o;
    }

    private String status(JobStatus status) {
        if (status == JobStatus.IN_PROGRESS && settings.has(Defect.STATUS_RUNNING)) {
            return "RUNNING";
        }
        return status.name();
    }

    /** The LEAK_S3CONFIG defect: returns the credentials verbatim, as a broken server would. */
    private void leak(ObjectNode o, JobView job) {
        if (settings.has(Defect.LEAK_S3CONFIG) && job.s3Config() != null) {
            S3Config s3 = job.s3Config();
            ObjectNode leaked = o.putObject("s3Config");
            leaked.put("accessId", s3.accessId());
            leaked.put("accessSecret", s3.accessSecret());
            leaked.put("bucketName", s3.bucketName());
            leaked.put("endpointUrl", s3.endpointUrl());
        }
    }

    private static JsonNode errorAsObject(String error) {
        try {
            JsonNode parsed = Json.MAPPER.readTree(error);
            if (parsed.isObject()) {
                return parsed;
            }
        } catch (RuntimeException ignored) {
            // fall through
        }
        ObjectNode o = Json.object();
        o.put("message", error);
        return o;
    }
}
