package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.sun.net.httpserver.HttpServer;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetConfig;
import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * A run pointed at a URL that cannot be used (nothing listens, the key is refused, the endpoint is unknown) says so
 * once, in words, before the first check: one failure naming the mistake and the other checks skipped, not every
 * check failing with the same error. The API key is never part of the message.
 */
class TargetSetUpTest {

    private static final String KEY = "sk-preflight-secret-0123456789";
    private static final String CHECKS = "dev.runpodkit.conformance.checks.AuthChecks";

    private HttpServer stub;
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    /** This project's mock as a user would start it, on a free port, quiet, taking this test's key. */
    private static Settings quietMockSettings() {
        Settings settings = new Settings();
        settings.port = 0;
        settings.requestLog = false;
        settings.apiKeys = new ArrayList<>(List.of(KEY));
        return settings;
    }

    /** A stand-in target on a free loopback port: status per request path, a JSON error body, each path counted. */
    private String stub(ToIntFunction<String> statusOfPath) throws IOException {
        stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            int status = statusOfPath.applyAsInt(path);
            byte[] body = ("{\"error\": \"stub says " + status + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        return "http://127.0.0.1:" + stub.getAddress().getPort() + "/v2";
    }

    /** The four checks of AuthChecks (spend tier none), in a nested run that reports nowhere, against this URL. */
    private static TestExecutionSummary runChecks(String baseUrl, String endpointId) {
        Map<String, String> settings = new HashMap<>();
        settings.put(TargetConfig.BASE_URL, baseUrl);
        settings.put(TargetConfig.ENDPOINT_ID, endpointId);
        settings.put(TargetConfig.API_KEY, KEY);
        settings.put(TargetConfig.TIER, "none");
        settings.put(TargetConfig.SELFTEST, "true");
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(CHECKS)).configurationParameters(settings).build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(request, listener);
        return listener.getSummary();
    }

