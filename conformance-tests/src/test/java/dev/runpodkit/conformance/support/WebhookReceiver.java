package dev.runpodkit.conformance.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runpodkit.conformance.target.Target;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver for checks, in the style of OkHttp's MockWebServer: it listens on loopback, answers
 * each POST as scripted ({@link #enqueue}: a status code, or no answer at all), and hands the requests it got
 * to the check ({@link #takeRequest}). Against a real endpoint the receiver must be reachable from the cloud:
 * run it behind a tunnel and give its public URL as {@code runpod.webhookPublicUrl} and the local port as
 * {@code runpod.webhookPort}.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A request the receiver got, with the wall time it arrived (nanoTime) for spacing checks. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body, long arrivedNanos) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** A scripted answer: an HTTP status, or {@link #NO_ANSWER} (hold the connection until the receiver closes). */
    public static final int NO_ANSWER = -1;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final String publicBase;
    private volatile int defaultStatus = 200;

    private WebhookReceiver(int port, String publicBase) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        this.publicBase = publicBase;
    }

    /** Starts a receiver for this target: a random loopback port, or the configured port behind a tunnel. */
    public static WebhookReceiver start(Target target) {
        try {
            return new WebhookReceiver(target.webhookPort(), target.webhookPublicUrl());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the webhook receiver: " + e.getMessage(), e);
        }
    }

    /** Answers the next requests with these statuses, in order; after them, {@link #answerByDefault}. */
    public WebhookReceiver enqueue(int... statuses) {
        for (int s : statuses) {
            script.add(s);
        }
        return this;
    }

    public WebhookReceiver answerByDefault(int status) {
        defaultStatus = status;
        return this;
    }

    /** The URL a job's webhook should name, for this receiver and a path of the check's choosing. */
    public String url(String path) {
        String base = publicBase != null ? publicBase.replaceAll("/+$", "")
                : "http://127.0.0.1:" + server.getAddress().getPort();
        return base + (path.startsWith("/") ? path : "/" + path);
    }

    /** The next request received, waiting up to {@code wallMs}; null if none came. */
    public Received takeRequest(long wallMs) {
        try {
            return received.poll(wallMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public int pending() {
        return received.size();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body, arrived));
        Integer scripted = script.poll();
        int status = scripted != null ? scripted : defaultStatus;
        try {
            if (status == NO_ANSWER) {
                // hold the connection until the sender gives up or the receiver closes (bounded: 5 minutes)
                closing.await(5, TimeUnit.MINUTES);
                return;
            }
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the sender hung up (e.g. its attempt timed out): nothing to answer
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
