package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.Engine;
import dev.runpodkit.mock.engine.ExternalWorkers;
import dev.runpodkit.mock.engine.JobView;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * RunPod's worker protocol under {@code /v2/{endpointId}/}, as the runpod-python 1.12 worker speaks it
 * (runpod-api.md §6.2; wire-captures.md §3): job-take, job-take-batch, job-done, job-stream, job-stop, ping.
 * Thin: authenticate (the raw key, as the worker sends it, or Bearer), parse, call {@link ExternalWorkers}.
 *
 * <p>What the worker sends, and what this takes from it: a JSON body under
 * {@code Content-Type: application/x-www-form-urlencoded} (read as UTF-8 JSON whatever the type says), a literal
 * {@code charset: utf-8} header and an {@code X-Request-ID} (ignored), {@code gpu}, {@code job_in_progress},
 * {@code isStream} and other query parameters (ignored unless needed). Never logs a body: jobs carry s3Config.
 */
final class WorkerApi {

    /** The query parameters runpod-python appends; anything else is ignored too (WORKER-004). */
    private static final Set<String> KNOWN_QUERY = Set.of("gpu", "job_in_progress", "batch_size", "isStream", "job_id",
            "runpod_version", "status", "check", "reason");
    /** The most jobs one job-take-batch gives, whatever batch_size asks for. */
    private static final int MAX_BATCH = 1_000;
    /**
     * A body read as Python's json.dumps writes it, with NaN, Infinity and -Infinity for such floats (JSON has none):
     * used only after the JSON parse failed, to name where they are (DEC-039). Other floats are read as decimals, so
     * only those words read as non-finite numbers.
     */
    private static final ObjectReader PYTHON_JSON = Json.MAPPER.readerFor(JsonNode.class)
            .with(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** What is wrong with NaN and the infinities, and what to do about them (DEC-039). */
    private static final String NON_FINITE_HINT = "JSON has no NaN, Infinity or -Infinity, which Python's json.dumps"
            + " writes for such floats; send null or a string in their place (json.dumps(..., allow_nan=False) finds them).";

    private final Engine engine;

    WorkerApi(Engine engine) {
        this.engine = engine;
    }

    void register(RouteTable routes) {
        routes.get("/v2/{endpointId}/job-take/{workerId}", guarded(this::take));
        routes.get("/v2/{endpointId}/job-take-batch/{workerId}", guarded(this::takeBatch));
        routes.post("/v2/{endpointId}/job-done/{workerId}/{jobId}", guarded(this::done));
        routes.post("/v2/{endpointId}/job-stream/{workerId}/{jobId}", guarded(this::stream));
        routes.get("/v2/{endpointId}/job-stop/{workerId}", guarded(this::stop));
        routes.get("/v2/{endpointId}/ping/{workerId}", guarded(this::ping));
    }

    /**
     * A connected worker's routine traffic, left out of the request log: a ping every few seconds and an empty
     * job-take or job-stop every hold would drown the lines that matter (jobs taken, results, errors).
     */
    static boolean routine(Context ctx) {
        String path = ctx.path();
        int status = ctx.statusCode();
        if (status == 200 && path.contains("/ping/")) {
            return true;
        }
        return status == 204 && (path.contains("/job-take/") || path.contains("/job-take-batch/") || path.contains("/job-stop/"));
    }

    private record Call(Context ctx, Settings settings, String endpointId, String workerId) {
        String jobId() {
            return ctx.pathParam("jobId");
        }

        boolean head() {
            return "HEAD".equals(ctx.method().name());
        }
    }

    private interface CallHandler {
        void handle(Call call) throws Exception;
    }

    private Handler guarded(CallHandler handler) {
        return ctx -> {
            Settings settings = engine.settings();
            Auth.require(ctx, settings);
            String endpointId = ctx.pathParam("endpointId");
            if (!engine.hasEndpoint(endpointId)) {
                throw ApiError.notFound("Endpoint '" + ApiError.shown(endpointId) + "' not found. Known to this mock: " + settings.endpoints + ".");
            }
            if (settings.has(Defect.WORKER_STRICT_HEADERS)) {
                strict(ctx);
            }
            String workerId = ctx.pathParam("workerId");
            if (workerId.isBlank() || workerId.length() > 200) {
                throw ApiError.badRequest("The worker id in the path must be 1 to 200 characters.");
            }
            handler.handle(new Call(ctx, settings, endpointId, workerId));
        };
    }

    /** WORKER_STRICT_HEADERS defect: what a server that does not know the real worker would refuse. */
    private static void strict(Context ctx) {
        if (ctx.header("charset") != null || ctx.header("X-Request-ID") != null) {
            throw ApiError.badRequest("Unexpected header 'charset' or 'X-Request-ID'.");
        }
        for (String q : ctx.queryParamMap().keySet()) {
            if (!KNOWN_QUERY.contains(q)) {
                throw ApiError.badRequest("Unknown query parameter '" + q + "'.");
            }
        }
    }

    // ---------------------------------------------------------------- job-take, job-take-batch

    private void take(Call call) {
        takeJobs(call, 1, false);
    }

    /**
     * {@code batch_size} is how many jobs the worker can start (its free slots): a whole number, at least 1. Above
     * {@link #MAX_BATCH} one take gives at most that many; a refusal would be read as "no job" by runpod-python, which
     * asks again at once, so a worker with more slots would spin without ever getting a job.
     */
    private void takeBatch(Call call) {
        String raw = call.ctx().queryParam("batch_size");
        int size = 1;
        if (raw != null && !raw.isBlank()) {
            String digits = raw.trim();
            if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ApiError.badRequest("Query parameter 'batch_size' must be a whole number, at least 1.");
            }
            digits = digits.replaceFirst("^0+(?=.)", "");
            size = digits.length() > 9 ? MAX_BATCH : Math.min(MAX_BATCH, Integer.parseInt(digits));
            if (size < 1) {
                throw ApiError.badRequest("Query parameter 'batch_size' must be a whole number, at least 1.");
            }
        }
        takeJobs(call, size, true);
    }