    /** One failure, every other check skipped; the failure's message (with its causes). */
    private static String theOneSetUpFailure(TestExecutionSummary s) {
        assertEquals(1, s.getTotalFailureCount(), "failures: " + s.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException()).toList());
        assertEquals(s.getTestsFoundCount() - 1, s.getTestsSkippedCount(), "the other checks are skipped");
        StringBuilder message = new StringBuilder();
        for (Throwable t = s.getFailures().get(0).getException(); t != null; t = t.getCause()) {
            message.append(t.getMessage()).append('\n');
        }
        return message.toString();
    }

    @Test
    void anUnreachableTargetIsToldOnceInsteadOfFailingEveryCheck() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String message = theOneSetUpFailure(runChecks("http://127.0.0.1:" + closed + "/v2", "ep"));
        assertTrue(message.contains("cannot be reached") && message.contains("127.0.0.1:" + closed), message);
        assertTrue(message.contains("runpod.baseUrl"), message);
    }

    @Test
    void aRefusedKeyIsToldOnceWithoutShowingTheKey() throws IOException {
        String url = stub(path -> path.startsWith("/__admin") ? 404 : 401);
        String message = theOneSetUpFailure(runChecks(url, "ep"));
        assertTrue(message.contains("refused the API key") && message.contains("runpod.apiKey"), message);
        assertFalse(message.contains(KEY), "the key is shown: " + message);
        assertEquals(1, hits.get("/v2/ep/health").get(), "the target is looked at once per run, not once per check");
    }

    @Test
    void anUnknownEndpointIsToldOnce() {
        // this project's mock, as a user would start it: its routes answer 405 to a wrong method whatever the
        // endpoint id, so only a request an endpoint must serve tells a known endpoint from an unknown one
        Settings settings = quietMockSettings();
        try (MockServer mock = MockServer.start(settings)) {
            String message = theOneSetUpFailure(runChecks(mock.baseUrl() + "/v2", "no-such-endpoint"));
            assertTrue(message.contains("no endpoint 'no-such-endpoint'") && message.contains("runpod.endpointId"), message);
            assertTrue(runChecks(mock.baseUrl() + "/v2", settings.endpoints.get(0)).getTotalFailureCount() == 0,
                    "the mock's own endpoint fails the auth checks");
        }
    }

    @Test
    void aBaseUrlWithoutV2IsToldSo() throws IOException {
        String url = stub(path -> 404).replaceAll("/v2$", "");
        String message = theOneSetUpFailure(runChecks(url, "ep"));
        assertTrue(message.contains("does not end in /v2"), message);
    }

    @Test
    void aBaseUrlEndingInASlashIsStillFoundToBeTheMockAndRunsOnItsClock() throws Exception {
        Settings settings = quietMockSettings();
        settings.timeScale = 20;
        try (MockServer mock = MockServer.start(settings)) {
            Map<String, String> given = Map.of(TargetConfig.BASE_URL, mock.baseUrl() + "/v2/",
                    TargetConfig.ENDPOINT_ID, settings.endpoints.get(0), TargetConfig.API_KEY, KEY);
            try (Target target = ConformanceExtension.createTarget(new TargetConfig(k -> Optional.ofNullable(given.get(k))))) {
                assertTrue(target.hasAdmin(), "the mock's admin API was not found: " + target.description());
                assertEquals(20.0, target.timeScale(), "the checks would time a x20 mock on the wall clock");
                assertEquals(mock.baseUrl() + "/v2", target.baseUrl());
            }
        }
    }

    @Test
    void aBaseUrlThatIsNoHttpUrlIsRefusedInWords() {
        for (String bad : List.of("127.0.0.1:8080/v2", "localhost:8080/v2", "http://127.0.0.1:8080 /v2", "ftp://host/v2",
                "http:///v2", "https://api.runpod.ai/v2?x=1", "api.runpod.ai/v2")) {
            Map<String, String> given = Map.of(TargetConfig.BASE_URL, bad, TargetConfig.ENDPOINT_ID, "ep", TargetConfig.API_KEY, KEY);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConformanceExtension.createTarget(new TargetConfig(k -> Optional.ofNullable(given.get(k)))).close(), bad);
            assertTrue(e.getMessage().startsWith("runpod.baseUrl") && e.getMessage().contains("https://api.runpod.ai/v2"),
                    bad + ": " + e.getMessage());
        }
        // user-info would be a secret: refused, and not repeated
        Map<String, String> given = Map.of(TargetConfig.BASE_URL, "https://me:hunter2@api.runpod.ai/v2",
                TargetConfig.ENDPOINT_ID, "ep", TargetConfig.API_KEY, KEY);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConformanceExtension.createTarget(new TargetConfig(k -> Optional.ofNullable(given.get(k)))).close());
        assertTrue(e.getMessage().contains("runpod.apiKey") && !e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aMockWithAFrozenClockIsRefusedInsteadOfHangingTheRun() throws Exception {
        // --frozen-clock, or a clock a stopped run left frozen: no job, hold or wait would ever end
        Settings settings = quietMockSettings();
        settings.clockFrozen = true;
        try (MockServer mock = MockServer.start(settings)) {
            Map<String, String> given = Map.of(TargetConfig.BASE_URL, mock.baseUrl() + "/v2",
                    TargetConfig.ENDPOINT_ID, settings.endpoints.get(0), TargetConfig.API_KEY, KEY);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConformanceExtension.createTarget(new TargetConfig(k -> Optional.ofNullable(given.get(k)))).close());
            assertTrue(e.getMessage().contains("frozen") && e.getMessage().contains(mock.baseUrl() + "/__admin/clock/resume"),
                    e.getMessage());
        }
    }

    @Test
    void aTargetThatAnswersIsLeftToTheChecks() throws IOException {
        // /health 404 but a POST /run without input 400: the endpoint exists and only lacks /health, which
        // HEALTH-001 reports; a 500 is the checks' to judge too
        String url = stub(path -> path.endsWith("/health") ? 404 : path.endsWith("/run") ? 400 : 500);
        TestExecutionSummary s = runChecks(url, "ep");
        assertEquals(4, s.getTestsFoundCount());
        assertEquals(0, s.getTestsSkippedCount(), "the checks did not run: " + s.getFailures().stream()
                .map(f -> String.valueOf(f.getException().getMessage())).toList());
    }

    @Test
    void anEndpointWaitingForExternalWorkersWithNoneConnectedIsToldInsteadOfEveryJobWaitingOutItsBudget() throws Exception {
        Settings settings = quietMockSettings();
        settings.endpoints = new ArrayList<>(List.of("builtin-ep", "own-ep"));
        settings.endpointModes.put("own-ep", Settings.Mode.EXTERNAL);
        try (MockServer mock = MockServer.start(settings)) {
            try (Target own = remote(mock, "own-ep")) {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                        () -> ConformanceExtension.awaitAnExternalWorker(own, java.time.Duration.ofMillis(300)));
                assertTrue(e.getMessage().contains("mode external") && e.getMessage().contains("worker-env?endpoint=own-ep"),
                        e.getMessage());
                // a worker of one's own says it is there (its first ping): the set-up goes on
                java.net.http.HttpResponse<String> ping = java.net.http.HttpClient.newHttpClient().send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(mock.baseUrl() + "/v2/own-ep/ping/w1?gpu=TEST"))
                                .header("Authorization", KEY).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ping.statusCode(), ping.body());
                ConformanceExtension.awaitAnExternalWorker(own, java.time.Duration.ofMillis(300));
            }
            try (Target builtin = remote(mock, "builtin-ep")) {
                ConformanceExtension.awaitAnExternalWorker(builtin, java.time.Duration.ofMillis(300)); // built-in workers: nothing to wait for
            }
        }
    }

    private static Target remote(MockServer mock, String endpointId) {
        Map<String, String> given = Map.of(TargetConfig.BASE_URL, mock.baseUrl() + "/v2", TargetConfig.ENDPOINT_ID, endpointId,
                TargetConfig.API_KEY, KEY);
        return ConformanceExtension.createTarget(new TargetConfig(k -> Optional.ofNullable(given.get(k))));
    }
}
