package dev.runpodkit.mock;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.Engine;
import dev.runpodkit.mock.engine.JobEvents;
import dev.runpodkit.mock.http.HttpServer;
import dev.runpodkit.mock.http.Views;
import dev.runpodkit.mock.webhooks.DeliveryJournal;
import dev.runpodkit.mock.webhooks.WebhookDispatcher;
import dev.runpodkit.mock.workers.MockWorkerHandler;

/**
 * The mock endpoint server as a library: start it in-process on any port, point a client at
 * {@link #baseUrl()}, close it when done. {@link Main} is the same thing behind command-line flags.
 *
 * <pre>{@code
 * Settings s = new Settings();
 * s.port = 0;               // any free port
 * s.timeScale = 100;        // a 10 s job takes 100 ms
 * try (MockServer mock = MockServer.start(s)) {
 *     String url = mock.baseUrl() + "/v2/" + s.endpoints.get(0) + "/run";
 * }
 * }</pre>
 */
public final class MockServer implements AutoCloseable {

    private final Settings settings;
    private final ControllableClock clock;
    private final Engine engine;
    private final WebhookDispatcher webhooks;
    private final dev.runpodkit.mock.storage.S3Uploader uploader = new dev.runpodkit.mock.storage.S3Uploader();
    private final HttpServer http;

    private MockServer(Settings settings) {
        this.settings = settings;
        this.clock = settings.clockFrozen
                ? ControllableClock.manual(System.currentTimeMillis())
                : ControllableClock.scaled(settings.timeScale);
        if (settings.clockFrozen) {
            clock.setScale(settings.timeScale);
        }
        this.webhooks = new WebhookDispatcher(clock, this::engineSettings,
                job -> Views.toBytes(new Views(engineSettings()).webhookPayload(job)),
                new DeliveryJournal(settings.webhookJournalSize));
        this.engine = new Engine(settings, clock, () -> {
            Settings s = engineSettings();
            return new MockWorkerHandler(s.generator, s.aggregateStream || s.has(Defect.AGGREGATE_ALWAYS),
                    s.has(Defect.ECHO_WRONG_OUTPUT), s.has(Defect.MOCK_ERROR_COMPLETES), uploader,
                    s.has(Defect.S3_SECRET_IN_ERROR));
        }, webhooks);
        this.http = new HttpServer(engine, clock, webhooks.journal());
    }

    private Settings engineSettings() {
        return engine.settings();
    }

    public static MockServer start(Settings settings) {
        MockServer server = new MockServer(settings);
        server.http.start(settings.host, settings.port);
        return server;
    }

    public int port() {
        return http.port();
    }

    /** e.g. {@code http://127.0.0.1:41234}; client routes are under {@code /v2/{endpointId}/}. */
    public String baseUrl() {
        String host = settings.host.contains(":") ? "[" + settings.host + "]" : settings.host;
        if ("0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        }
        return "http://" + host + ":" + port();
    }

    public Engine engine() {
        return engine;
    }

    /** Requests being answered right now (a stop waits for these). */
    public long requestsInFlight() {
        return http.requestsInFlight();
    }

    /** The listen backlog each of its connectors asked the kernel for (see {@link HttpServer#ACCEPT_QUEUE_SIZE}). */
    public java.util.List<Integer> acceptQueueSizes() {
        return http.acceptQueueSizes();
    }

    public ControllableClock clock() {
        return clock;
    }

    public DeliveryJournal webhookJournal() {
        return webhooks.journal();
    }

    /**
     * Stops gracefully: held requests are answered at once with their job as it is, then the HTTP server stops
     * accepting and waits (up to {@link HttpServer#STOP_TIMEOUT_MS}) for the requests in flight to be answered.
     */
    @Override
    public void close() {
        engine.beginShutdown();
        http.stop();
        webhooks.close();
        uploader.close();
        engine.close();
        clock.close();
    }
}
