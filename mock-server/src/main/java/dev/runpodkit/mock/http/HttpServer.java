package dev.runpodkit.mock.http;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.Engine;
import dev.runpodkit.mock.limits.RateLimiter;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Javalin set-up: the route table, one error shape, one log line per request. Holds no job state. */
public final class HttpServer {

    private static final Logger LOG = LoggerFactory.getLogger("runpod-mock.http");
    /** Longer than the longest hold (runsync wait max 300 s at wall speed), so Jetty never cuts a wait. */
    private static final long IDLE_TIMEOUT_MS = 330_000;
    /** Bodies above this never sit whole in memory; the documented /runsync limit is 20 MB. */
    static final long MAX_BODY_BYTES = 20L * 1024 * 1024;
    /**
     * How long a stop (SIGTERM) waits for requests in flight. Holds (runsync, status-sync, stream) are released
     * by the engine first, so in practice it waits only for requests being answered.
     */
    public static final long STOP_TIMEOUT_MS = 5_000;
    /**
     * The buffer Javalin copies each response body through, allocated anew for every response (Javalin 7 uses the
     * setting for nothing else; Jetty's own output buffer is separate). The mock's bodies are mostly under 1 KB: a
     * larger buffer was a quarter of all the garbage a /run made. Bigger bodies go through in 1 KB pieces, copied in
     * memory into Jetty's buffer. bench/BareJavalin uses the same, so the benchmark's ceiling stays fair.
     */
    public static final int RESPONSE_COPY_BUFFER_BYTES = 1024;
    /**
     * Connections the kernel holds for the server before it accepts them (the listen backlog; Linux caps it at
     * net.core.somaxconn). Jetty's default leaves it to the JDK, which asks for 50: a client opening a few hundred
     * connections at once (an SDK's async burst, the suite's rate-limit checks) overflowed it, and each dropped
     * connection attempt waited a second or more for the client's SYN to be sent again.
     */
    public static final int ACCEPT_QUEUE_SIZE = 1024;

    private final Javalin app;
    private final Engine engine;
    private final RouteTable routes = new RouteTable();
    private final InFlightRequests inFlight = new InFlightRequests();

