package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Unknown things are 404 JSON, wrong methods 405 JSON with Allow, and nothing ever shows a stack trace. */
class RoutingTest {

    private static MockHarness m;

    @BeforeAll
    static void start() {
        m = MockHarness.frozen();
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    @Test
    void anUnknownEndpointIs404() {
        String message = assertError(404, m.get("/v2/no-such-endpoint/health"));
        assertTrue(message.contains("no-such-endpoint"), message);
        assertError(404, m.post("/v2/no-such-endpoint/run", "{\"input\": {}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/status/", "/status-sync/", "/stream/", "/cancel/", "/retry/"})
    void anUnknownJobIs404(String route) {
        String method = route.startsWith("/st") ? "GET" : "POST";
        assertError(404, m.send(method, ep(route + "no-such-job"), null));
    }

    @Test
    void aVeryLongIdIsNotRepeatedWholeInTheError() {
        String id = "x".repeat(5_000);
        for (String message : new String[] {assertError(404, m.get(ep("/status/" + id))),
                assertError(404, m.get("/v2/" + id + "/health")), assertError(404, m.get("/nope/" + id))}) {
            assertTrue(message.length() < 600 && message.contains(" characters)") && !message.contains(id), message);
        }
    }

    @Test
    void anUnknownRouteNamesTheClientRoutes() {
        String message = assertError(404, m.get("/v2/test-endpoint/nope"));
        for (String route : new String[] {"run", "runsync", "status", "status-sync", "stream", "cancel", "retry", "purge-queue", "health"}) {
            assertTrue(message.contains(" " + route + ",") || message.contains(" " + route + ")") || message.contains("(" + route + ","), route + ": " + message);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/v2", "/v2/test-endpoint", "/v2/test-endpoint/nope", "/v2/test-endpoint/status",
            "/v1/test-endpoint/run", "/v2/test-endpoint/run/extra/parts", "/favicon.ico"})
    void anUnknownRouteIs404Json(String path) {
        assertError(404, m.get(path));
        assertError(404, m.post(path, "{}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET,    /run,         POST",
            "PUT,    /run,         POST",
            "DELETE, /runsync,     POST",
            "GET,    /cancel/x,    POST",
            "GET,    /retry/x,     POST",
            "GET,    /purge-queue, POST",
            "POST,   /health,      'GET, HEAD'",
            "DELETE, /status/x,    'GET, POST, HEAD'",
            "PATCH,  /stream/x,    'GET, POST, HEAD'",
            "PUT,    /status-sync/x, 'GET, POST, HEAD'"})
    void aWrongMethodIs405WithAnAllowHeader(String method, String route, String allowed) {
        Reply r = m.send(method, ep(route.trim()), "{}");
        String message = assertError(405, r);
        assertTrue(message.contains(method), message);
        String allow = r.header("Allow");
        assertNotNull(allow, "405 without Allow: " + r);
        assertEquals(set(allowed), set(allow));
    }

    @ParameterizedTest
    @CsvSource({"TRACE, /run, POST", "FOO, /run, POST", "PROPFIND, /status/x, 'GET, POST, HEAD'"})
    void aMethodJavalinCannotRouteIs405OnAKnownRoute(String method, String route, String allowed) {
        Reply r = m.send(method, ep(route.trim()), null);
        String message = assertError(405, r);
        assertTrue(message.contains(method), message);
        assertEquals(set(allowed), set(r.header("Allow")));
        assertError(404, m.send(method, ep("/nope"), null));
    }

    @Test
    void theAdminRoutesAnswer405TooForAWrongMethod() {
        Reply r = m.send("GET", "/__admin/clock/advance?ms=1", null);
        assertError(405, r);
        assertEquals(Set.of("POST"), set(r.header("Allow")));
    }

    @Test
    void headOnAGetRouteAnswersLikeGetWithoutABody() {
        Reply r = m.send("HEAD", ep("/health"), null);
        assertEquals(200, r.status());
        assertEquals("", r.body());
    }

    @Test
    void aTrailingSlashIsIgnored() {
        assertEquals(200, m.get(ep("/health/")).status());
    }

    @Test
    void oddRequestsNeverShowAStackTrace() throws IOException {
        String[] rawRequests = {
                "GET /v2/test-endpoint/status/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\n\r\n",
                "GET /v2/%E0%A4%A/health HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\n\r\n",
                "POST /v2/test-endpoint/run HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\nContent-Length: 5\r\n\r\n{\"in",
                "POST /v2/test-endpoint/run HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\nContent-Type: application/json; charset=nope\r\nContent-Length: 13\r\n\r\n{\"input\": {}}",
                "BREW /v2/test-endpoint/run HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /v2/test-endpoint/health HTTP/1.1\r\nHost: x\r\nAuthorization: " + "k".repeat(70_000) + "\r\n\r\n",
                "GET / HTTP/9.9\r\n\r\n",
                "garbage\r\n\r\n",
        };
        URI base = URI.create(m.mock.baseUrl());
        for (String raw : rawRequests) {
            String answer = rawExchange(base, raw);
            String shown = raw.length() > 80 ? raw.substring(0, 80) + "..." : raw;
            assertFalse(answer.contains("\tat "), () -> "stack trace for " + shown + ":\n" + answer);
            assertFalse(answer.contains("Exception"), () -> "exception name for " + shown + ":\n" + answer);
            // Jetty answers protocol-level garbage itself (400, 431, 505: HTML pages); the mock must never 500
            assertFalse(answer.startsWith("HTTP/1.1 500"), () -> "server error for " + shown + ":\n" + answer);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v2/test-endpoint/status/%ZZ", "/v2/test-endpoint/status/abc%", "/v2/test-endpoint/status/abc%2",
            "/v2/test-endpoint/stat%ZZus/abc", "/v2/%E0%A4%A/health", "/v2/test-endpoint/status/%u0041",
            "/v2/%u0041/health", "/v2/test-endpoint/job-take/%u0041"})
    void aBadPercentEncodingInThePathIs400SayingSo(String path) throws IOException {
        // sent byte for byte: java.net.http refuses to send such a path at all
        String answer = rawExchange(URI.create(m.mock.baseUrl()), "GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: test-key\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/json"), answer);
        assertTrue(answer.contains("the path has an invalid percent-encoding ('%' must be followed by two hexadecimal digits"), answer);
        assertFalse(answer.contains("test-key"), answer);
    }

    @Test
    void aBodyOverTheSizeLimitIsRejectedWithAJsonError() {
        int jobsBefore = m.get("/__admin/jobs").json().get("count").asInt();
        // one byte over the 10 MB /run limit (DEC-018: 400 by default, 413 as a setting)
        int limit = 10 * 1024 * 1024;
        String head = "{\"input\": {\"x\": \"";
        String tail = "\"}}";
        String body = head + "a".repeat(limit + 1 - head.length() - tail.length()) + tail;
        Reply r = m.post(ep("/run"), body);
        assertEquals(400, r.status(), () -> r.status() + " " + r.body());
        assertTrue(r.text("error").startsWith("Request body too large"), r.body());
        assertEquals(0, m.get("/__admin/jobs").json().get("count").asInt() - jobsBefore, "nothing was queued");
    }

    @Test
    void theErrorsNameTheLimitsAndRetentionsThisMockRunsWith() {
        assertTrue(assertError(404, m.get(ep("/status/no-such-job"))).contains("kept 30 min after /run, 1 min after /runsync"),
                "the defaults, as before");
        try (MockHarness small = MockHarness.frozen(s -> {
            s.retentionRunMs = 5_000;
            s.retentionSyncMs = 1_500;
            s.runMaxBytes = 100;
        })) {
            // they said '30 min' and '1 min' whatever --retention-run-ms and --retention-sync-ms were
            String gone = assertError(404, small.get(ep("/status/no-such-job")));
            assertTrue(gone.contains("kept 5 s after /run, 1500 ms after /runsync"), gone);
            // and 'at most 100 bytes (0 MB)'
            String tooLarge = assertError(400, small.post(ep("/run"), "{\"input\": {\"x\": \"" + "a".repeat(100) + "\"}}"));
            assertTrue(tooLarge.contains("at most 100 bytes.") && !tooLarge.contains("MB"), tooLarge);
        }
        String body = "{\"input\": {\"x\": \"" + "a".repeat(10 * 1024 * 1024) + "\"}}";
        assertTrue(assertError(400, m.post(ep("/run"), body)).contains("at most 10485760 bytes (10 MB)."), "a whole MB figure stays");
    }

    private static String rawExchange(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            byte[] buf = in.readNBytes(64 * 1024);
            return new String(buf, StandardCharsets.ISO_8859_1);
        } catch (java.net.SocketTimeoutException e) {
            return "";
        }
    }

    private static Set<String> set(String commaList) {
        Set<String> s = new TreeSet<>();
        Arrays.stream(commaList.split(",")).map(String::trim).filter(x -> !x.isEmpty()).forEach(s::add);
        return s;
    }

    @Test
    void aBodyCutShortOrWithAnUnknownCharsetIs400Json() throws IOException {
        URI base = URI.create(m.mock.baseUrl());
        String cut = rawExchange(base, "POST /v2/test-endpoint/run HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\n"
                + "Content-Length: 50\r\n\r\n{\"input\": {}}");
        assertTrue(cut.startsWith("HTTP/1.1 400"), cut);
        assertTrue(cut.contains("{\"error\":\"The request body could not be read"), cut);
        String charset = rawExchange(base, "POST /v2/test-endpoint/run HTTP/1.1\r\nHost: x\r\nAuthorization: test-key\r\n"
                + "Content-Type: application/json; charset=nope\r\nContent-Length: 13\r\nConnection: close\r\n\r\n{\"input\": {}}");
        assertTrue(charset.startsWith("HTTP/1.1 400"), charset);
        assertTrue(charset.contains("charset"), charset);
    }
}
