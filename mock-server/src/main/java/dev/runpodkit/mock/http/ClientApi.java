package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.Engine;
import dev.runpodkit.mock.engine.JobRequest;
import dev.runpodkit.mock.engine.JobStatus;
import dev.runpodkit.mock.engine.JobView;
import dev.runpodkit.mock.engine.StreamBatch;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import dev.runpodkit.mock.limits.RateLimiter;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client-facing endpoint API under {@code /v2/{endpointId}/} (runpod-api.md §2). Each handler is thin:
 * authenticate, parse, call the {@link Engine}, render with {@link Views}. Waits are asynchronous: a
 * request that holds (runsync, status-sync, stream) parks a future, not a thread.
 */
final class ClientApi {

    private final Engine engine;
    private final Faults faults;
    private final RateLimiter limiter;

    ClientApi(Engine engine, Faults faults, RateLimiter limiter) {
        this.engine = engine;
        this.faults = faults;
        this.limiter = limiter;
    }

    void register(RouteTable routes) {
        routes.post("/v2/{endpointId}/run", guarded("run", this::run));
        routes.post("/v2/{endpointId}/runsync", guarded("runsync", this::runsync));
        routes.getAndPost("/v2/{endpointId}/status/{jobId}", guarded("status", this::status));
        routes.getAndPost("/v2/{endpointId}/status-sync/{jobId}", guarded("status", this::statusSync));
        routes.getAndPost("/v2/{endpointId}/stream/{jobId}", guarded("stream", this::stream));
        routes.post("/v2/{endpointId}/cancel/{jobId}", guarded("cancel", this::cancel));
        routes.post("/v2/{endpointId}/retry/{jobId}", guarded("retry", this::retry));
        routes.post("/v2/{endpointId}/purge-queue", guarded("purge-queue", this::purgeQueue));
        routes.get("/v2/{endpointId}/health", guarded("health", this::health));
    }

    /** What each handler gets: the request, the current settings and the endpoint it addresses. */
    private record Call(Context ctx, Settings settings, String endpointId) {
        Views views() {
            return new Views(settings);
        }

        String jobId() {
            return ctx.pathParam("jobId");
        }
    }

    private interface CallHandler {
        void handle(Call call) throws Exception;
    }

    private Handler guarded(String operation, CallHandler handler) {
        return ctx -> {
            Settings settings = engine.settings();
            Auth.require(ctx, settings);
            faults.maybeFail(ctx, settings);
            String endpointId = ctx.pathParam("endpointId");
            if (!engine.hasEndpoint(endpointId)) {
                if (settings.has(Defect.UNKNOWN_ENDPOINT_200) && !settings.endpoints.isEmpty()) {
                    endpointId = settings.endpoints.get(0);
                } else {
                    throw ApiError.notFound("Endpoint '" + ApiError.shown(endpointId) + "' not found. Known to this mock: " + settings.endpoints + ".");
                }
            }
            limit(ctx, settings, endpointId, operation);
            handler.handle(new Call(ctx, settings, endpointId));
        };
    }

    /** Documented per-operation limits (DEC-029): 429 with Retry-After when over. */
    private void limit(Context ctx, Settings settings, String endpointId, String operation) {
        if (!settings.rateLimits || settings.has(Defect.RATE_LIMITS_OFF)) {
            return;
        }
        if (settings.rateLimitRule == Settings.RateLimitRule.QUEUE_SIZE) {
            refuseSubmissionWhileTheQueueIsFull(settings, endpointId, operation);
            return;
        }
        long window = settings.has(Defect.RATE_WINDOW_STUCK) ? Long.MAX_VALUE / 4 : settings.rateWindowMs;
        int running = settings.has(Defect.RATE_NO_DYNAMIC) ? 0 : engine.runningWorkers(endpointId);
        RateLimiter.Decision decision = limiter.acquire(endpointId, operation, window, running, settings.requestsPerWorker);
        if (decision instanceof RateLimiter.Refused refused) {
            ApiError error = new ApiError(429, "Too many requests: " + refused.reason() + "; retry after "
                    + refused.retryAfterSeconds() + " s.");
            if (!settings.has(Defect.RATE_NO_RETRY_AFTER)) {
                error.header("Retry-After", String.valueOf(refused.retryAfterSeconds()));
            }
            throw error;
        }
        if (decision instanceof RateLimiter.Permit permit) {
            // the request counts as in flight until its answer is done (async holds included); a completion
            // listener only where a permit was taken keeps an after-handler off every request's path
            org.eclipse.jetty.server.Request.addCompletionListener(
                    org.eclipse.jetty.ee10.servlet.ServletContextRequest.getServletContextRequest(ctx.req()),
                    failure -> permit.release());
        }
    }

