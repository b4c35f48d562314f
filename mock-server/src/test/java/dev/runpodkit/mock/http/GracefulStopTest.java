package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server's own count of requests in flight (InFlightRequests, in place of Jetty's GracefulHandler): it must
 * come back to zero after every kind of answer, or each stop would wait its full timeout; and a stop must answer
 * the requests in flight, held ones included, and refuse new ones on connections already open.
 */
class GracefulStopTest {

    private static final String AUTH = "Authorization: Bearer " + MockHarness.KEY + "\r\n";

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCountComesBackToZeroAfterEveryKindOfAnswer() throws Exception {
        try (MockHarness m = MockHarness.start(s -> { })) {
            String id = m.run("{\"n\": 1}");
            assertEquals(200, m.status(id).status());
            assertEquals(400, m.post(ep("/run"), "{\"nope\": 1}").status());
            assertEquals(401, m.send("POST", ep("/run"), "{\"input\": {}}", "Authorization", "Bearer wrong").status());
            assertEquals(404, m.status("no-such-job").status());
            assertEquals(404, m.get("/nowhere").status());
            assertEquals(405, m.get(ep("/run")).status());
            assertEquals(200, m.post(ep("/runsync"), "{\"input\": {\"mock_delay\": 0.05}}").status());
            assertEquals(200, m.post(ep("/stream/" + id + "?wait=0"), "").status());
            for (int i = 0; i < 200; i++) {
                assertEquals(200, m.post(ep("/run"), "{\"input\": {\"i\": " + i + "}}").status());
            }
            // errors Jetty answers before any route: a bad request line, a header too large
            assertTrue(raw(m, "GET /v2 /x HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 400"));
            assertTrue(raw(m, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n").startsWith("HTTP/1.1 431"));
            MockHarness.awaitCondition(() -> m.mock.requestsInFlight() == 0,
                    "requests still counted in flight after all were answered: " + m.mock.requestsInFlight());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aStopAnswersHeldAndUnfinishedRequestsAndRefusesNewOnes() throws Exception {
        MockHarness m = MockHarness.start(s -> { });
        try (Socket keepAlive = open(m); Socket slowBody = open(m)) {
            // a connection that stays open: its next request comes while the stop is under way
            exchange(keepAlive, "GET " + ep("/health") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
            // a held runsync: a job of 30 s behind a 60 s wait
            CompletableFuture<Reply> held = m.sendHeld("POST", ep("/runsync?wait=60000"), "{\"input\": {\"mock_delay\": 30}}", 2);
            assertTrue(MockHarness.stillHeld(held));
            // a body half sent: this request stays in flight until the rest comes, so the stop must wait for it
            write(slowBody, "POST " + ep("/run") + " HTTP/1.1\r\nHost: x\r\n" + AUTH
                    + "Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"input\"");
            MockHarness.awaitCondition(() -> m.mock.requestsInFlight() >= 2, "the half-sent request is not in flight");

            long t0 = System.nanoTime();
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(m::close);
            Reply heldReply = MockHarness.await(held);
            assertEquals(200, heldReply.status(), heldReply::toString);
            assertTrue(heldReply.body().contains("IN_PROGRESS"), "answered with the job as it is: " + heldReply.body());
            MockHarness.awaitCondition(() -> m.mock.requestsInFlight() == 1, "the held request's answer is counted done");

            String refused = exchange(keepAlive, "GET " + ep("/health") + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(refused.contains("{\"error\":"), "a JSON error body: " + refused);
            assertTrue(!stopping.isDone(), "the stop did not wait for the request still being read");

            write(slowBody, ": {}}");
            String finished = read(slowBody);
            assertTrue(finished.startsWith("HTTP/1.1 200"), "the unfinished request was answered: " + finished);
            stopping.get(10, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < HttpServer.STOP_TIMEOUT_MS, "the stop waited its whole timeout (" + ms + " ms): it lost count");
        } finally {
            m.close();
        }
    }

    private static Socket open(MockHarness m) throws IOException {
        Socket s = new Socket("127.0.0.1", m.mock.port());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static String exchange(Socket s, String request) throws IOException {
        write(s, request);
        return read(s);
    }

    /** One response: its head, then as many body bytes as Content-Length says. */
    private static String read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String raw(MockHarness m, String request) throws IOException {
        try (Socket s = open(m)) {
            return exchange(s, request);
        }
    }
}