    /** 200 with a job (or a list of jobs) as soon as one is queued; 204 after the hold (WORKER-001, WORKER-002). */
    private void takeJobs(Call call, int max, boolean batch) {
        if (call.head()) {
            noContent(call.ctx()); // a HEAD must not take a job it cannot deliver
            return;
        }
        Settings s = call.settings();
        long wait = s.has(Defect.WORKER_TAKE_NO_HOLD) ? 0 : s.workerTakeWaitMs;
        call.ctx().future(() -> engine.workers().take(call.endpointId(), call.workerId(), max, wait)
                .thenAccept(jobs -> {
                    if (jobs.isEmpty()) {
                        noContent(call.ctx());
                        return;
                    }
                    Views views = new Views(engine.settings());
                    if (!batch || s.has(Defect.WORKER_BATCH_AS_OBJECT)) {
                        Responses.json(call.ctx(), 200, views.forWorker(jobs.get(0)));
                        return;
                    }
                    ArrayNode list = Json.NODES.arrayNode();
                    for (JobView job : jobs) {
                        list.add(views.forWorker(job));
                    }
                    Responses.json(call.ctx(), 200, list);
                }));
    }

    // ---------------------------------------------------------------- job-done, job-stream

    /**
     * job-done: {@code {"status": "IN_PROGRESS", "output": x}} is a progress report; anything else is the final
     * result: {@code output}, an {@code error} string (the job ends FAILED), {@code stopPod} (WORKER-005..008, -014).
     * {@code isStream=true} marks the final post of a streaming job; its output is the job's output all the same.
     * A body holding NaN or an infinity, as Python's json.dumps writes them, is answered 400 naming where: a result
     * ends the job FAILED at once, a progress report is not recorded and the job goes on (DEC-039).
     */
    private void done(Call call) {
        Posted posted;
        try {
            posted = body(call, "job-done");
        } catch (io.javalin.http.HttpResponseException e) {
            if (e.getStatus() != 413 || call.settings().has(Defect.WORKER_RESULT_UNLIMITED)) {
                throw e;
            }
            // over the most the mock reads at all, so over any job's limit: the job fails all the same (LIMIT-006)
            refuseForSize(call, "Job output too large: the job-done body is over " + HttpServer.MAX_BODY_BYTES
                    + " bytes, the most this mock reads.");
            return;
        }
        ObjectNode body = posted.body();
        JsonNode status = body.get("status");
        boolean progress = status != null && status.isTextual() && "IN_PROGRESS".equals(status.stringValue());
        JsonNode output = body.get("output");
        ExternalWorkers.Report report;
        if (progress && posted.nonFinite() != null) {
            // a progress report is not the result: refusing it must not end the job (DEC-039)
            throw ApiError.badRequest("Progress report is not valid JSON: " + posted.nonFinite() + ". " + NON_FINITE_HINT
                    + " It was not recorded; the job goes on.");
        }
        if (progress) {
            report = engine.workers().report(call.endpointId(), call.workerId(), call.jobId(),
                    ExternalWorkers.Kind.PROGRESS, output, null, false);
        } else {
            JsonNode error = body.get("error");
            // a non-string error does not fail the job (runpod-python#299: the job ends COMPLETED)
            String errorText = error != null && error.isTextual() ? error.stringValue() : null;
            if (posted.nonFinite() != null) {
                // refused at once: the worker drops a refused result, so a job left running would wander (DEC-039)
                refuse(call, "Job result is not valid JSON: " + posted.nonFinite() + ". " + NON_FINITE_HINT
                        + " The job failed." + (errorText == null ? "" : " The result's error was: " + errorText), false);
                return;
            }
            String tooLarge = oversizedResult(call, output);
            if (tooLarge != null) {
                refuseForSize(call, tooLarge);
                return;
            }
            JsonNode stopPod = body.get("stopPod");
            report = engine.workers().report(call.endpointId(), call.workerId(), call.jobId(),
                    ExternalWorkers.Kind.RESULT, output, errorText, stopPod != null && stopPod.isBoolean() && stopPod.booleanValue());
        }
        answer(call, report);
    }

