package dev.runpodkit.mock.webhooks;

import dev.runpodkit.mock.Redaction;
import dev.runpodkit.mock.clock.Clock;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.JobEvents;
import dev.runpodkit.mock.engine.JobStatus;
import dev.runpodkit.mock.engine.JobView;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a job's webhook when it ends, as RunPod does (runpod-api.md §5; DEC-012..014, DEC-031): a POST of
 * the job's status payload plus its input and webhook, to be answered 200; otherwise tried again 10 s later,
 * 3 attempts in all; an attempt unanswered within 10 s has failed. Delays and timeouts are timers on the
 * mock's {@link Clock}. Sending is asynchronous on its own threads, so a slow or dead receiver never holds up
 * job processing or deliveries to other receivers. Every attempt goes to the {@link DeliveryJournal}.
 */
public final class WebhookDispatcher implements JobEvents, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger("runpod-mock.webhooks");

    private final Clock clock;
    private final Supplier<Settings> settings;
    private final Function<JobView, byte[]> payload;
    private final DeliveryJournal journal;
    private final ExecutorService executor;
    private final HttpClient client;

    public WebhookDispatcher(Clock clock, Supplier<Settings> settings, Function<JobView, byte[]> payload, DeliveryJournal journal) {
        this.clock = clock;
        this.settings = settings;
        this.payload = payload;
        this.journal = journal;
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mock-webhooks");
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public DeliveryJournal journal() {
        return journal;
    }

    @Override
    public boolean followsJobsWithoutWebhook() {
        return false;
    }

    @Override
    public void onTerminal(JobView job) {
        if (job.webhook() == null) {
            return;
        }
        Settings s = settings.get();
        boolean cancelled = job.status() == JobStatus.CANCELLED;
        if (cancelled && !s.webhookOnCancelled && !s.has(Defect.WEBHOOK_ON_CANCELLED)) {
            return;
        }
        if ((job.status() == JobStatus.FAILED || job.status() == JobStatus.TIMED_OUT) && s.has(Defect.WEBHOOK_NOT_ON_FAILURE)) {
            return;
        }
        URI url;
        try {
            url = URI.create(job.webhook());
            // throws for a URI no HTTP client can send to (no http(s) scheme, no host): only a defect lets one
            // through validation, and it must be journaled here, not thrown on the sending thread
            HttpRequest.newBuilder(url);
        } catch (IllegalArgumentException e) {
            record(job.id(), job.endpointId(), Redaction.url(job.webhook()), 1, clock.now(), null, "not a valid URL", 0, "failed");
            return;
        }
        new Delivery(job, url, payload.apply(job), journal.deliveryBegun()).start(1);
    }

    /** One job's delivery: up to {@code webhookAttempts} attempts. */
    private final class Delivery {
        private final JobView job;
        private final URI url;
        private final byte[] body;
        private final String shownUrl;
        /** The journal's token for this delivery, handed back when it ends (the pending count). */
        private final long token;
        /** Basic authentication from the URL's user-info (DEC-037), or null. */
        private final String authorization;

        Delivery(JobView job, URI url, byte[] body, long token) {
            this.token = token;
            this.job = job;
            this.url = url;
            this.body = body;
            this.shownUrl = Redaction.url(url); // credentials in the URL never reach the journal or the log
            this.authorization = basicAuthorization(url);
        }

        /**
         * The admin reset came after this delivery began: it stops (no attempt, no retry), and nothing of it
         * reaches the new journal, as nothing of the jobs before the reset reaches the new state.
         */
        private boolean stopped() {
            return journal.stopIfBegunBeforeClear(token);
        }

        /** Attempts run on the sending threads: a DNS look-up for the guard must not stall the clock thread. */
        void start(int attempt) {
            if (stopped()) { // a retry falling due after a reset: checked here, on the clock's thread
                return;
            }
            try {
                executor.execute(() -> attempt(attempt));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                journal.deliveryEnded(token); // shutting down
            }
        }

        private void attempt(int attempt) {
            if (stopped()) {
                return;
            }
            Settings s = settings.get();
            long startedAt = clock.now();
            DestinationGuard.Verdict verdict = DestinationGuard.check(url, s.webhookAllow, s.webhookDeny);
            switch (verdict.outcome()) {
                case UNRESOLVED -> {
                    // a name that does not resolve (now) fails the attempt, as the HTTP client would without a guard
                    failed(attempt, startedAt, null, verdict.reason());
                    return;
                }
                case BLOCKED -> {
                    if (stopped()) {
                        return;
                    }
                    journal.deliveryEnded(token);
                    record(token, job.id(), job.endpointId(), shownUrl, attempt, startedAt, null, verdict.reason(), 0, "blocked");
                    LOG.warn("webhook for job {} not sent: {}", job.id(), verdict.reason());
                    return;
                }
                case ALLOWED -> { }
            }
            long timeoutMs = s.has(Defect.WEBHOOK_NO_TIMEOUT) ? 600_000 : s.webhookAttemptTimeoutMs;
            String contentType = s.has(Defect.WEBHOOK_WRONG_CONTENT_TYPE) ? "text/plain" : "application/json";
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", contentType)
                    .header("User-Agent", "runpod-mock-webhook/1")
                    // a wall-clock backstop only; the attempt timeout that counts is the clock timer below
                    .timeout(Duration.ofMillis(backstopMs(timeoutMs, s.timeScale)));
            if (authorization != null) {
                builder.header("Authorization", authorization);
            }
            HttpRequest request = builder.build();
            AtomicBoolean settled = new AtomicBoolean();
            java.util.concurrent.atomic.AtomicReference<CompletableFuture<?>> inFlight = new java.util.concurrent.atomic.AtomicReference<>();
            // the timeout is armed before the request leaves, so it counts from the attempt's start on the clock
            Clock.Timer timer = clock.schedule(timeoutMs, () -> {
                if (settled.compareAndSet(false, true)) {
                    CompletableFuture<?> f = inFlight.get();
                    if (f != null) {
                        f.cancel(true);
                    }
                    failed(attempt, startedAt, null, "no answer within " + timeoutMs + " ms");
                }
            });
            CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            inFlight.set(sent);
            sent.whenComplete((response, error) -> {
                if (!settled.compareAndSet(false, true)) {
                    return;
                }
                timer.cancel();
                if (error != null) {
                    failed(attempt, startedAt, null, describe(error, url));
                } else if (isSuccess(response.statusCode(), s)) {
                    if (stopped()) {
                        return;
                    }
                    journal.deliveryEnded(token); // before the entry, so a reader never sees it delivered yet pending
                    record(token, job.id(), job.endpointId(), shownUrl, attempt, startedAt, response.statusCode(), null,
                            clock.now() - startedAt, "delivered");
                } else {
                    failed(attempt, startedAt, response.statusCode(), "HTTP " + response.statusCode());
                }
            });
        }

        private void failed(int attempt, long startedAt, Integer status, String error) {
            if (stopped()) { // an attempt that ends after a reset: not journaled, not tried again
                return;
            }
            Settings s = settings.get();
            long endedAt = clock.now();
            int attempts = s.webhookAttempts;
            if (s.has(Defect.WEBHOOK_NO_RETRY)) {
                attempts = 1;
            } else if (s.has(Defect.WEBHOOK_EXTRA_RETRY)) {
                attempts++;
            }
            if (attempt < attempts) {
                long delay = s.has(Defect.WEBHOOK_NO_DELAY) ? 0 : s.webhookRetryDelayMs;
                clock.schedule(delay, () -> start(attempt + 1));
            } else {
                journal.deliveryEnded(token);
                LOG.info("webhook for job {} gave up after {} attempts: {}", job.id(), attempt, error);
            }
            // journaled after the retry is scheduled, so whoever reads the journal sees a consistent state
            record(token, job.id(), job.endpointId(), shownUrl, attempt, startedAt, status, error, endedAt - startedAt, "failed");
        }

        private boolean isSuccess(int status, Settings s) {
            if (s.has(Defect.WEBHOOK_RETRIES_AFTER_SUCCESS)) {
                return false;
            }
            return s.webhookAccept2xx ? status >= 200 && status < 300 : status == 200;
        }
    }

    private void record(String jobId, String endpointId, String url, int attempt, long at, Integer status, String error,
                        long durationMs, String outcome) {
        if (!settings.get().has(Defect.WEBHOOK_NO_JOURNAL)) {
            journal.record(jobId, endpointId, url, attempt, at, status, error, durationMs, outcome);
        }
    }

    /** An attempt of the delivery begun with {@code token}: kept out of the journal if a reset came since. */
    private void record(long token, String jobId, String endpointId, String url, int attempt, long at, Integer status,
                        String error, long durationMs, String outcome) {
        if (!settings.get().has(Defect.WEBHOOK_NO_JOURNAL)) {
            journal.record(token, jobId, endpointId, url, attempt, at, status, error, durationMs, outcome);
        }
    }

    /**
     * A failed attempt's error as a reader of the journal understands it. The HTTP client reports a refused
     * connection as a ConnectException without a message around a ClosedChannelException, and an unknown host
     * as one around an UnresolvedAddressException: those are named for what they are.
     */
    static String describe(Throwable error, URI url) {
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof java.nio.channels.UnresolvedAddressException || c instanceof java.net.UnknownHostException) {
                return DestinationGuard.unresolved(url.getHost());
            }
        }
        for (Throwable c = error; c != null; c = c.getCause()) {
            if (c instanceof java.net.http.HttpConnectTimeoutException) {
                return "connection to " + authority(url) + " timed out";
            }
            if (c instanceof java.net.ConnectException) {
                String detail = c.getMessage() == null ? "" : " (" + c.getMessage() + ")";
                return "cannot connect to " + authority(url) + ": connection refused or unreachable" + detail;
            }
        }
        Throwable t = error;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t.getMessage() == null)) {
            t = t.getCause();
        }
        String kind = t.getClass().getSimpleName();
        return t.getMessage() == null ? kind : kind + ": " + t.getMessage();
    }

    /** host:port, the port the connection used even when the URL leaves it out; never the user-info. */
    private static String authority(URI url) {
        int port = url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        String host = url.getHost();
        return (host != null && host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The longest wall-clock backstop: a year, which no attempt timeout a test sets comes near. */
    static final long MAX_BACKSTOP_MS = 365L * 24 * 3600 * 1000;

    /**
     * The wall-clock backstop of an attempt: the attempt timeout in wall time (at least 1 s) plus 30 s, at most
     * {@link #MAX_BACKSTOP_MS}. The settings accept any timeout up to Long.MAX_VALUE: at scale 1 that sum once
     * wrapped around to a negative duration (the request could not be built, the sending thread died, the delivery
     * stayed pending for good), and a duration near Long.MAX_VALUE kills the HTTP client's selector thread, after
     * which no webhook is ever sent again.
     */
    static long backstopMs(long timeoutMs, double timeScale) {
        return (long) Math.min(MAX_BACKSTOP_MS, Math.max(1_000d, timeoutMs / timeScale) + 30_000d);
    }

    /**
     * The URL's user-info as HTTP Basic authentication, as Go's net/http and Python's requests send it (DEC-037):
     * the user name and the password (split at the first ':' before decoding, so an encoded ':' stays in the
     * name or password) percent-decoded as UTF-8. Null without user-info. Java's HTTP client ignores user-info.
     */
    static String basicAuthorization(URI url) {
        String raw = url.getRawUserInfo();
        if (raw == null) {
            return null;
        }
        int colon = raw.indexOf(':');
        String user = colon < 0 ? raw : raw.substring(0, colon);
        String password = colon < 0 ? "" : raw.substring(colon + 1);
        String pair = percentDecoded(user) + ":" + percentDecoded(password);
        return "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** %XX sequences decoded as UTF-8; '+' stays '+' (it means a space only in form data). */
    private static String percentDecoded(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Renders the webhook body once per delivery. */
    public static byte[] utf8(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
