package dev.runpodkit.mock.http;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.Engine;
import dev.runpodkit.mock.engine.JobStatus;
import dev.runpodkit.mock.engine.JobView;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mock's own control surface under {@code /__admin/}: the clock, a reset, and a look at jobs as their
 * workers received them. Not part of RunPod's API; the conformance suite uses it only when the target is
 * this mock. Secrets are redacted in every view.
 */
final class AdminApi {

    private final Engine engine;
    private final ControllableClock clock;
    private final Faults faults;
    private final dev.runpodkit.mock.webhooks.DeliveryJournal journal;

    private final Runnable onReset;

    AdminApi(Engine engine, ControllableClock clock, Faults faults, dev.runpodkit.mock.webhooks.DeliveryJournal journal,
             Runnable onReset) {
        this.onReset = onReset;
        this.engine = engine;
        this.clock = clock;
        this.faults = faults;
        this.journal = journal;
    }

    void register(RouteTable routes) {
        routes.get("/__admin/settings", ctx -> Responses.json(ctx, 200, settingsView(engine.settings())));
        routes.on(io.javalin.http.HandlerType.PATCH, "/__admin/settings", this::changeSettings);
        routes.post("/__admin/faults", this::armFaults);
        routes.get("/__admin/webhooks", this::webhooks);
        routes.get("/__admin/defects", this::defects);
        routes.get("/__admin/workers", this::workers);
        routes.get("/__admin/worker-env", this::workerEnv);
        routes.post("/__admin/reset", this::reset);
        routes.get("/__admin/jobs", this::jobs);
        routes.get("/__admin/jobs/{jobId}", this::job);
        routes.get("/__admin/clock", ctx -> Responses.json(ctx, 200, clockView()));
        routes.post("/__admin/clock/advance", this::advance);
        routes.post("/__admin/clock/freeze", ctx -> {
            clock.freeze();
            followTheClock();
            Responses.json(ctx, 200, clockView());
        });
        routes.post("/__admin/clock/resume", ctx -> {
            clock.resume();
            followTheClock();
            Responses.json(ctx, 200, clockView());
        });
        routes.post("/__admin/clock/scale", this::scale);
    }

