package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authorization: "Bearer KEY" (client SDKs) and the raw "KEY" (cURL docs, worker SDK) both work, everywhere. */
class AuthTest {

    private static MockHarness m;

    @BeforeAll
    static void start() {
        m = MockHarness.frozen(s -> s.apiKeys = new ArrayList<>(List.of("key-one", "key-two")));
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static Reply health(String authorization) {
        return m.send("GET", ep("/health"), null, "Authorization", authorization);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer key-one", "bearer key-one", "BEARER key-two", "key-one", "key-two", "  Bearer key-one  ", "Bearer    key-two", "\tkey-one\t"})
    void aKnownKeyIsAcceptedWithOrWithoutBearer(String authorization) {
        Reply r = health(authorization);
        assertEquals(200, r.status(), () -> "[" + authorization + "] " + r);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer nope", "nope", "Bearer", "Bearer ", "key-one-and-more", "Basic key-one", "Bearer key-onE", "Token key-one", "key-on", "Bearer key-on", "Bearer  ", "Bearer key-one key-one"})
    void aWrongKeyIsRejectedWith401(String authorization) {
        assertError(401, health(authorization));
    }

    @Test
    void aMissingKeyIsRejectedWith401() {
        assertError(401, health(null));
    }

    @Test
    void everyClientRouteRequiresTheKey() {
        String[][] routes = {
                {"POST", "/run"}, {"POST", "/runsync"}, {"GET", "/status/x"}, {"POST", "/status/x"},
                {"GET", "/status-sync/x"}, {"GET", "/stream/x"}, {"POST", "/cancel/x"}, {"POST", "/retry/x"},
                {"POST", "/purge-queue"}, {"GET", "/health"}};
        for (String[] route : routes) {
            Reply r = m.send(route[0], ep(route[1]), "{\"input\": {}}", "Authorization", null);
            assertError(401, r);
        }
    }

    @Test
    void aMissingKeyOnAnUnknownEndpointIs401NotA404() {
        assertError(401, m.send("GET", "/v2/unknown-endpoint/health", null, "Authorization", null));
    }

    @Test
    void keysAreCaseSensitiveEvenOnOneKeepAliveConnection() throws IOException {
        // Jetty caches header lines per connection; its default cache ignores case, which once made the second
        // request of each pair below be read as the first one.
        assertEquals(List.of(200, 401), statusesOnOneConnection("Bearer key-one", "Bearer KEY-ONE"));
        assertEquals(List.of(401, 200), statusesOnOneConnection("Bearer KEY-ONE", "Bearer key-one"));
        assertEquals(List.of(200, 401), statusesOnOneConnection("key-two", "KEY-TWO"));
    }

    /** Pipelines one GET /health per Authorization value on a single socket; returns the statuses in order. */
    private static List<Integer> statusesOnOneConnection(String... authorizations) throws IOException {
        URI base = URI.create(m.mock.baseUrl());
        StringBuilder requests = new StringBuilder();
        for (String a : authorizations) {
            requests.append("GET ").append(ep("/health")).append(" HTTP/1.1\r\nHost: x\r\nAuthorization: ")
                    .append(a).append("\r\n\r\n");
        }
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            List<Integer> statuses = new ArrayList<>();
            StringBuilder seen = new StringBuilder();
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[8192];
            while (statuses.size() < authorizations.length) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                Matcher matcher = STATUS_LINE.matcher(seen);
                statuses.clear();
                while (matcher.find()) {
                    statuses.add(Integer.parseInt(matcher.group(1)));
                }
            }
            return statuses;
        }
    }

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");
}
