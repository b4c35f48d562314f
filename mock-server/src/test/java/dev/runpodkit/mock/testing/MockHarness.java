package dev.runpodkit.mock.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.schemas.Schemas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A real mock server on a random port plus a small HTTP client for it. Every answer is checked for Java stack
 * traces; error answers (4xx/5xx) must not even mention "Exception".
 */
public final class MockHarness implements AutoCloseable {

    public static final String KEY = "test-key";
    public static final String EP = "test-endpoint";
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    public final Settings settings;
    public final MockServer mock;
    /** Off only for defects that write stack traces on purpose. */
    public boolean guardStackTraces = true;

    private MockHarness(Settings settings) {
        this.settings = settings;
        this.mock = MockServer.start(settings);
    }

    /** A server whose clock runs at {@code settings.timeScale} (1 unless the tweak changes it). */
    public static MockHarness start(Consumer<Settings> tweak) {
        Settings s = new Settings();
        s.port = 0;
        s.requestLog = false;
        tweak.accept(s);
        return new MockHarness(s);
    }

    /** A server whose clock stands still until {@link #advance} moves it. */
    public static MockHarness frozen(Consumer<Settings> tweak) {
        return start(s -> {
            s.clockFrozen = true;
            tweak.accept(s);
        });
    }

    public static MockHarness frozen() {
        return frozen(s -> { });
    }

    /** {@code /v2/test-endpoint} + rest. */
    public static String ep(String rest) {
        return "/v2/" + EP + rest;
    }

    // ---------------------------------------------------------------- requests

    public Reply get(String path) {
        return send("GET", path, null);
    }

    public Reply post(String path, String body) {
        return send("POST", path, body);
    }

    /**
     * Sends a request with {@code Authorization: Bearer test-key} and {@code Content-Type: application/json}
     * unless {@code headers} (name, value pairs) names them; a null value leaves that header out.
     */
    public Reply send(String method, String path, String body, String... headers) {
        try {
            return sendAsync(method, path, body, headers).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(method + " " + path + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(method + " " + path + " got no answer within " + TIMEOUT, e);
        }
    }

    public CompletableFuture<Reply> sendAsync(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUrl() + path)).timeout(TIMEOUT.multipliedBy(3));
        List<String> names = new ArrayList<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            names.add(headers[i].toLowerCase());
            if (headers[i + 1] != null) {
                b.header(headers[i], headers[i + 1]);
            }
        }
        if (!names.contains("authorization")) {
            b.header("Authorization", "Bearer " + KEY);
        }
        if (!names.contains("content-type")) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return CLIENT.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> check(new Reply(method, path, r.statusCode(), r.headers(), r.body())));
    }

    /**
     * Sends a request whose target goes on the wire exactly as written: java.net.http refuses a malformed
     * percent-encoding ({@code ?wait=%ZZ}) before sending anything, HttpURLConnection does not check it.
     */
    @SuppressWarnings("deprecation") // new URL(String): the one way left to build a URL without java.net.URI's checks
    public Reply sendVerbatim(String method, String target, String body) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(mock.baseUrl() + target).openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(5_000);
            c.setReadTimeout((int) TIMEOUT.toMillis());
            c.setRequestProperty("Authorization", "Bearer " + KEY);
            c.setRequestProperty("Content-Type", "application/json");
            if (body != null) {
                c.setDoOutput(true);
                try (java.io.OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            java.io.InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            c.getHeaderFields().forEach((name, values) -> {
                if (name != null) {
                    headers.put(name, values);
                }
            });
            return check(new Reply(method, target, status, java.net.http.HttpHeaders.of(headers, (n, v) -> true), text));
        } catch (java.io.IOException e) {
            throw new AssertionError(method + " " + target + " failed", e);
        }
    }

    private Reply check(Reply r) {
        if (guardStackTraces) {
            assertFalse(r.body().contains("\tat "), () -> "a stack trace in " + r);
            assertFalse(r.body().contains("java.lang."), () -> "a Java class name in " + r);
            if (r.status() >= 400) {
                assertFalse(r.body().contains("Exception"), () -> "an exception name in " + r);
            }
        }
        return r;
    }

    // ---------------------------------------------------------------- jobs

    /** POST /run; asserts 200 and returns the job id. */
    public String run(String inputJson) {
        Reply r = post(ep("/run"), "{\"input\": " + inputJson + "}");
        assertEquals(200, r.status(), r::toString);
        return r.text("id");
    }

    public Reply status(String jobId) {
        return get(ep("/status/" + jobId));
    }

    /**
     * Sends a request that the mock holds (runsync, status-sync, stream) and returns once it is parked on the
     * clock (its hold timer scheduled) or already answered. {@code timersItAdds} is the number of clock timers
     * the request schedules on its way to the hold.
     */
    public CompletableFuture<Reply> sendHeld(String method, String path, String body, int timersItAdds) {
        long before = mock.clock().timersScheduled();
        CompletableFuture<Reply> f = sendAsync(method, path, body);
        awaitCondition(() -> f.isDone() || mock.clock().timersScheduled() >= before + timersItAdds,
                method + " " + path + " was not parked on the clock");
        return f;
    }

    // ---------------------------------------------------------------- clock

    /** POST /__admin/clock/advance?ms=N: returns once every timer due in that window has run. */
    public Reply advance(long ms) {
        Reply r = post("/__admin/clock/advance?ms=" + ms, null);
        assertEquals(200, r.status(), r::toString);
        return r;
    }

    /** Polls (a few ms apart) until the condition holds; fails after 10 s of wall time. */
    public static void awaitCondition(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out: " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static Reply await(CompletableFuture<Reply> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        }
    }

    /** True if the request is still held after a short grace period (the answer would have come by then). */
    public static boolean stillHeld(CompletableFuture<Reply> f) {
        try {
            f.get(150, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    /**
     * For a hold that must last exactly {@code ms} of mock time: moves the clock to 1 ms short of it, checks the
     * request is still held there ({@code what} names the failure), then moves the last ms and returns the answer.
     */
    public Reply releasedAfter(CompletableFuture<Reply> held, long ms, String what) {
        advance(ms - 1);
        assertTrue(stillHeld(held), what);
        advance(1);
        return await(held);
    }

    // ---------------------------------------------------------------- schemas

    public static void assertSchema(String schema, Reply r) {
        List<String> problems = Schemas.load().validate(schema, r.body());
        assertTrue(problems.isEmpty(), () -> r + " is not a valid " + schema + ": " + problems);
    }

    /** A 4xx/5xx with an {"error": "..."} body; returns the message. */
    public static String assertError(int status, Reply r) {
        assertEquals(status, r.status(), r::toString);
        assertSchema("error", r);
        String ct = r.header("Content-Type");
        assertTrue(ct != null && ct.startsWith("application/json"), () -> "content type " + ct + " of " + r);
        return r.text("error");
    }

    @Override
    public void close() {
        mock.close();
    }
}