    /**
     * DEC-029's older rule (setting rateLimitRule QUEUE_SIZE, docs 2024-12 to 2025-10): "a 429 if the queue size exceeds
     * 50 jobs and exceeds endpoint.WorkersMax * 500". It speaks of submissions only; other operations are not limited.
     */
    private void refuseSubmissionWhileTheQueueIsFull(Settings settings, String endpointId, String operation) {
        if (!"run".equals(operation) && !"runsync".equals(operation)) {
            return;
        }
        long bound = Math.max(50, (long) settings.workersMax * 500);
        long queued = engine.queuedJobs(endpointId);
        if (queued > bound) {
            long retryAfter = Math.max(1, (settings.rateWindowMs + 999) / 1000);
            ApiError error = new ApiError(429, "Too many requests: the queue holds " + queued + " jobs, more than 50 and"
                    + " more than workersMax x 500 (" + bound + "); retry after " + retryAfter + " s.");
            if (!settings.has(Defect.RATE_NO_RETRY_AFTER)) {
                error.header("Retry-After", String.valueOf(retryAfter));
            }
            throw error;
        }
    }

    // ---------------------------------------------------------------- /run, /runsync

    private void run(Call call) {
        Parsed parsed = parse(call, false);
        JobView job = engine.submit(call.endpointId(), parsed.request(), parsed.bodyBytes());
        Responses.json(call.ctx(), call.settings().has(Defect.RUN_RETURNS_202) ? 202 : 200, call.views().runBytes(job));
    }

    private void runsync(Call call) {
        long wait = waitParam(call, call.settings().runsyncWaitDefaultMs, call.settings().waitMinMs, Defect.RUNSYNC_WAIT_UNCLAMPED);
        // DEC-006's older reading (setting runsyncWaitMeaning RETENTION): ?wait is how long the result is kept, and
        // the request holds for the default
        boolean waitIsRetention = call.settings().runsyncWaitMeaning == Settings.RunsyncWaitMeaning.RETENTION;
        Parsed parsed = parse(call, true);
        JobView job = engine.submit(call.endpointId(), parsed.request(), parsed.bodyBytes());
        if ((waitIsRetention || call.settings().has(Defect.RETAIN_WAIT_EXTENDS)) && call.ctx().queryParam("wait") != null) {
            engine.keepResultFor(call.endpointId(), job.id(), wait);
        }
        long hold = waitIsRetention ? call.settings().runsyncWaitDefaultMs : wait;
        if (call.settings().has(Defect.RUNSYNC_IGNORES_WAIT)) {
            Responses.json(call.ctx(), 200, call.views().runsyncResponse(job));
            return;
        }
        call.ctx().future(() -> engine.awaitTerminal(call.endpointId(), job.id(), hold)
                .thenAccept(found -> {
                    if (call.settings().has(Defect.RUNSYNC_TIMEOUT_IS_ERROR)
                            && found.isPresent() && !found.get().status().isTerminal()) {
                        Responses.error(call.ctx(), call.settings(), new ApiError(408, "Request timed out."));
                        return;
                    }
                    answerWithJob(call, found, job.id(), call.views()::runsyncBytes);
                }));
    }

    /** A validated request and the length of the body it came in (the job store's budget counts it). */
    private record Parsed(JobRequest request, long bodyBytes) { }

    /** A request body as read: {@code length} bytes of {@code bytes}, in {@code charset}. */
    record Body(byte[] bytes, int length, java.nio.charset.Charset charset) {
        String text() {
            return new String(bytes, 0, length, charset);
        }