    /**
     * An oversized result: the job ends FAILED with this error, or (setting oversizedResult COMPLETED_EMPTY) COMPLETED
     * without output, and either way the post is answered 400 with it (a repeat or a job not held: as any post).
     */
    private void refuseForSize(Call call, String tooLarge) {
        boolean completes = call.settings().oversizedResult == Settings.OversizedResult.COMPLETED_EMPTY;
        String error = tooLarge + (completes
                ? " The job ended COMPLETED without output (setting oversizedResult); return a smaller output or upload it (s3Config)."
                : " The job failed; return a smaller output or upload it (s3Config).");
        refuse(call, error, completes);
    }

    /**
     * A refused result: the job ends FAILED with {@code error}, or COMPLETED without output when {@code completes},
     * and the post is answered 400 with it (a repeat or a job not held: as any post).
     */
    private void refuse(Call call, String error, boolean completes) {
        ExternalWorkers.Report report = engine.workers().report(call.endpointId(), call.workerId(), call.jobId(),
                ExternalWorkers.Kind.RESULT, null, completes ? null : error, false);
        if (report.outcome() == ExternalWorkers.Outcome.APPLIED) {
            throw ApiError.badRequest(error);
        }
        answer(call, report);
    }

    /**
     * A result over its job's payload limit (LIMIT-006, DEC-018: 10 MB for a /run job, 20 MB for a /runsync job, as
     * the request bodies): what is wrong with it, for the 400 answer; null when it fits.
     */
    private String oversizedResult(Call call, JsonNode output) {
        Settings s = call.settings();
        if (output == null || s.has(Defect.WORKER_RESULT_UNLIMITED)) {
            return null;
        }
        long size = Json.MAPPER.writeValueAsBytes(output).length;
        if (size <= Math.min(s.runMaxBytes, s.runsyncMaxBytes)) {
            return null; // fits either kind of job: no need to look the job up
        }
        JobView job = engine.find(call.endpointId(), call.jobId()).orElse(null);
        if (job == null) {
            return null; // the report answers 404
        }
        long limit = job.sync() ? s.runsyncMaxBytes : s.runMaxBytes;
        if (size <= limit) {
            return null;
        }
        return "Job output too large: " + size + " bytes; the result of a " + (job.sync() ? "/runsync" : "/run")
                + " job may be at most " + limit + " bytes.";
    }