    /** PATCH /__admin/settings {"workersMax": 4, ...}: change settings at run time; unknown keys are refused. */
    private void changeSettings(Context ctx) {
        String body = ctx.body();
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The body is empty; send a JSON object of settings to change, e.g. {\"workersMax\": 4}.");
        }
        JsonNode patch = RequestParser.parseJson(body);
        if (!patch.isObject()) {
            throw ApiError.badRequest("Send a JSON object of settings to change, e.g. {\"workersMax\": 4}.");
        }
        Settings updated = engine.settings().copy();
        for (java.util.Map.Entry<String, JsonNode> e : patch.properties()) {
            SettingsPatch.apply(updated, e.getKey(), e.getValue());
        }
        // as on the command line: a bound the patch leaves alone follows the one it sets; two set that cross are refused
        String workers = updated.workersProblem("workersMin", "workersMax", patch.has("workersMin") ? 1 : 0,
                patch.has("workersMax") ? 1 : 0);
        if (workers != null) {
            throw ApiError.badRequest(workers + ".");
        }
        String waits = updated.waitProblem("waitMinMs", "waitMaxMs", "runsyncWaitDefaultMs", "streamWaitDefaultMs",
                patch.has("runsyncWaitDefaultMs"), patch.has("streamWaitDefaultMs"));
        if (waits != null) {
            throw ApiError.badRequest(waits + ".");
        }
        // compared with the clock, not the settings: the clock may have been rescaled by POST /__admin/clock/scale
        if (updated.timeScale != clock.scale()) {
            clock.setScale(updated.timeScale);
        }
        updated.clockFrozen = clock.frozen();
        engine.updateSettings(updated);
        Responses.json(ctx, 200, settingsView(updated));
    }

    /**
     * The settings as shown: timeScale and clockFrozen are the clock's own, which the clock routes (and an embedding
     * program) change without a settings patch.
     */
    private JsonNode settingsView(Settings s) {
        ObjectNode view = Json.MAPPER.valueToTree(s.describe());
        view.put("timeScale", clock.scale());
        view.put("clockFrozen", clock.frozen());
        return view;
    }

    /** After a clock route: the settings say what the clock now does (the webhook sender reads timeScale from them). */
    private void followTheClock() {
        Settings current = engine.settings();
        if (current.timeScale == clock.scale() && current.clockFrozen == clock.frozen()) {
            return;
        }
        Settings updated = current.copy();
        updated.timeScale = clock.scale();
        updated.clockFrozen = clock.frozen();
        engine.updateSettings(updated);
    }

    /** GET /__admin/webhooks?jobId=&endpoint=: the delivery journal, oldest first (an unknown endpoint is a 404). */
    private void webhooks(Context ctx) {
        String jobId = ctx.queryParam("jobId");
        String endpoint = endpointFilter(ctx); // a typo is a 404, not an empty journal that looks like no deliveries
        ArrayNode list = Json.NODES.arrayNode();
        for (var a : journal.entries(a -> (jobId == null || jobId.equals(a.jobId()))
                && (endpoint == null || endpoint.equals(a.endpointId())))) {
            ObjectNode o = list.addObject();
            o.put("seq", a.seq());
            o.put("jobId", a.jobId());
            o.put("endpointId", a.endpointId());
            o.put("url", a.url());
            o.put("attempt", a.attempt());
            o.put("at", a.at());
            if (a.statusCode() != null) {
                o.put("statusCode", a.statusCode());
            }
            if (a.error() != null) {
                o.put("error", a.error());
            }
            o.put("durationMs", a.durationMs());
            o.put("outcome", a.outcome());
        }
        ObjectNode body = Json.object();
        body.put("count", list.size());
        body.put("dropped", journal.dropped());
        body.put("pending", journal.pending());
        body.set("attempts", list);
        Responses.json(ctx, 200, body);
    }

    /** GET /__admin/workers?endpoint=: the workers connected over the worker protocol, and the jobs they hold. */
    private void workers(Context ctx) {
        String endpoint = endpointFilter(ctx);
        ArrayNode list = Json.NODES.arrayNode();
        for (var w : engine.workers().list(endpoint)) {
            ObjectNode o = list.addObject();
            o.put("endpointId", w.endpointId());
            o.put("workerId", w.workerId());
            o.put("firstSeenAt", w.firstSeenAt());
            o.put("lastSeenAt", w.lastSeenAt());
            w.jobs().forEach(o.putArray("jobs")::add);
            o.put("retired", w.retired());
            o.put("waitingForJobs", w.waitingForJobs());
            o.put("waitingForStop", w.waitingForStop());
            w.pendingStops().forEach(o.putArray("pendingStops")::add);
            o.put("pings", w.pings());
            if (w.runpodVersion() != null) {
                o.put("runpodVersion", w.runpodVersion());
            }
        }
        ObjectNode body = Json.object();
        body.put("count", list.size());
        body.set("workers", list);
        Responses.json(ctx, 200, body);
    }

    /**
     * GET /__admin/worker-env?endpoint=&podId=: the environment a runpod-python worker needs against this mock,
     * as JSON and as shell lines. The URLs use the host this request reached. Keys other than the default are not shown.
     */
    private void workerEnv(Context ctx) {
        Settings s = engine.settings();
        String endpoint = ctx.queryParam("endpoint");
        if (endpoint == null || endpoint.isBlank()) {
            endpoint = s.endpoints.stream().filter(e -> s.modeOf(e) == Settings.Mode.EXTERNAL).findFirst().orElse(s.endpoints.get(0));
        }
        if (!engine.hasEndpoint(endpoint)) {
            throw unknownEndpoint(endpoint);
        }
        String podId = ctx.queryParam("podId");
        if (podId != null && !podId.isBlank() && !isPathSegment(podId)) {
            // the worker puts RUNPOD_POD_ID into its URLs as it is: 'a/b' made job-done/a/b/{job}, which no route serves
            throw ApiError.badRequest("podId '" + ApiError.shown(podId) + "' cannot be a worker id in a URL path: use 1 to 200 letters,"
                    + " digits, '-', '_', '.' or '~' (not '.' or '..' alone).");
        }
        String base = ctx.scheme() + "://" + ctx.host();
        var env = dev.runpodkit.mock.config.WorkerEnvironment.of(base, endpoint, s, clock.scale(), podId);
        ObjectNode body = Json.object();
        body.put("endpointId", endpoint);
        body.put("mode", s.modeOf(endpoint).name().toLowerCase(Locale.ROOT));
        ObjectNode vars = body.putObject("env");
        env.forEach(vars::put);
        body.put("keyShown", dev.runpodkit.mock.config.WorkerEnvironment.keyShown(s));
        java.util.List<String> warnings = new java.util.ArrayList<>();
        if (s.modeOf(endpoint) != Settings.Mode.EXTERNAL) {
            // the worker would connect and be answered 204 forever: only a log line said why
            warnings.add("endpoint " + endpoint + " runs built-in workers: a worker started with this environment gets no"
                    + " jobs; start the mock with --endpoint-mode " + endpoint + "=external (or --mode external)");
        }
        String pingWarning = dev.runpodkit.mock.config.WorkerEnvironment.pingWarning(s, clock.scale());
        if (pingWarning != null) {
            warnings.add(pingWarning);
        }
        StringBuilder shell = new StringBuilder();
        warnings.forEach(w -> shell.append("# WARNING: ").append(w).append('\n'));
        body.put("shell", shell + dev.runpodkit.mock.config.WorkerEnvironment.shell(env));
        if (!warnings.isEmpty()) {
            warnings.forEach(body.putArray("warnings")::add);
        }
        Responses.json(ctx, 200, body);
    }

    /**
     * {@code ?endpoint=} of a list: null (every endpoint) when absent or empty; an endpoint this mock does not serve
     * is a 404, as on /__admin/worker-env, rather than an empty list that looks like an endpoint with nothing in it.
     */
    private String endpointFilter(Context ctx) {
        String endpoint = ctx.queryParam("endpoint");
        if (endpoint == null || endpoint.isEmpty()) {
            return null;
        }
        if (!engine.hasEndpoint(endpoint)) {
            throw unknownEndpoint(endpoint);
        }
        return endpoint;
    }

    private ApiError unknownEndpoint(String endpoint) {
        return ApiError.notFound("Endpoint '" + ApiError.shown(endpoint) + "' not found. Known to this mock: "
                + engine.settings().endpoints + ".");
    }

    /** A pod id the worker can put in job-take/{id} as it is, of at most 200 characters. */
    private static boolean isPathSegment(String id) {
        return id.length() <= 200 && dev.runpodkit.mock.config.SettingsParser.isUrlPathSegment(id);
    }

    private void armFaults(Context ctx) {
        java.math.BigInteger count = wholeParam(ctx, "count");
        if (count.signum() < 0 || count.compareTo(java.math.BigInteger.valueOf(1_000_000)) > 0) {
            throw ApiError.badRequest("'count' is out of range: it must be between 0 and 1000000.");
        }
        faults.arm(count.intValue());
        ObjectNode o = Json.object();
        o.put("remaining", faults.remaining());
        Responses.json(ctx, 200, o);
    }

    private ObjectNode clockView() {
        ObjectNode o = Json.object();
        o.put("now", clock.now());
        o.put("scale", clock.scale());
        o.put("frozen", clock.frozen());
        o.put("pendingTimers", clock.pendingTimers());
        o.put("timersScheduled", clock.timersScheduled());
        return o;
    }

    private void defects(Context ctx) {
        ArrayNode list = Json.NODES.arrayNode();
        for (Defect d : Defect.values()) {
            ObjectNode o = list.addObject();
            o.put("name", d.flagName());
            o.put("description", d.description());
            o.put("active", engine.settings().has(d));
        }
        ObjectNode body = Json.object();
        body.set("defects", list);
        Responses.json(ctx, 200, body);
    }

    private void reset(Context ctx) {
        Settings current = engine.settings();
        engine.reset(current.copy());
        journal.clear();
        onReset.run();
        ObjectNode o = Json.object();
        o.put("status", "reset");
        Responses.json(ctx, 200, o);
    }

    private void jobs(Context ctx) {
        String endpoint = endpointFilter(ctx);
        String status = ctx.queryParam("status");
        JobStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = JobStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("Unknown status '" + status + "'; one of " + List.of(JobStatus.values()) + ".");
            }
        }
        JobStatus finalWanted = wanted;
        Predicate<JobView> filter = j -> (endpoint == null || endpoint.equals(j.endpointId()))
                && (finalWanted == null || finalWanted == j.status());
        Views views = new Views(engine.settings());
        ArrayNode list = Json.NODES.arrayNode();
        for (JobView j : engine.jobs(filter)) {
            list.add(adminView(views, j));
        }
        ObjectNode body = Json.object();
        body.put("count", list.size());
        body.set("jobs", list);
        Responses.json(ctx, 200, body);
    }

    private void job(Context ctx) {
        String id = ctx.pathParam("jobId");
        JobView job = engine.findAnywhere(id).orElseThrow(() -> ApiError.notFound("Job '" + ApiError.shown(id) + "' not found."));
        Responses.json(ctx, 200, adminView(new Views(engine.settings()), job));
    }

    private static ObjectNode adminView(Views views, JobView j) {
        ObjectNode o = Json.object();
        o.put("endpointId", j.endpointId());
        o.put("sync", j.sync());
        o.put("submittedAt", j.submittedAt());
        o.set("status", views.statusPayload(j).without("s3Config"));
        o.set("delivered", views.asDelivered(j));
        return o;
    }

    private void advance(Context ctx) {
        java.math.BigInteger ms = wholeParam(ctx, "ms");
        if (ms.signum() < 0) {
            throw ApiError.badRequest("'ms' must be >= 0: the clock only moves forward.");
        }
        long max = clock.maxAdvanceMs();
        if (ms.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw ApiError.badRequest("'ms' is out of range: it must be at most " + max + " now, as the clock cannot go past "
                    + ControllableClock.LATEST_MILLIS + " ms since the epoch.");
        }
        clock.advance(ms.longValueExact());
        Responses.json(ctx, 200, clockView());
    }

    private void scale(Context ctx) {
        String raw = ctx.queryParam("value");
        if (raw == null) {
            raw = bodyField(ctx, "value"); // a body that is not JSON, or a value that is not a number, says so itself
        }
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Give the time scale as ?value=X or {\"value\": X} in the body (X > 0).");
        }
        if (!ControllableClock.isValidScale(value)) {
            throw ApiError.badRequest("The time scale must be a number > 0 and at most 1000000.");
        }
        clock.setScale(value);
        followTheClock();
        Responses.json(ctx, 200, clockView());
    }

    /** Past any figure these routes take: a value beyond it stands for "too large", never expanded into digits (1e999999). */
    private static final java.math.BigDecimal BEYOND_ANY_RANGE = java.math.BigDecimal.valueOf(Long.MAX_VALUE);
    private static final java.math.BigInteger TOO_LARGE = java.math.BigInteger.ONE.shiftLeft(63);

    /**
     * A whole number from the query (?name=N) or the body ({"name": N}, a JSON number). As a JSON number may be
     * written, 1e3 and 1000.0 are 1000; a fraction is refused. The caller checks its own range, which lies within
     * a long: a value past that comes back as 2^63 (or -2^63), so that the caller's message says it is out of range.
     */
    private static java.math.BigInteger wholeParam(Context ctx, String name) {
        String raw = ctx.queryParam(name);
        java.math.BigDecimal value;
        if (raw != null) {
            try {
                value = new java.math.BigDecimal(raw.trim());
            } catch (NumberFormatException e) {
                throw howToGive(name);
            }
        } else {
            JsonNode node = bodyNumber(ctx, name);
            if (node == null) {
                throw howToGive(name);
            }
            if (node.isIntegralNumber()) {
                value = new java.math.BigDecimal(node.bigIntegerValue());
            } else if (node.isBigDecimal()) {
                value = node.decimalValue();
            } else {
                double d = node.doubleValue();
                if (!Double.isFinite(d)) {
                    return d > 0 ? TOO_LARGE : TOO_LARGE.negate();
                }
                value = new java.math.BigDecimal(d);
            }
        }
        if (value.abs().compareTo(BEYOND_ANY_RANGE) > 0) {
            return value.signum() > 0 ? TOO_LARGE : TOO_LARGE.negate();
        }
        if (value.signum() != 0 && value.stripTrailingZeros().scale() > 0) {
            throw ApiError.badRequest("'" + name + "' must be a whole number (such as 1000, 1e3 or 1000.0), not a fraction.");
        }
        return value.toBigInteger();
    }

    private static ApiError howToGive(String name) {
        return ApiError.badRequest("Give '" + name + "' as a whole number, in the query (?" + name + "=N) or the body ({\"" + name + "\": N}).");
    }

    private static String bodyField(Context ctx, String name) {
        JsonNode node = bodyNumber(ctx, name);
        return node == null ? null : node.asString();
    }

    /** The body's field {@code name}, which must be a JSON number; null when there is no body or no such field. */
    private static JsonNode bodyNumber(Context ctx, String name) {
        String body = ctx.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node = RequestParser.parseJson(body).get(name);
        if (node != null && !node.isNumber()) {
            throw ApiError.badRequest("'" + name + "' in the body must be a JSON number, not " + node.getNodeType().name().toLowerCase(Locale.ROOT) + ".");
        }
        return node;
    }
}