        /** Whether its text starts with a byte order mark (U+FEFF): in UTF-8 the bytes EF BB BF. */
        boolean startsWithByteOrderMark() {
            String start = new String(bytes, 0, Math.min(length, 8), charset);
            return !start.isEmpty() && start.charAt(0) == '\uFEFF';
        }
    }

    private Parsed parse(Call call, boolean sync) {
        Body body = readLimited(call, sync);
        try {
            return new Parsed(new RequestParser(call.settings()).parse(body, sync), body.length());
        } catch (ApiError e) {
            if (!e.getMessage().startsWith(RequestParser.NOT_JSON)) {
                throw e;
            }
            ApiError explained = RequestParser.whyNotJson(e, headerValues(call, "Content-Encoding"),
                    call.ctx().req().getContentType(), body.startsWithByteOrderMark());
            if (call.settings().has(Defect.MALFORMED_JSON_500)) {
                call.ctx().status(500).contentType("text/plain").result(
                        "java.lang.RuntimeException: " + explained.getMessage() + "\n\tat dev.runpodkit.mock.http.ClientApi.parse(ClientApi.java:1)\n");
                throw new ResponseAlreadyWritten();
            }
            throw explained;
        }
    }

    /** Every value of a request header, joined by ", " as one list; null when there is none. */
    private static String headerValues(Call call, String name) {
        java.util.Enumeration<String> values = call.ctx().req().getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder all = new StringBuilder(first);
        while (values.hasMoreElements()) {
            all.append(", ").append(values.nextElement());
        }
        return all.toString();
    }