    public HttpServer(Engine engine, ControllableClock clock, dev.runpodkit.mock.webhooks.DeliveryJournal journal) {
        this.engine = engine;
        Faults faults = new Faults();
        RateLimiter limiter = new RateLimiter(clock);
        new ClientApi(engine, faults, limiter).register(routes);
        new WorkerApi(engine).register(routes);
        new AdminApi(engine, clock, faults, journal, limiter::clear).register(routes);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            tune(config);
            config.http.asyncTimeout = 0; // holds end by the engine's clock, not by Jetty
            config.http.defaultContentType = "application/json";
            config.router.ignoreTrailingSlashes = true;
            // Jetty caches header lines per connection and by default matches them ignoring case: on a keep-alive
            // connection "Authorization: Bearer KEY" was read as an earlier "Authorization: Bearer key".
            config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
            config.jetty.modifyServer(server -> {
                // graceful stop (see stop()): requests in flight are counted, and answered before Jetty stops
                server.insertHandler(inFlight);
                server.setErrorHandler(new JsonErrorHandler());
            });
            routes.install(config, this::methodNotAllowed);
            config.routes.exception(ApiError.class, (e, ctx) -> Responses.error(ctx, engine.settings(), e));
            config.routes.exception(ClientApi.ResponseAlreadyWritten.class, (e, ctx) -> { });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (e.getStatus() == 404) {
                    notFound(ctx);
                } else {
                    Responses.error(ctx, engine.settings(), new ApiError(e.getStatus(), messageFor(e)));
                }
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                ApiError unreadable = clientReadError(e);
                if (unreadable != null) {
                    // the client's fault, not the mock's: no 500, no stack trace in the log
                    Responses.error(ctx, engine.settings(), unreadable);
                    return;
                }
                LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
                Responses.error(ctx, engine.settings(), new ApiError(500, "Internal error in the mock server; see its log."));
            });
            config.routes.error(404, this::notFoundIfEmpty);
            config.requestLogger.http((ctx, ms) -> {
                if (engine.settings().requestLog && !WorkerApi.routine(ctx)) {
                    // method, path and status only: headers carry API keys, bodies carry s3Config
                    LOG.info("{} {} -> {} ({} ms)", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
                }
            });
        });
    }

    /**
     * The mock's settings for speed, which change nothing a client sees. The benchmark's bare Javalin ceiling takes
     * them too (bench/BareJavalin), or the benchmark would compare two setups and the ceiling would be lowered.
     */
    public static void tune(io.javalin.config.JavalinConfig config) {
        // Javalin copies each result through a buffer of this size, allocated per response; its default
        // (Jetty's 32 KB output buffer) dwarfs the mock's bodies and made young GCs several times as frequent
        config.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
        config.jetty.modifyServletContextHandler(context -> context.setSessionHandler(new NoSessions()));
        config.jetty.modifyServer(server -> server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(org.eclipse.jetty.util.component.LifeCycle event) {
                // Javalin adds its connector just before the server starts, and the queue is set as it binds
                for (Connector c : server.getConnectors()) {
                    if (c instanceof ServerConnector sc) {
                        sc.setAcceptQueueSize(ACCEPT_QUEUE_SIZE);
                    }
                }
            }
        }));
    }

    /**
     * The endpoint API has no sessions. Javalin installs Jetty's session handler all the same, and it read the
     * request's cookies for a session id and wrapped the response stream of every request, for nothing (the
     * servlet context cannot be without one, so this one passes requests straight on).
     */
    public static final class NoSessions extends org.eclipse.jetty.ee10.servlet.SessionHandler {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                              org.eclipse.jetty.util.Callback callback) throws Exception {
            org.eclipse.jetty.server.Handler next = getHandler();
            return next != null && next.handle(request, response, callback);
        }
    }

    /**
     * A 4xx for a request the client made unreadable (a body cut short, an unknown charset, a path parameter with a bad
     * percent-encoding); null for anything else.
     */
    private static ApiError clientReadError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return ApiError.badRequest("The request body could not be read: it ended before its Content-Length.");
            }
            if (t instanceof java.nio.charset.UnsupportedCharsetException
                    || t instanceof java.nio.charset.IllegalCharsetNameException) {
                return ApiError.badRequest("The request body could not be read: the charset in its Content-Type is unknown.");
            }
            if (t instanceof IllegalArgumentException && JsonErrorHandler.thrownIn(t, "io.javalin.router.matcher.PathParser")) {
                // Javalin decodes path parameters with URLDecoder, which refuses what Jetty let through (%u0041)
                return ApiError.badRequest(JsonErrorHandler.BAD_PATH_ENCODING);
            }
            if (t instanceof org.eclipse.jetty.http.HttpException h && h.getCode() >= 400 && h.getCode() < 500) {
                return new ApiError(h.getCode(), "The request could not be read: " + h.getReason() + ".");
            }
        }
        return null;
    }

    private static String messageFor(HttpResponseException e) {
        if (e.getStatus() == 413) {
            return "Request body too large: the limit is " + MAX_BODY_BYTES + " bytes.";
        }
        return e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + e.getStatus() : e.getMessage();
    }

    private void methodNotAllowed(Context ctx) {
        Settings s = engine.settings();
        if (s.has(Defect.NO_405)) {
            Responses.error(ctx, s, ApiError.notFound("Not found: " + ctx.method() + " " + ApiError.shown(ctx.path())));
            return;
        }
        ApiError error = new ApiError(405, "Method " + ctx.method() + " is not allowed on " + ApiError.shown(ctx.path()) + ".");
        if (!s.has(Defect.NO_ALLOW_HEADER)) {
            String allow = ctx.attribute("allow");
            error.header("Allow", allow);
        }
        Responses.error(ctx, s, error);
    }

    /** Unknown routes; handlers that answered 404 themselves already wrote a body and are left alone. */
    private void notFoundIfEmpty(Context ctx) {
        String written = ctx.result();
        if (written == null || written.isEmpty()) {
            notFound(ctx);
        }
    }

    private void notFound(Context ctx) {
        String allow = routes.allowedOn(ctx.path());
        if (allow != null) {
            // a known route asked with a method Javalin cannot route (TRACE, an unknown one): 405, not "no route"
            ctx.attribute("allow", allow);
            methodNotAllowed(ctx);
            return;
        }
        Responses.error(ctx, engine.settings(), ApiError.notFound("No route for " + ctx.method() + " " + ApiError.shown(ctx.path())
                + ". Client routes live under /v2/{endpointId}/ (run, runsync, status, status-sync, stream, cancel, retry, purge-queue, health);"
                + " worker routes too (job-take, job-take-batch, job-done, job-stream, job-stop, ping)."));
    }

    public HttpServer start(String host, int port) {
        app.start(host, port);
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setIdleTimeout(IDLE_TIMEOUT_MS);
            }
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    /**
     * Stops gracefully: no new connections, new requests on open ones refused (503), the requests in flight answered
     * (up to {@link #STOP_TIMEOUT_MS}), then Jetty stops. Held requests must have been released first (the engine's
     * beginShutdown), or they are what the wait waits for.
     */
    public void stop() {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setAccepting(false);
            }
        }
        try {
            long left = inFlight.drain(STOP_TIMEOUT_MS);
            if (left > 0) {
                LOG.warn("stopping with {} request(s) still unanswered after {} ms", left, STOP_TIMEOUT_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    /** The listen backlog each connector asked the kernel for ({@link #ACCEPT_QUEUE_SIZE}). */
    public java.util.List<Integer> acceptQueueSizes() {
        return java.util.Arrays.stream(app.jettyServer().server().getConnectors())
                .filter(ServerConnector.class::isInstance).map(c -> ((ServerConnector) c).getAcceptQueueSize()).toList();
    }

    /** Requests being answered now. */
    public long requestsInFlight() {
        return inFlight.count();
    }
}
