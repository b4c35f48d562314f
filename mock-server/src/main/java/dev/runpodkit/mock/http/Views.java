package dev.runpodkit.mock.http;

import dev.runpodkit.mock.Redaction;
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
public final class Views {

    private final Settings settings;

    public Views(Settings settings) {
        this.settings = settings;
    }

    /**
     * The body POSTed to a job's webhook: its /status payload plus its input and webhook, as the cloud sends
     * it (DEC-012), or the /status payload only (setting webhookPayload STATUS); never s3Config.
     */
    public ObjectNode webhookPayload(JobView job) {
        ObjectNode o = statusPayload(job);
        o.remove("s3Config");
        if (settings.webhookPayload == Settings.WebhookPayload.CLOUD && !settings.has(Defect.WEBHOOK_STATUS_ONLY)) {
            o.set("input", job.input());
            o.put("webhook", job.webhook());
        }
        if (settings.has(Defect.WEBHOOK_LEAKS_S3CONFIG) && job.s3Config() != null) {
            o.set("s3Config", s3Full(job.s3Config()));
        }
        return o;
    }

    public static byte[] toBytes(ObjectNode node) {
        return Json.MAPPER.writeValueAsBytes(node);
    }

    /** {@link #runResponse}'s bytes, written directly when no defect is set (StatusBytesTest compares the two). */
    byte[] runBytes(JobView job) {
        if (settings.defects.isEmpty() && Responses.plain(job.id())) {
            return new DirectJson(32 + job.id().length()).plainString("id", job.id())
                    .plainString("status", job.status().name()).end();
        }
        return Responses.bytes(runResponse(job));
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

    /**
     * {@link #statusPayload}'s bytes. With no defect set and nothing that needs escaping they are written directly,
     * a finished job's stored output copied without being parsed into a tree and written back: a /status poll is
     * the call clients make most.
     */
    byte[] statusBytes(JobView job) {
        byte[] direct = settings.defects.isEmpty() ? directStatus(job) : null;
        return direct != null ? direct : Responses.bytes(statusPayload(job));
    }

    /** statusPayload without defects, field for field, or null when a string would need escaping. */
    private static byte[] directStatus(JobView job) {
        String id = job.id();
        String error = job.error();
        String workerId = job.workerId();
        if (!Responses.plain(id) || (error != null && !Responses.plain(error))
                || (workerId != null && !Responses.plain(workerId))) {
            return null;
        }
        byte[] output = null;
        if (job.status() != JobStatus.FAILED) {
            output = job.storedOutputJson();
            if (output == null && job.output() != null) {
                output = Json.MAPPER.writeValueAsBytes(job.output());
            }
        }
        DirectJson o = new DirectJson(96 + id.length() + (output == null ? 0 : output.length)
                + (error == null ? 0 : error.length()));
        if (job.delayTime() != null) {
            o.number("delayTime", job.delayTime());
        }
        if (job.executionTime() != null) {
            o.number("executionTime", job.executionTime());
        }
        o.plainString("id", id);
        if (output != null) {
            o.json("output", output);
        }
        if (error != null) {
            o.plainString("error", error);
        }
        if (job.retries() > 0) {
            o.number("retries", job.retries());
        }
        o.plainString("status", job.status().name());
        if (workerId != null) {
            o.plainString("workerId", workerId);
        }
        return o.end();
    }

    /** {@link #runsyncResponse}'s bytes: a finished job's written as {@link #statusBytes} writes them. */
    byte[] runsyncBytes(JobView job) {
        return job.status().isTerminal() ? statusBytes(job) : Responses.bytes(runsyncResponse(job));
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
        if (settings.has(Defect.LEAK_S3CONFIG_EVERYWHERE)) {
            leak(o, job);
        }
        return o;
    }

    /** /stream: always a "stream" array, so every SDK's loop can read it (runpod-api.md §2.4). */
    /**
     * /stream's answer: {@link #streamResponse}, or (setting streamShape ARRAY, DEC-008's other reading) only its
     * stream array, as the API reference's example shows it (no status: a client cannot tell when the stream ends).
     */
    JsonNode streamAnswer(StreamBatch batch) {
        ObjectNode envelope = streamResponse(batch);
        if (settings.streamShape == Settings.StreamShape.ARRAY) {
            JsonNode stream = envelope.get("stream");
            return stream != null ? stream : Json.NODES.arrayNode();
        }
        return envelope;
    }

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
        if (settings.has(Defect.LEAK_S3CONFIG_EVERYWHERE)) {
            leak(o, job);
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
        ObjectNode jobs = settings.has(Defect.HEALTH_NO_JOBS) ? Json.object() : o.putObject("jobs");
        jobs.put("completed", h.completed());
        jobs.put("failed", h.failed());
        jobs.put("inProgress", h.inProgress());
        jobs.put("inQueue", h.inQueue());
        jobs.put("retried", h.retried());
        ObjectNode workers = o.putObject("workers");
        // DEC-010: the SDKs' extended set by default; the setting gives docs:opref's two keys
        boolean basic = settings.healthWorkerKeys == Settings.HealthWorkerKeys.BASIC || settings.has(Defect.HEALTH_BASIC_KEYS);
        workers.put("idle", h.idle());
        if (!basic) {
            workers.put("initializing", h.initializing());
            workers.put("ready", h.ready());
        }
        workers.put("running", h.running());
        if (!basic) {
            workers.put("throttled", h.throttled());
        }
        return o;
    }

    /** The job as its worker receives it (runpod-api.md §6.2.3), with the s3Config secret redacted. */
    ObjectNode asDelivered(JobView job) {
        return workerJob(job, true);
    }

    /**
     * The job as a connected worker takes it: the whole job, s3Config included, as the platform passes it
     * (runpod-api.md §6.2.3; S3-005). Goes only to the worker; never log it.
     */
    ObjectNode forWorker(JobView job) {
        return workerJob(job, false);
    }

    private ObjectNode workerJob(JobView job, boolean redact) {
        ObjectNode o = Json.object();
        o.put("id", job.id());
        // absent for a body without input in lenient mode (BODY-009), or an empty one stripped (DEC-021)
        boolean strip = (settings.stripEmptyInput || settings.has(Defect.STRIP_EMPTY_INPUT))
                && job.input() != null && job.input().isEmpty();
        if (job.input() != null && !strip) {
            o.set("input", job.input());
        }
        if (job.webhook() != null) {
            // the worker gets the URL as sent; the admin views show it as the webhook journal does, without
            // the user-info or credential-looking query values a receiver URL may carry
            o.put("webhook", redact ? dev.runpodkit.mock.Redaction.url(job.webhook()) : job.webhook());
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
        if (job.s3Config() != null && !settings.has(Defect.WORKER_JOB_NO_S3CONFIG)) {
            boolean showRaw = !redact || settings.has(Defect.ADMIN_SHOWS_SECRETS);
            o.set("s3Config", showRaw ? s3Full(job.s3Config()) : s3Redacted(job.s3Config()));
        }
        return o;
    }

    /** The credentials as the client sent them, other keys included: for the worker only (and for the leak defects). */
    private static ObjectNode s3Full(S3Config s3) {
        ObjectNode o = s3Object(s3, s3.accessId(), s3.accessSecret(), s3.endpointUrl());
        s3.others().forEach(o::set); // the job's own copy (RequestParser), which nothing changes
        return o;
    }

    /**
     * For the admin views: no credentials, neither the access pair nor any in the endpoint URL; the other keys are
     * listed with their values masked, since any of them may be a credential (a sessionToken) (DEC-042).
     */
    static ObjectNode s3Redacted(S3Config s3) {
        ObjectNode o = s3Object(s3, "***", "***", Redaction.url(s3.endpointUrl()));
        s3.others().keySet().forEach(k -> o.put(k, "***"));
        return o;
    }

    private static ObjectNode s3Object(S3Config s3, String accessId, String accessSecret, String endpointUrl) {
        ObjectNode o = Json.object();
        o.put("accessId", accessId);
        o.put("accessSecret", accessSecret);
        o.put("bucketName", s3.bucketName());
        o.put("endpointUrl", endpointUrl);
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
        if ((settings.has(Defect.LEAK_S3CONFIG) || settings.has(Defect.LEAK_S3CONFIG_EVERYWHERE)) && job.s3Config() != null) {
            o.set("s3Config", s3Full(job.s3Config()));
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