    /**
     * job-stream: each post is one chunk, {@code {"output": partial}}, for /stream (WORKER-008). One over the chunk
     * limit, or holding NaN or an infinity (DEC-039), is refused with 400 and left out; the job goes on.
     */
    private void stream(Call call) {
        boolean unlimited = call.settings().has(Defect.WORKER_CHUNK_UNLIMITED);
        // the largest chunk: setting streamChunkMaxBytes, 1 MB by default (LIMIT-005, DEC-018)
        long limit = call.settings().streamChunkMaxBytes;
        Posted posted;
        try {
            posted = body(call, "job-stream");
        } catch (io.javalin.http.HttpResponseException e) {
            if (e.getStatus() != 413 || unlimited) {
                throw e;
            }
            // over the most the mock reads at all: refused as any oversized chunk (400), not as an oversized request
            throw chunkTooLarge("the job-stream body is over " + HttpServer.MAX_BODY_BYTES + " bytes, the most this mock reads", limit);
        }
        if (posted.nonFinite() != null) {
            throw ApiError.badRequest("Streamed chunk is not valid JSON: " + posted.nonFinite() + ". " + NON_FINITE_HINT
                    + " It was not added to the job's stream; the job goes on.");
        }
        ObjectNode body = posted.body();
        if (!body.has("output")) {
            throw ApiError.badRequest("A job-stream body is {\"output\": <partial result>}; 'output' is missing.");
        }
        if (!unlimited) {
            long size = Json.MAPPER.writeValueAsBytes(body.get("output")).length;
            if (size > limit) {
                throw chunkTooLarge(size + " bytes", limit);
            }
        }
        answer(call, engine.workers().report(call.endpointId(), call.workerId(), call.jobId(),
                ExternalWorkers.Kind.CHUNK, body.get("output"), null, false));
    }

    /** An oversized chunk is refused and dropped; the job goes on (LIMIT-005). */
    private static ApiError chunkTooLarge(String size, long limit) {
        return ApiError.badRequest("Streamed chunk too large: " + size + "; one chunk may be at most " + limit + " bytes"
                + (limit == 1024L * 1024 ? " (1 MB)" : "") + ". It was not added to the job's stream; the job goes on.");
    }

    /**
     * A worker's body as a JSON object, and where it holds NaN, Infinity or -Infinity ("'output.loss' is NaN"; null
     * when nowhere): such a body is not JSON, so it is read with them only to tell what kind of post it is (DEC-039).
     */
    private record Posted(ObjectNode body, String nonFinite) {
    }

