package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Payload limits: /run 10 MB, /runsync 20 MB (docs:opref; runpod-api.md §3; DEC-018). */
@ConformanceCheck
@DisplayName("Payload limits")
class LimitChecks {

    private static final int MB = 1024 * 1024;

    /** A valid body of exactly {@code bytes} bytes. */
    static String bodyOfSize(int bytes) {
        String head = "{\"input\": {\"mock_return\": \"ok\", \"pad\": \"";
        String tail = "\"}}";
        return head + "a".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static void assertTooLarge(Response r, String op, String limitBytes, String limitMb) {
        assertTrue(Set.of(400, 413).contains(r.statusCode()), "an oversized " + op + " body answered " + r.statusCode());
        String error = String.valueOf(r.jsonPath().getString("error"));
        assertTrue(error.contains(limitBytes) || error.contains(limitMb), "the error should name the limit: " + error);
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("LIMIT-001")
    @CaughtBy("limit-not-enforced")
    @DisplayName("a /run body over 10 MB is refused with a JSON error naming the limit")
    void runBodiesOver10MbAreRefused(Target target) {
        assertTooLarge(target.given().body(bodyOfSize(10 * MB + 1)).post(target.url("run")), "/run", "10485760", "10 MB");
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("LIMIT-002")
    @CaughtBy("limit-not-enforced")
    @DisplayName("a /runsync body over 20 MB is refused with a JSON error naming the limit")
    void runsyncBodiesOver20MbAreRefused(Target target) {
        assertTooLarge(target.given().body(bodyOfSize(20 * MB + 1)).post(target.url("runsync")), "/runsync", "20971520", "20 MB");
    }

    @Test
    @NeedsMockWorker
    @Requirement("LIMIT-003")
    @CaughtBy("limit-old-2mb")
    @DisplayName("bodies within the limits are accepted: /run just under 10 MB, /runsync of 15 MB")
    void bodiesWithinTheLimitsAreAccepted(Target target) {
        Response run = target.given().body(bodyOfSize(10 * MB - 64 * 1024)).post(target.url("run"));
        assertEquals(200, run.statusCode(), "a /run body just under 10 MB: " + run.statusCode());
        Response sync = target.given().body(bodyOfSize(15 * MB)).post(target.url("runsync"));
        assertEquals(200, sync.statusCode(), "a 15 MB /runsync body: " + sync.statusCode());
        assertEquals("COMPLETED", sync.jsonPath().getString("status"));
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("LIMIT-004")
    @CaughtBy("limit-content-length-only")
    @DisplayName("the limit holds for a chunked body without Content-Length")
    void chunkedBodiesAreLimitedToo(Target target) throws Exception {
        // an InputStream body of unknown length goes out chunked
        byte[] head = "{\"input\": {\"pad\": \"".getBytes(StandardCharsets.US_ASCII);
        var padding = new java.io.InputStream() {
            long left = 11L * MB;

            @Override
            public int read() {
                return left-- > 0 ? 'a' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'a');
                left -= n;
                return n;
            }
        };
        byte[] tail = "\"}}".getBytes(StandardCharsets.US_ASCII);
        HttpRequest request = HttpRequest.newBuilder(URI.create(target.url("run")))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + target.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                        new SequenceInputStream(new ByteArrayInputStream(head), padding), new ByteArrayInputStream(tail))))
                .build();
        int status;
        String body;
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            status = r.statusCode();
            body = r.body();
        } catch (java.io.IOException e) {
            throw new AssertionError("the target dropped the connection without an answer: " + e);
        }
        assertTrue(Set.of(400, 413).contains(status), "an 11 MB chunked /run body answered " + status + ": "
                + body.substring(0, Math.min(200, body.length())));
        assertTrue(body.startsWith("{") && body.contains("\"error\""), "not a JSON error: " + body);
    }
}