    /**
     * Reads the body up to the documented limit (DEC-018: /run 10 MB, /runsync 20 MB), refusing as soon as
     * more arrives: an oversized or endless body is never held whole in memory.
     */
    private static Body readLimited(Call call, boolean sync) {
        Settings s = call.settings();
        long limit = sync ? s.runsyncMaxBytes : s.runMaxBytes;
        if (s.has(Defect.LIMIT_NOT_ENFORCED)) {
            limit = Long.MAX_VALUE;
        } else if (s.has(Defect.LIMIT_OLD_2MB)) {
            limit = 2L * 1024 * 1024;
        }
        String op = sync ? "/runsync" : "/run";
        // as Jetty parsed it (it refuses a malformed one itself); -1 when there is none (chunked, or no body)
        long declaredLength = call.ctx().req().getContentLengthLong();
        if (declaredLength > DRAIN_CAP_BYTES && declaredLength > limit) {
            throw tooLarge(s, op, limit); // too big even to drain: answer now and let the connection close
        }
        java.nio.charset.Charset charset = charsetOf(call);
        try (java.io.InputStream in = call.ctx().bodyInputStream()) {
            if (declaredLength >= 0 && declaredLength <= limit && declaredLength <= READ_BUFFER_MAX) {
                // the usual request: read straight into an array of its declared size (Jetty delivers no more)
                byte[] exact = new byte[(int) declaredLength];
                int read = in.readNBytes(exact, 0, exact.length);
                if (read < exact.length) {
                    throw ApiError.badRequest("The request body could not be read: it ended before its Content-Length.");
                }
                return new Body(exact, read, charset);
            }
            // sized to the body: a fixed 64 KB buffer per request was half of all the mock's allocation under load
            int size = declaredLength >= 0 ? (int) Math.min(declaredLength + 1, READ_BUFFER_MAX) : READ_BUFFER_UNKNOWN;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(Math.max(size - 1, 32));
            byte[] buffer = new byte[Math.max(size, 1)];
            long total = 0;
            int n;
            boolean countBytes = !(s.has(Defect.LIMIT_CONTENT_LENGTH_ONLY) && declaredLength < 0);
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (countBytes && total > limit) {
                    drain(in, DRAIN_CAP_BYTES - total);
                    throw tooLarge(s, op, limit);
                }
                out.write(buffer, 0, n);
            }
            if (declaredLength >= 0 && total < declaredLength) {
                throw ApiError.badRequest("The request body could not be read: it ended before its Content-Length.");
            }
            return new Body(out.toByteArray(), out.size(), charset);
        } catch (java.io.IOException e) {
            throw ApiError.badRequest("The request body could not be read: it ended before it was complete.");
        }
    }

    /**
     * How much of an oversized body is read and thrown away before answering, so a client that writes its whole
     * body before reading (most do) gets the 400 instead of a broken pipe. Beyond it the connection is closed.
     */
    static final long DRAIN_CAP_BYTES = 64L * 1024 * 1024;
    private static final int READ_BUFFER_MAX = 64 * 1024;
    private static final int READ_BUFFER_UNKNOWN = 8 * 1024;

    private static void drain(java.io.InputStream in, long atMost) throws java.io.IOException {
        byte[] sink = new byte[64 * 1024];
        long left = atMost;
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }

    /** The charset the Content-Type names (UTF-8 when none); an unknown one is the client's mistake. */
    private static java.nio.charset.Charset charsetOf(Call call) {
        String name = call.ctx().req().getCharacterEncoding();
        if (name == null || name.isBlank()) {
            return java.nio.charset.StandardCharsets.UTF_8;
        }
        try {
            return java.nio.charset.Charset.forName(name.trim());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The request body could not be read: the charset in its Content-Type ('" + name + "') is unknown.");
        }
    }

    private static ApiError tooLarge(Settings s, String op, long limit) {
        long mb = 1024L * 1024;
        // the MB figure only where it is exact: "at most 100 bytes (0 MB)" read as a limit of nothing
        String inMb = limit >= mb && limit % mb == 0 ? " (" + limit / mb + " MB)" : "";
        return new ApiError(s.payloadTooLargeStatus, "Request body too large: " + op + " accepts at most " + limit
                + " bytes" + inMb + ".");
    }

    // ---------------------------------------------------------------- /status, /status-sync, /stream

    /**
     * DEC-009's other reading (setting readPost off): the read routes take GET (and HEAD) only, as the newest API
     * reference reads, and POST is a 405.
     */
    private static void refusePostUnlessReadPost(Call call) {
        if (!call.settings().readPost && "POST".equals(call.ctx().method().name())) {
            throw new ApiError(405, "Method POST is not allowed on " + call.ctx().path() + ": this mock reads jobs with GET"
                    + " only (setting readPost).").header("Allow", "GET, HEAD");
        }
    }

    private void status(Call call) {
        refusePostUnlessReadPost(call);
        if (call.settings().has(Defect.STATUS_GET_ONLY) && "POST".equals(call.ctx().method().name())) {
            throw new ApiError(405, "Method Not Allowed").header("Allow", "GET");
        }
        String ttl = queryParam(call, "ttl");
        // an empty ?ttl= is no ttl, as an empty ?wait= is no wait
        if (ttl != null && !ttl.isBlank() && !(call.settings().has(Defect.WAIT_NOT_VALIDATED) && !isInteger(ttl))) {
            long ms = integerParam("ttl", ttl);
            if (ms < 0) {
                throw ApiError.badRequest("Query parameter 'ttl' must be a number of milliseconds >= 0.");
            }
            // a HEAD is a safe method: it looks and changes nothing (HEAD ?ttl=0 removed the job)
            if (!"HEAD".equals(call.ctx().method().name())) {
                // held at a century, as a policy time without maximum is: the job's deadline (now + ms) must not overflow
                engine.setTtl(call.endpointId(), call.jobId(), Math.min(ms, RequestParser.UNBOUNDED_POLICY_MS));
            }
        }
        if (call.settings().has(Defect.STATUS_HOLDS)) {
            statusSync(call);
            return;
        }
        Optional<JobView> job = engine.find(call.endpointId(), call.jobId());
        answerWithJob(call, job, call.jobId(), call.views()::statusBytes);
    }

    private void statusSync(Call call) {
        refusePostUnlessReadPost(call);
        long requested = waitParam(call, call.settings().runsyncWaitDefaultMs, call.settings().waitMinMs, Defect.STATUS_SYNC_WAIT_UNCLAMPED);
        long wait = call.settings().has(Defect.STATUS_SYNC_IGNORES_WAIT) ? 0 : requested;
        call.ctx().future(() -> engine.awaitTerminal(call.endpointId(), call.jobId(), wait)
                .thenAccept(found -> answerWithJob(call, found, call.jobId(), call.views()::statusBytes)));
    }

    private void stream(Call call) {
        refusePostUnlessReadPost(call);
        Settings s = call.settings();
        if (s.has(Defect.STREAM_GET_ONLY) && "POST".equals(call.ctx().method().name())) {
            throw new ApiError(405, "Method Not Allowed").header("Allow", "GET");
        }
        // /stream may hold 0..300000 ms (DEC-025); an empty /stream holds 10 s by default
        long requested = waitParam(call, s.streamWaitDefaultMs, 0, Defect.STREAM_WAIT_UNCLAMPED);
        long wait = s.has(Defect.STREAM_IGNORES_WAIT) ? 0 : requested;
        if ("HEAD".equals(call.ctx().method().name())) {
            // a HEAD is safe: it answers at once with what a GET would drain, and drains nothing
            Optional<StreamBatch> pending = engine.peekStream(call.endpointId(), call.jobId());
            if (pending.isEmpty()) {
                notFound(call, call.jobId());
            } else {
                Responses.json(call.ctx(), 200, call.views().streamAnswer(pending.get()));
            }
            return;
        }
        call.ctx().future(() -> engine.drainStream(call.endpointId(), call.jobId(), wait)
                .thenCompose(batch -> {
                    boolean endedAndDrained = batch.isPresent() && batch.get().job().status().isTerminal()
                            && batch.get().chunks().isEmpty();
                    if (endedAndDrained && s.has(Defect.STREAM_HOLDS_AFTER_END)) {
                        java.util.concurrent.CompletableFuture<Optional<dev.runpodkit.mock.engine.StreamBatch>> later =
                                new java.util.concurrent.CompletableFuture<>();
                        engine.clock().schedule(requested, () -> later.complete(batch));
                        return later;
                    }
                    return java.util.concurrent.CompletableFuture.completedFuture(batch);
                })
                .thenAccept(batch -> {
                    if (batch.isEmpty()) {
                        notFound(call, call.jobId());
                    } else {
                        Responses.json(call.ctx(), 200, call.views().streamAnswer(batch.get()));
                    }
                }));
    }

    // ---------------------------------------------------------------- /cancel, /retry, /purge-queue, /health

    /** CONTROL_REQUIRES_BODY defect: refuse what py (no body) and go (empty body) send. */
    private static void requireBodyIfBroken(Call call) {
        if (call.settings().has(Defect.CONTROL_REQUIRES_BODY) && call.ctx().body().isBlank()) {
            throw ApiError.badRequest("A JSON body is required.");
        }
    }

    private void cancel(Call call) {
        requireBodyIfBroken(call);
        Optional<JobView> job = engine.cancel(call.endpointId(), call.jobId());
        answerWithJob(call, job, call.jobId(), v -> Responses.bytes(call.views().idAndStatus(v)));
    }

    private void retry(Call call) {
        requireBodyIfBroken(call);
        Engine.RetryResult result = engine.retry(call.endpointId(), call.jobId());
        switch (result.outcome()) {
            case NOT_FOUND -> notFound(call, call.jobId());
            case NOT_RETRYABLE -> throw ApiError.badRequest("Job '" + call.jobId() + "' is " + result.job().status()
                    + "; only FAILED or TIMED_OUT jobs can be retried.");
            case REQUEUED -> Responses.json(call.ctx(), 200, call.views().idAndStatus(result.job()));
        }
    }

    private void purgeQueue(Call call) {
        requireBodyIfBroken(call);
        int removed = engine.purgeQueue(call.endpointId());
        ObjectNode o = Json.object();
        o.put("removed", removed);
        o.put("status", "completed");
        Responses.json(call.ctx(), 200, o);
    }

    private void health(Call call) {
        Responses.json(call.ctx(), 200, call.views().health(engine.health(call.endpointId())));
    }

    // ---------------------------------------------------------------- helpers

    private void answerWithJob(Call call, Optional<JobView> job, String jobId,
                               java.util.function.Function<JobView, byte[]> render) {
        if (job.isEmpty()) {
            notFound(call, jobId);
            return;
        }
        JobView view = job.get();
        int status = view.status() == JobStatus.FAILED && call.settings().has(Defect.FAILED_HTTP_500) ? 500 : 200;
        Responses.json(call.ctx(), status, render.apply(view));
    }

    private void notFound(Call call, String jobId) {
        if (call.settings().has(Defect.UNKNOWN_JOB_200)) {
            ObjectNode o = Json.object();
            o.put("id", jobId);
            o.put("status", "FAILED");
            o.put("error", "Job ID not found");
            Responses.json(call.ctx(), 200, o);
            return;
        }
        Responses.error(call.ctx(), call.settings(), ApiError.notFound("Job '" + ApiError.shown(jobId)
                + "' not found: unknown, or expired (results are kept " + duration(call.settings().retentionRunMs)
                + " after /run, " + duration(call.settings().retentionSyncMs) + " after /runsync)."));
    }

    /** A retention as people say it: "30 min", "1 min", "90 s", "1500 ms", "24 h" (the figure the settings hold). */
    static String duration(long ms) {
        if (ms >= 3_600_000 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        }
        if (ms >= 60_000 && ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        }
        if (ms >= 1_000 && ms % 1_000 == 0) {
            return ms / 1_000 + " s";
        }
        return ms + " ms";
    }

    /**
     * {@code ?wait=ms}: how long to hold, clamped to {@code minMs}..waitMaxMs (docs:opref: 1000..300000 for
     * /runsync; DEC-025). {@code unclamped} is the defect that makes this route hold for the raw value.
     */
    private static long waitParam(Call call, long defaultMs, long minMs, Defect unclamped) {
        String raw = queryParam(call, "wait");
        Settings s = call.settings();
        if (raw == null || raw.isBlank() || (s.has(Defect.WAIT_NOT_VALIDATED) && !isInteger(raw))) {
            return defaultMs;
        }
        long wait = integerParam("wait", raw);
        if (s.has(unclamped)) {
            return Math.max(0, wait);
        }
        return Math.max(minMs, Math.min(s.waitMaxMs, wait));
    }

    /**
     * A query parameter of milliseconds as sent, null when absent. Javalin drops a value it cannot percent-decode
     * ({@code ?wait=%ZZ}) as if it had not been sent; that is the client's mistake, refused as any other value the
     * mock cannot read (unless WAIT_NOT_VALIDATED, which takes such values as absent). The query string is looked at
     * again only when the parameter is missing and the query has a '%' at all.
     */
    private static String queryParam(Call call, String name) {
        String value = call.ctx().queryParam(name);
        if (value == null && !call.settings().has(Defect.WAIT_NOT_VALIDATED)) {
            String query = call.ctx().queryString();
            if (query != null && query.indexOf('%') >= 0 && hasUndecodableValue(query, name)) {
                throw ApiError.badRequest("Query parameter '" + name + "' must be an integer number of milliseconds; its value"
                        + " has an invalid percent-encoding ('%' must be followed by two hexadecimal digits).");
            }
        }
        return value;
    }

    /** True when the query string holds {@code name=value} whose value is not a valid percent-encoding. */
    static boolean hasUndecodableValue(String query, String name) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0 || !name.equals(decodedOrNull(pair.substring(0, eq)))) {
                continue;
            }
            if (decodedOrNull(pair.substring(eq + 1)) == null) {
                return true;
            }
        }
        return false;
    }

    private static String decodedOrNull(String encoded) {
        try {
            return java.net.URLDecoder.decode(encoded, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isInteger(String raw) {
        try {
            Long.parseLong(raw.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * An integer query value. One beyond 64 bits is an integer all the same (DEC-025: clamped, never refused): it
     * saturates at Long.MAX_VALUE or Long.MIN_VALUE, and the caller clamps it into its range.
     */
    private static long integerParam(String name, String raw) {
        String digits = raw.trim();
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            if (digits.matches("[+-]?[0-9]+")) {
                return digits.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            throw ApiError.badRequest("Query parameter '" + name + "' must be an integer number of milliseconds.");
        }
    }

    /** Thrown by a handler that wrote its own (deliberately broken) response. */
    static final class ResponseAlreadyWritten extends RuntimeException {
        ResponseAlreadyWritten() {
            super(null, null, false, false);
        }
    }
}
