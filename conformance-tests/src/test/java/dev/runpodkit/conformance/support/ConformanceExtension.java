package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.report.Outcomes;
import dev.runpodkit.conformance.target.EmbeddedMock;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetConfig;
import dev.runpodkit.mock.MockServer;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.opentest4j.TestAbortedException;

/**
 * The suite's frame, as one JUnit extension: it provides the {@link Target} (starting the embedded mock once
 * per run when no URL is given), skips checks the target cannot or may not run (tier, handler, admin API),
 * turns a broken SHOULD or MAY into a warning instead of a failure, and records every outcome for the summary.
 */
public final class ConformanceExtension implements ParameterResolver, ExecutionCondition, InvocationInterceptor, TestWatcher {

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ConformanceExtension.class);
    /** Reads the mock's admin answers (settings, clock, workers). */
    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    // ---------------------------------------------------------------- the target

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Target.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return target(c);
    }

    public static Target target(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        Holder holder = root.getStore(NS).getOrComputeIfAbsent("target",
                k -> Holder.setUp(new TargetConfig(root::getConfigurationParameter)), Holder.class);
        if (holder.failure != null) {
            throw holder.failure;
        }
        return holder.target;
    }

    /**
     * The run's target, or why it could not be set up: the set-up is tried once per run, so a target that does not
     * answer costs one connect timeout, not one per check.
     */
    private record Holder(Target target, RuntimeException failure) implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        static Holder setUp(TargetConfig config) {
            Target target;
            try {
                target = createTarget(config);
            } catch (RuntimeException e) {
                return new Holder(null, e);
            }
            try {
                if (!target.ownsServer()) {
                    preflight(target);
                }
                return new Holder(target, null);
            } catch (RuntimeException e) {
                try {
                    target.close();
                } catch (Exception ignored) {
                    // a remote target owns nothing to close
                }
                return new Holder(null, e);
            }
        }

        /** Closes the target (stops the embedded mock) when the run ends. */
        @Override
        public void close() throws Exception {
            if (target != null) {
                recordSecretsForLeakScan(target);
                target.close();
            }
        }
    }

    /**
     * For the secret-leak scan that runs after the suite (bench/LeakScanIT): the API key and s3Config secrets this
     * run used are appended to the file named by {@code runpod.leakScanSecretsFile}, outside reports/. Only for the
     * embedded mock, whose keys are random throwaway values; a real endpoint's key is never written anywhere.
     */
    private static void recordSecretsForLeakScan(Target target) {
        String file = System.getProperty("runpod.leakScanSecretsFile");
        if (file == null || file.isBlank() || !target.ownsServer()) {
            return;
        }
        try {
            java.nio.file.Path path = java.nio.file.Path.of(file);
            java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
            java.nio.file.Files.writeString(path, String.join("\n", target.secrets()) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            System.err.println("could not record the run's secrets for the leak scan: " + e.getMessage());
        }
    }

    static Target createTarget(TargetConfig config) {
        Optional<String> baseUrl = config.get(TargetConfig.BASE_URL);
        boolean opaque = config.get(TargetConfig.HANDLER).map(ConformanceExtension::opaqueHandler).orElse(false);
        if (baseUrl.isEmpty()) {
            double scale = config.get(TargetConfig.TIME_SCALE).map(ConformanceExtension::timeScale).orElse(EmbeddedMock.DEFAULT_TIME_SCALE);
            List<String> defects = config.get(TargetConfig.DEFECTS)
                    .map(d -> Arrays.stream(d.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                    .orElse(List.of());
            // every setting is read before the mock starts: a bad one must not leave a server running
            OtherReadings readings = otherReadings(config);
            Spend.Tier tier = config.get(TargetConfig.TIER).map(ConformanceExtension::tier).orElse(Spend.Tier.FULL);
            Optional<String> mockSettings = config.get(TargetConfig.MOCK_SETTINGS);
            String key = EmbeddedMock.randomKey();
            MockServer mock = EmbeddedMock.start(scale, defects, key);
            try {
                mockSettings.ifPresent(json -> applyMockSettings(mock, json));
            } catch (RuntimeException e) {
                mock.close();
                throw e;
            }
            String description = "embedded mock at " + mock.baseUrl() + " (time x" + scale + ")"
                    + (defects.isEmpty() ? "" : " with defects " + defects)
                    + mockSettings.map(j -> " with settings " + j).orElse("") + readings.describe();
            Target t = new Target(mock.baseUrl() + "/v2", EmbeddedMock.ENDPOINT_ID, key, tier, opaque, scale,
                    mock.baseUrl() + "/__admin", description, mock).withWorkerEndpoint(EmbeddedMock.WORKER_ENDPOINT_ID)
                    .withOtherReadings(readings);
            Outcomes.target(description);
            return t;
        }
        String endpointId = config.get(TargetConfig.ENDPOINT_ID).orElseThrow(() -> new IllegalStateException(
                "runpod.baseUrl is set, so runpod.endpointId (or RUNPOD_ENDPOINT_ID) is needed too"));
        ApiKeyHandOff.take(); // in case no launcher session took it (a run started some other way)
        String apiKey = config.get(TargetConfig.API_KEY).or(ApiKeyHandOff::key).orElseThrow(() -> new IllegalStateException(
                "runpod.baseUrl is set, so runpod.apiKey (or RUNPOD_API_KEY) is needed too"));
        // a paid endpoint runs nothing that costs money unless asked to
        Spend.Tier tier = config.get(TargetConfig.TIER).map(ConformanceExtension::tier).orElse(Spend.Tier.NONE);
        String url = checkedBaseUrl(baseUrl.get());
        int webhookPort = config.get(TargetConfig.WEBHOOK_PORT).map(ConformanceExtension::port).orElse(0);
        Optional<String> webhookPublicUrl = config.get(TargetConfig.WEBHOOK_PUBLIC_URL);
        if (webhookPublicUrl.isPresent() && webhookPort == 0) {
            // the receiver would listen on a random port, which no tunnel forwards to: every webhook check would wait
            // out its budget and fail
            throw new IllegalStateException("runpod.webhookPublicUrl is set, so runpod.webhookPort is needed too: the"
                    + " loopback port your tunnel forwards " + webhookPublicUrl.get() + " to");
        }
        String root = url.endsWith("/v2") ? url.substring(0, url.length() - 3) : url;
        String admin = probeAdmin(root) ? root + "/__admin" : null;
        // a real endpoint's time is the wall clock's; this project's mock says how fast its clock runs
        double scale = admin == null ? 1.0 : adminClockScale(admin);
        OtherReadings readings = otherReadings(config);
        String description = url + " endpoint " + endpointId + " (tier " + tier.name().toLowerCase(Locale.ROOT)
                + (admin != null ? ", runpod-mock admin API found" + (scale == 1.0 ? "" : ", time x" + scale) : "")
                + readings.describe() + ")"
                + config.get(TargetConfig.TIME_SCALE).map(v -> "; runpod.timeScale " + v + " ignored: it sets the"
                        + " embedded mock's clock, and a URL runs on its own").orElse("");
        Outcomes.target(description);
        return new Target(url, endpointId, apiKey, tier, opaque, scale, admin, description, null)
                .withWebhookReceiver(webhookPort, webhookPublicUrl.orElse(null))
                .withWorkerEndpoint(admin == null ? null : config.get(TargetConfig.WORKER_ENDPOINT_ID).orElse(null))
                .withOtherReadings(readings);
    }

    /**
     * One look at the endpoint before the first check, so that a set-up mistake is told once, in words, instead of
     * as every check failing with the same error: a target that cannot be reached, a key it refuses (401, 403), an
     * endpoint it does not know (404 on GET /health, and on a POST /run without {@code input}, which a known endpoint
     * refuses with 400 without starting a job, BODY-001; asked only after the 404, so a target that merely lacks
     * /health is left to HEALTH-001). Any other answer is left to the checks to judge. The key is never shown.
     */
    static void preflight(Target target) {
        preflightEndpoint(target);
        if (target.hasAdmin()) {
            awaitAnExternalWorker(target, Duration.ofSeconds(30));
        }
    }

    /**
     * This project's mock with the endpoint in external mode (--mode external, --endpoint-mode ID=external) runs a job
     * only when a worker of the user's own is connected: without one every check that runs a job waits out its budget
     * (120 s each) and fails. A worker started with the run gets {@code patience} to connect; then the set-up fails.
     */
    static void awaitAnExternalWorker(Target target, Duration patience) {
        HttpResponse<String> settings = adminCall(HttpRequest.newBuilder(URI.create(target.adminUrl("/settings"))).GET(),
                "cannot read the mock's settings", "reading the mock's settings");
        if (settings.statusCode() != 200) {
            return; // an admin API that does not say: left to the checks
        }
        tools.jackson.databind.JsonNode s = JSON.readTree(settings.body());
        String mode = s.path("endpointModes").path(target.endpointId()).asString(s.path("mode").asString("builtin"));
        if (!"external".equalsIgnoreCase(mode)) {
            return;
        }
        String workers = target.adminUrl("/workers?endpoint=" + java.net.URLEncoder.encode(target.endpointId(), java.nio.charset.StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpResponse<String> r = adminCall(HttpRequest.newBuilder(URI.create(workers)).GET(),
                    "cannot list the mock's workers", "listing the mock's workers");
            if (r.statusCode() != 200 || JSON.readTree(r.body()).path("count").asInt(0) > 0) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("endpoint '" + target.endpointId() + "' of this mock runs jobs only on"
                        + " workers of your own (mode external), and none connected within " + patience.toSeconds()
                        + " s: every check that runs a job would wait for one and fail. Start your worker first (GET "
                        + target.adminUrl("/worker-env?endpoint=" + target.endpointId()) + " gives its environment),"
                        + " or run the suite against an endpoint with built-in workers.");
            }
            try {
                Thread.sleep(500); // the wall clock: a worker process connecting, not the mock's time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for an external worker", e);
            }
        }
    }

    /** A target it cannot reach, a key it refuses, an endpoint it does not know: told in words. */
    private static void preflightEndpoint(Target target) {
        String health = target.url("health");
        HttpResponse<String> r = preflightSend(target, health, null);
        int status = r.statusCode();
        if (status == 401 || status == 403) {
            throw new IllegalStateException("the target refused the API key: GET " + health + " answered " + status
                    + shownBody(r.body(), target) + ". Check runpod.apiKey (or RUNPOD_API_KEY): is it a key of this"
                    + " target, for endpoint '" + target.endpointId() + "'? (The key itself is never shown.)");
        }
        if (status == 404) {
            String run = target.url("run");
            HttpResponse<String> second = preflightSend(target, run, "{}");
            if (second.statusCode() == 404) {
                throw new IllegalStateException("the target knows no endpoint '" + target.endpointId() + "' under "
                        + target.baseUrl() + ": GET " + health + " and POST " + run + " both answered 404"
                        + shownBody(r.body(), target) + ". Check runpod.endpointId (or RUNPOD_ENDPOINT_ID), and that"
                        + " runpod.baseUrl is the base URL as the SDKs take it, ending in /v2, not an endpoint's URL"
                        + (target.baseUrl().endsWith("/v2") ? "" : " (it does not end in /v2)") + ".");
            }
        }
    }

    /** A GET, or a POST of {@code body}, with the key; a failure to send fails the set-up as unreachable. */
    private static HttpResponse<String> preflightSend(Target target, String url, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + target.apiKey());
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        String method = body == null ? "GET " : "POST ";
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            String reason = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new IllegalStateException("the target cannot be reached: " + method + url + " failed (" + reason
                    + "). Is the server running, and is runpod.baseUrl (" + target.baseUrl() + ") right?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while looking at the target (" + method + url + ")", e);
        }
    }

    /** A short view of an error body, for a set-up message; the target's secrets blanked in case it echoes them. */
    private static String shownBody(String body, Target target) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String shown = body.strip().replaceAll("\\s+", " ");
        for (String secret : target.secrets()) {
            if (secret != null && !secret.isEmpty()) {
                shown = shown.replace(secret, "***");
            }
        }
        return " (" + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown) + ")";
    }

    private static final String BASE_URL_EXAMPLE = "e.g. https://api.runpod.ai/v2 or http://127.0.0.1:8080/v2";

    /**
     * runpod.baseUrl as the checks use it: an http or https URL with a host and no user-info, query or fragment,
     * without trailing slashes ("…/v2/" is "…/v2": with the slash left on, this project's mock, and so its clock, was
     * not recognised). Anything else fails the set-up in words; without this, "127.0.0.1:8080/v2" (no scheme) failed
     * every check with "Connection refused" and a space in the URL with "Error at index 5".
     */
    static String checkedBaseUrl(String given) {
        URI uri;
        try {
            uri = new URI(given);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("runpod.baseUrl is not a URL (" + e.getReason() + " at index " + e.getIndex()
                    + " of '" + withoutUserInfo(given) + "'); give the base URL as the SDKs take it, " + BASE_URL_EXAMPLE);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalStateException("runpod.baseUrl must be an http:// or https:// URL with a host, not '"
                    + withoutUserInfo(given) + "'; " + BASE_URL_EXAMPLE);
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalStateException("runpod.baseUrl carries user-info (user:password@), which the suite would"
                    + " send nowhere and could show in its reports; give the key as runpod.apiKey (or RUNPOD_API_KEY)"
                    + " and the base URL without it, " + BASE_URL_EXAMPLE);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalStateException("runpod.baseUrl must not carry a query or fragment, not '" + given + "'; "
                    + BASE_URL_EXAMPLE);
        }
        return given.replaceAll("/+$", "");
    }

    /** The URL with any user-info blanked, for a message. */
    private static String withoutUserInfo(String url) {
        return url.replaceAll("(?<=//)[^/@?#]*@", "***@");
    }

    /** The embedded mock's settings changed through its own admin API, as a user would change them. */
    private static void applyMockSettings(MockServer mock, String json) {
        HttpResponse<String> r = adminCall(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__admin/settings"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)), "runpod.mockSettings could not be applied",
                "applying runpod.mockSettings");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("runpod.mockSettings " + json + " refused by the mock: " + r.body());
        }
    }

    /**
     * Sends one request to the mock's admin API while the target is set up; a failure to send fails the setup with
     * {@code cannotSend} (and the reason), an interrupt names what was {@code doing}.
     */
    private static HttpResponse<String> adminCall(HttpRequest.Builder request, String cannotSend, String doing) {
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(cannotSend + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        }
    }

    private static OtherReadings otherReadings(TargetConfig config) {
        return config.get(TargetConfig.READINGS).map(list -> OtherReadings.parse(list, Catalogue.load()))
                .orElse(OtherReadings.none());
    }

    /** runpod.handler: opaque, or mock-worker (the default); any other value was taken as mock-worker, silently. */
    private static boolean opaqueHandler(String value) {
        if (value.equalsIgnoreCase("opaque")) {
            return true;
        }
        if (value.equalsIgnoreCase("mock-worker")) {
            return false;
        }
        throw new IllegalStateException("runpod.handler must be mock-worker or opaque, not '" + value + "'");
    }

    /** runpod.timeScale: a number above 0 (it was parsed bare, so "abc" failed the run with "For input string"). */
    private static double timeScale(String value) {
        double scale;
        try {
            scale = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            scale = Double.NaN;
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalStateException("runpod.timeScale must be a number above 0, how many times faster than the"
                    + " wall clock the embedded mock's clock runs (default 20), not '" + value + "'");
        }
        return scale;
    }

    /** runpod.webhookPort: 0 to 65535. */
    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalStateException("runpod.webhookPort must be a port number from 0 to 65535 (the loopback port"
                + " your tunnel forwards to), not '" + value + "'");
    }

    private static Spend.Tier tier(String value) {
        try {
            return Spend.Tier.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("runpod.tier must be none, cheap or full, not '" + value + "'");
        }
    }

    /**
     * How many times faster than the wall clock the mock's clock runs, as its GET /__admin/clock says ({@code scale}):
     * a mock started with --time-scale 50 lets 50 ms of its time pass per wall ms, and the checks' waits and
     * elapsed-time sums must use that, not 1. A clock view without a usable scale fails the setup.
     */
    static double adminClockScale(String admin) {
        HttpResponse<String> r = adminCall(HttpRequest.newBuilder(URI.create(admin + "/clock")).GET(),
                "the mock's GET /__admin/clock could not be read", "reading the mock's clock");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the mock's GET /__admin/clock answered " + r.statusCode());
        }
        double scale = clockScale(r.body());
        if (clockFrozen(r.body())) {
            // each check stops and restarts the clock it needs stopped; one found stopped would hold every job,
            // /runsync and wait until the client gives up (6 minutes a request on the wall clock)
            throw new IllegalStateException("the mock's clock is frozen (started with --frozen-clock, or left frozen by"
                    + " a run that was stopped): no job or wait would end and the checks would hang. Start it without"
                    + " --frozen-clock, or let it run: curl -X POST " + admin + "/clock/resume");
        }
        return scale;
    }

    /** The {@code frozen} of a /__admin/clock answer. */
    static boolean clockFrozen(String clockJson) {
        try {
            return JSON.readTree(clockJson).path("frozen").asBoolean(false);
        } catch (tools.jackson.core.JacksonException e) {
            return false;
        }
    }

    /** The {@code scale} of a /__admin/clock answer, e.g. {"now": ..., "scale": 50.0, "frozen": false, ...}. */
    static double clockScale(String clockJson) {
        double scale;
        try {
            tools.jackson.databind.JsonNode value = JSON.readTree(clockJson).path("scale");
            scale = value.isNumber() ? value.asDouble() : Double.NaN;
        } catch (tools.jackson.core.JacksonException e) {
            scale = Double.NaN;
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalStateException("the mock's GET /__admin/clock gave no usable time scale: " + clockJson);
        }
        return scale;
    }

    /** A target that is this project's mock answers GET /__admin/settings; RunPod does not. */
    private static boolean probeAdmin(String root) {
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(root + "/__admin/settings"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"endpoints\"");
        } catch (Exception e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- what runs

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<AnnotatedElement> element = context.getElement();
        if (element.isEmpty() || context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("container");
        }
        Method method = context.getRequiredTestMethod();
        Class<?> type = context.getRequiredTestClass();
        Target target;
        try {
            target = target(context);
        } catch (RuntimeException e) {
            // a bad setting (an unknown reading, a missing key) or a target that cannot be used (unreachable, the key
            // refused, the endpoint unknown): the first check fails with it, the rest are skipped naming it, instead
            // of 161 copies of one stack trace
            ExtensionContext.Store root = context.getRoot().getStore(NS);
            if (root.get("setupFailed") == null) {
                root.put("setupFailed", e);
                if (selftest(context)) {
                    Outcomes.target("not set up: " + e.getMessage()); // a nested run: not the run the summary is of
                } else {
                    Outcomes.setUpFailed(e.getMessage());
                }
                throw e;
            }
            return ConditionEvaluationResult.disabled("the target could not be set up: " + e.getMessage());
        }
        Spend.Tier needed = Optional.ofNullable(method.getAnnotation(Spend.class))
                .or(() -> Optional.ofNullable(type.getAnnotation(Spend.class)))
                .map(Spend::value).orElse(Spend.Tier.CHEAP);
        if (needed.ordinal() > target.tier().ordinal()) {
            return ConditionEvaluationResult.disabled("needs spend tier " + needed.name().toLowerCase(Locale.ROOT)
                    + "; the target allows " + target.tier().name().toLowerCase(Locale.ROOT) + " (set runpod.tier)");
        }
        if (target.opaqueHandler() && (method.isAnnotationPresent(NeedsMockWorker.class) || type.isAnnotationPresent(NeedsMockWorker.class))) {
            return ConditionEvaluationResult.disabled("needs the mock-worker handler inputs; the target's handler is declared opaque");
        }
        if (!target.canReachWebhookReceiver() && (method.isAnnotationPresent(NeedsWebhookReceiver.class) || type.isAnnotationPresent(NeedsWebhookReceiver.class))) {
            return ConditionEvaluationResult.disabled("needs a webhook receiver the target can reach: run it behind a tunnel and set runpod.webhookPublicUrl and runpod.webhookPort");
        }
        if (!target.hasAdmin() && (method.isAnnotationPresent(NeedsAdmin.class) || type.isAnnotationPresent(NeedsAdmin.class))) {
            return ConditionEvaluationResult.disabled("needs the mock's admin API, which the target does not have");
        }
        Optional<String> otherReading = target.otherReadings().reasonToSkip(ids(context), Catalogue.load());
        if (otherReading.isPresent()) {
            return ConditionEvaluationResult.disabled(otherReading.get());
        }
        return ConditionEvaluationResult.enabled("runs on " + target.description());
    }

    // ---------------------------------------------------------------- levels and outcomes

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        try {
            invocation.proceed();
        } catch (AssertionError e) {
            Catalogue.Level level = levelOf(context);
            if (level != Catalogue.Level.MUST && !selftest(context)) {
                context.getStore(NS).put("warning", e.getMessage());
                throw new TestAbortedException("WARNING (" + level + " " + String.join(", ", ids(context)) + " not met): " + e.getMessage(), e);
            }
            throw e;
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        record(context, Outcomes.Outcome.PASS, "");
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Object setUpFailure = context.getRoot().getStore(NS).get("setupFailed");
        if (setUpFailure != null && (cause == setUpFailure || cause.getCause() == setUpFailure)) { // JUnit wraps a condition's
            return; // the set-up's failure, told once at the top of the summary; not this check's requirement failing
        }
        record(context, Outcomes.Outcome.FAIL, String.valueOf(cause.getMessage()));
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        String warning = context.getStore(NS).get("warning", String.class);
        if (warning != null) {
            record(context, Outcomes.Outcome.WARN, warning);
        } else {
            record(context, Outcomes.Outcome.SKIP, String.valueOf(cause.getMessage()));
        }
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        record(context, Outcomes.Outcome.SKIP, reason.orElse("disabled"));
    }

    private void record(ExtensionContext context, Outcomes.Outcome outcome, String message) {
        if (selftest(context) || context.getTestMethod().isEmpty()) {
            return;
        }
        Method m = context.getRequiredTestMethod();
        Outcomes.record(new Outcomes.CheckResult(m.getDeclaringClass().getSimpleName() + "." + m.getName(),
                context.getDisplayName(), ids(context), levelOf(context).name(), outcome, message));
    }

    private static List<String> ids(ExtensionContext context) {
        return context.getTestMethod().map(m -> m.getAnnotation(Requirement.class))
                .map(r -> List.of(r.value())).orElse(List.of());
    }

    private static Catalogue.Level levelOf(ExtensionContext context) {
        List<String> ids = ids(context);
        return ids.isEmpty() ? Catalogue.Level.MUST : Catalogue.load().levelOf(ids.toArray(String[]::new));
    }

    private static boolean selftest(ExtensionContext context) {
        return context.getConfigurationParameter(TargetConfig.SELFTEST).map(Boolean::parseBoolean).orElse(false);
    }
}