    /** The body is JSON text, whatever Content-Type says (the worker sends application/x-www-form-urlencoded). */
    private static Posted body(Call call, String route) {
        String type = call.ctx().header("Content-Type");
        if (call.settings().has(Defect.WORKER_FORM_BODY_REJECTED) && type != null
                && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw new ApiError(415, "Unsupported Content-Type '" + type + "': send application/json.");
        }
        String text = new String(call.ctx().bodyAsBytes(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw ApiError.badRequest("The " + route + " body is empty; send the JSON the worker SDK posts, e.g. {\"output\": ...}.");
        }
        JsonNode parsed;
        String nonFinite = null;
        try {
            parsed = RequestParser.parseJson(text);
        } catch (ApiError e) {
            JsonNode python;
            try {
                python = PYTHON_JSON.readTree(text);
            } catch (tools.jackson.core.JacksonException notPython) {
                throw e;
            }
            java.util.Map<String, Double> found = new java.util.LinkedHashMap<>();
            int count = Json.nonFiniteNumbers(python, "", 3, found);
            if (count == 0 || !python.isObject()) {
                throw e;
            }
            parsed = python;
            List<String> named = new ArrayList<>();
            found.forEach((where, value) -> named.add("'" + where + "' is " + value));
            nonFinite = String.join(", ", named) + (count > found.size() ? ", and " + (count - found.size()) + " more" : "");
        }
        if (!parsed.isObject()) {
            throw ApiError.badRequest("The " + route + " body must be a JSON object, e.g. {\"output\": ...}.");
        }
        return new Posted((ObjectNode) parsed, nonFinite);
    }

    private static void answer(Call call, ExternalWorkers.Report report) {
        switch (report.outcome()) {
            case APPLIED -> ack(call.ctx(), "accepted", null);
            case DUPLICATE -> ack(call.ctx(), "duplicate", report.message());
            case DISCARDED -> ack(call.ctx(), "discarded", report.message());
            case NOT_FOUND, NOT_HELD -> throw ApiError.notFound(report.message());
        }
    }

    /** The mock's answer to job-done, job-stream and ping (schemas/json/worker-ack.schema.json); the worker ignores it. */
    private static void ack(Context ctx, String status, String message) {
        ObjectNode o = Json.object();
        o.put("status", status);
        if (message != null) {
            o.put("message", message);
        }
        Responses.json(ctx, 200, o);
    }

    /** 204 with no Content-Type: there is no content to have a type (the server's default type is JSON). */
    private static void noContent(Context ctx) {
        ctx.status(204);
        ctx.res().setContentType(null);
    }

    // ---------------------------------------------------------------- job-stop, ping

    /** job-stop: 200 {"jobsToStop": [...]} naming this worker's cancelled or timed-out jobs, else 204 after the hold (WORKER-009). */
    private void stop(Call call) {
        if (call.head()) {
            noContent(call.ctx());
            return;
        }
        long wait = call.settings().workerTakeWaitMs;
        call.ctx().future(() -> engine.workers().stopPoll(call.endpointId(), call.workerId(), wait)
                .thenAccept(ids -> {
                    if (ids.isEmpty()) {
                        noContent(call.ctx());
                        return;
                    }
                    ObjectNode o = Json.object();
                    ArrayNode list = o.putArray("jobsToStop");
                    ids.forEach(list::add);
                    Responses.json(call.ctx(), 200, o);
                }));
    }

    /** ping: {@code job_id} (comma-joined, omitted when idle) and {@code runpod_version}; the worker ignores the answer (WORKER-010). */
    private void ping(Call call) {
        Context ctx = call.ctx();
        List<String> jobIds = new ArrayList<>();
        for (String value : ctx.queryParams("job_id")) {
            for (String id : value.split(",")) {
                if (!id.isBlank()) {
                    jobIds.add(id.trim());
                }
            }
        }
        boolean unhealthy = "unhealthy".equalsIgnoreCase(ctx.queryParam("status"));
        String detail = null;
        if (unhealthy) {
            detail = "check=" + ctx.queryParam("check") + ", reason=" + ctx.queryParam("reason");
            detail = detail.length() > 300 ? detail.substring(0, 300) : detail;
        }
        engine.workers().ping(call.endpointId(), call.workerId(), jobIds, ctx.queryParam("runpod_version"), unhealthy, detail);
        ack(ctx, "pong", null);
    }
}
