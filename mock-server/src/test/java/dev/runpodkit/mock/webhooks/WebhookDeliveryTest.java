package dev.runpodkit.mock.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery against real receivers on loopback, with the mock's clock frozen so retry delays and
 * attempt timeouts are moved by hand: nothing here waits 10 s of wall time.
 */
class WebhookDeliveryTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private MockServer mock;
    private final List<Receiver> receivers = new java.util.ArrayList<>();

    /** A receiver that answers each POST with the next scripted status (-1: never answer). */
    private final class Receiver implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        /** Each POST's Authorization header, or "" when it had none. */
        final BlockingQueue<String> authorizations = new LinkedBlockingQueue<>();
        final AtomicInteger hits = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        final int[] script;
        final int fallback;

        Receiver(int fallback, int... script) throws IOException {
            this.script = script;
            this.fallback = fallback;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", ex -> {
                int n = hits.getAndIncrement();
                String authorization = ex.getRequestHeaders().getFirst("Authorization");
                authorizations.add(authorization == null ? "" : authorization);
                bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                int status = n < script.length ? script[n] : fallback;
                if (status < 0) {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.close();
                    return;
                }
                ex.sendResponseHeaders(status, -1);
                ex.close();
            });
            server.start();
            receivers.add(this);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        String take(long ms) throws InterruptedException {
            return bodies.poll(ms, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
        }
    }

    private MockServer start(java.util.function.Consumer<Settings> tweak) {
        Settings s = new Settings();
        s.port = 0;
        s.requestLog = false;
        s.clockFrozen = true;
        tweak.accept(s);
        mock = MockServer.start(s);
        return mock;
    }

    @AfterEach
    void stop() {
        receivers.forEach(Receiver::close);
        if (mock != null) {
            mock.close();
        }
    }

    private String submit(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/run"))
                .header("Authorization", "Bearer test-key").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void failedAttemptsAreRepeatedTenSecondsLaterOnTheMocksClock() throws Exception {
        start(s -> { });
        Receiver receiver = new Receiver(500);
        submit("{\"input\": {\"mock_return\": 1}, \"webhook\": \"" + receiver.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(receiver.take(5_000), "first attempt");
        awaitJournal(1);
        assertEquals(1, mock.webhookJournal().pending(), "a retry waits on the clock: the delivery is still pending");
        assertTrue(adminWebhooks().contains("\"pending\":1"), "GET /__admin/webhooks reports it");
        mock.clock().advance(9_999);
        assertNull(receiver.take(300), "no second attempt before 10 s have passed on the clock");
        mock.clock().advance(1);
        assertNotNull(receiver.take(5_000), "second attempt at 10 s");
        awaitJournal(2);
        mock.clock().advance(10_000);
        assertNotNull(receiver.take(5_000), "third attempt");
        awaitJournal(3);
        assertEquals(0, mock.webhookJournal().pending(), "given up after the last attempt: no longer pending");
        assertTrue(adminWebhooks().contains("\"pending\":0"));
        mock.clock().advance(60_000);
        assertNull(receiver.take(300), "no fourth attempt");
        assertEquals(3, receiver.hits.get());
        assertEquals(3, mock.webhookJournal().entries(a -> a.outcome().equals("failed")).size());
    }

    @Test
    void anUnansweredAttemptFailsAfterTheAttemptTimeoutOnTheClock() throws Exception {
        start(s -> { });
        Receiver receiver = new Receiver(200, -1);
        submit("{\"input\": {}, \"webhook\": \"" + receiver.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(receiver.take(5_000), "first attempt");
        mock.clock().advance(10_000);
        DeliveryJournal.Attempt failed = awaitJournal(1).get(0);
        assertEquals("failed", failed.outcome());
        assertTrue(failed.error().contains("no answer"), failed.error());
        assertEquals(1, mock.webhookJournal().pending(), "timed out, with a retry to come");
        mock.clock().advance(10_000);
        assertNotNull(receiver.take(5_000), "second attempt after the timeout and the retry delay");
        assertEquals("delivered", awaitJournal(2).get(1).outcome());
        assertEquals(0, mock.webhookJournal().pending(), "delivered: no longer pending");
    }

    @Test
    void theLongestAttemptTimeoutTheSettingsAcceptStillSendsAndJournals() throws Exception {
        // the wall-clock backstop derived from it once overflowed to a negative duration: the request could not
        // be built, the sending thread died with a stack trace, nothing was journaled and pending stayed 1 (and a
        // backstop near Long.MAX_VALUE killed the HTTP client's selector: no webhook was sent again)
        start(s -> {
            s.timeScale = 1;
            s.webhookAttemptTimeoutMs = Long.MAX_VALUE;
        });
        Receiver receiver = new Receiver(200);
        submit("{\"input\": {}, \"webhook\": \"" + receiver.url() + "\"}");
        mock.clock().advance(0);
        DeliveryJournal.Attempt delivered = awaitJournal(1).get(0);
        assertNotNull(receiver.take(5_000), "the attempt was never sent");
        assertEquals("delivered", delivered.outcome(), String.valueOf(delivered.error()));
        assertEquals(0, mock.webhookJournal().pending());
    }

    @Test
    void aSlowReceiverDoesNotHoldUpDeliveriesToOthers() throws Exception {
        start(s -> { });
        Receiver slow = new Receiver(-1);
        Receiver fast = new Receiver(200);
        submit("{\"input\": {\"mock_return\": \"slow\"}, \"webhook\": \"" + slow.url() + "\"}");
        submit("{\"input\": {\"mock_return\": \"fast\"}, \"webhook\": \"" + fast.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(slow.take(5_000), "the slow receiver got its POST (and holds it)");
        String body = fast.take(5_000);
        assertNotNull(body, "the fast receiver was held up by the slow one");
        assertTrue(body.contains("\"fast\""), body);
    }

    @Test
    void manyConcurrentDeliveriesEachArriveExactlyOnce() throws Exception {
        start(s -> s.workersMin = s.workersMax = 8);
        Receiver receiver = new Receiver(200);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(submit("{\"input\": {\"mock_return\": " + i + "}, \"webhook\": \"" + receiver.url() + "\"}"));
            mock.clock().advance(0);
        }
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.size() < ids.size() && System.nanoTime() < deadline) {
            mock.clock().advance(0);
            String body = receiver.take(200);
            if (body != null) {
                String id = body.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                assertTrue(seen.add(id), "delivered twice: " + id);
            }
        }
        assertEquals(ids, seen);
        assertNull(receiver.take(300), "no extra deliveries");
    }

    @Test
    void aWebhookUrlNoClientCanSendToIsJournaledAsFailedNotThrown() throws Exception {
        // only a defect lets such a URL through validation; the dispatcher must still journal, not throw
        start(s -> s.defects.add(dev.runpodkit.mock.config.Defect.WEBHOOK_URL_UNCHECKED));
        submit("{\"input\": {}, \"webhook\": \"no-scheme/hook\"}");
        mock.clock().advance(0);
        DeliveryJournal.Attempt attempt = awaitJournal(1).get(0);
        assertEquals("failed", attempt.outcome());
        assertNotNull(attempt.error());
        mock.clock().advance(60_000);
        assertEquals(1, mock.webhookJournal().size(), "an unsendable URL is not retried");
    }

    @Test
    void aRefusedConnectionAndAnUnknownHostAreNamedSoInTheJournal() throws Exception {
        start(s -> { });
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort(); // free again once closed: nothing listens there
        }
        submit("{\"input\": {}, \"webhook\": \"http://127.0.0.1:" + closedPort + "/hook\"}");
        mock.clock().advance(0);
        DeliveryJournal.Attempt refused = awaitJournal(1).get(0);
        assertEquals("failed", refused.outcome());
        // the HTTP client says only "ClosedChannelException" here, which tells a reader nothing
        assertTrue(refused.error().contains("cannot connect to 127.0.0.1:" + closedPort)
                && refused.error().contains("connection refused"), refused.error());
        assertTrue(adminWebhooks().contains("connection refused"), "GET /__admin/webhooks shows it");

        submit("{\"input\": {}, \"webhook\": \"http://no-such-host.invalid/hook\"}");
        mock.clock().advance(0);
        DeliveryJournal.Attempt unknown = awaitJournal(2).stream()
                .filter(a -> a.url().contains("no-such-host")).findFirst().orElseThrow();
        assertEquals("failed", unknown.outcome());
        // the HTTP client says only "UnresolvedAddressException"
        assertEquals("cannot resolve host no-such-host.invalid", unknown.error());
    }

    @Test
    void theDestinationGuardBlocksDeniedAddresses() throws Exception {
        start(s -> s.webhookDeny = new java.util.ArrayList<>(List.of("127.0.0.0/8")));
        Receiver receiver = new Receiver(200);
        submit("{\"input\": {}, \"webhook\": \"" + receiver.url() + "\"}");
        mock.clock().advance(0);
        DeliveryJournal.Attempt blocked = awaitJournal(1).get(0);
        assertEquals("blocked", blocked.outcome());
        assertTrue(blocked.error().contains("127.0.0.0/8"), blocked.error());
        mock.clock().advance(60_000);
        assertNull(receiver.take(300), "a denied destination must not be called");
        assertEquals(1, mock.webhookJournal().size(), "a blocked delivery is not retried");
        assertEquals(0, mock.webhookJournal().pending(), "a blocked delivery has ended");
    }

    @Test
    void withAGuardAHostThatDoesNotResolveIsAFailedAttemptTriedAgainNotABlockedOne() throws Exception {
        start(s -> s.webhookAllow = new java.util.ArrayList<>(List.of("*.invalid")));
        submit("{\"input\": {}, \"webhook\": \"http://no-such-host.invalid/hook\"}");
        mock.clock().advance(0);
        DeliveryJournal.Attempt first = awaitJournal(1).get(0);
        // the same answer as without a guard: a DNS failure is no policy decision
        assertEquals("failed", first.outcome(), first.error());
        assertEquals("cannot resolve host no-such-host.invalid", first.error());
        assertEquals(1, mock.webhookJournal().pending(), "a retry waits on the clock");
        mock.clock().advance(10_000);
        awaitJournal(2);
        mock.clock().advance(10_000);
        List<DeliveryJournal.Attempt> all = awaitJournal(3);
        assertTrue(all.stream().allMatch(a -> a.outcome().equals("failed")), all.toString());
        assertEquals(0, mock.webhookJournal().pending(), "given up after the last attempt");
    }

    @Test
    void theReadmesDenyListAlsoBlocksTheUnspecifiedAddressesThatReachThisHost() throws Exception {
        // the README's lock-down list: 0.0.0.0 and :: are on none of its ranges, yet connecting to them reaches loopback
        start(s -> s.webhookDeny = new java.util.ArrayList<>(List.of("127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12",
                "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10", "::1/128", "fc00::/7", "fe80::/10")));
        Receiver receiver = new Receiver(200);
        int port = receiver.server.getAddress().getPort();
        List<String> hosts = List.of("0.0.0.0", "0", "0.1.2.3", "[::]", "[::ffff:0.0.0.0]");
        for (String host : hosts) {
            submit("{\"input\": {}, \"webhook\": \"http://" + host + ":" + port + "/hook\"}");
        }
        mock.clock().advance(0);
        List<DeliveryJournal.Attempt> attempts = awaitJournal(hosts.size());
        for (DeliveryJournal.Attempt a : attempts) {
            assertEquals("blocked", a.outcome(), a.url() + ": " + a.error());
        }
        mock.clock().advance(60_000);
        assertNull(receiver.take(300), "a destination that reaches a denied loopback must not be called");
        assertEquals(0, receiver.hits.get());
    }

    private void adminReset() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__admin/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void aRetryFallingDueAfterAResetIsNotSentAndTheNewJournalHoldsOnlyWhatCameAfter() throws Exception {
        // a delivery begun before POST /__admin/reset kept retrying after it, its attempts landing in the new journal,
        // so a test that counted the whole journal after a reset was caught by a job from before it
        start(s -> { });
        Receiver failing = new Receiver(500);
        submit("{\"input\": {}, \"webhook\": \"" + failing.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(failing.take(5_000), "first attempt");
        awaitJournal(1); // failed, with a retry waiting 10 s on the clock
        adminReset();
        assertEquals(0, mock.webhookJournal().size());

        mock.clock().advance(10_000); // the old retry falls due: stopped on the clock's thread, before advance returns
        assertEquals(1, mock.webhookJournal().stoppedByReset(), "the retry of a delivery from before the reset was stopped");

        Receiver ok = new Receiver(200);
        String after = submit("{\"input\": {}, \"webhook\": \"" + ok.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(ok.take(5_000));
        List<DeliveryJournal.Attempt> journal = awaitJournal(1);
        assertEquals(1, journal.size(), "only the delivery begun after the reset: " + journal);
        assertEquals(after, journal.get(0).jobId());
        assertEquals("delivered", journal.get(0).outcome());
        assertEquals(1, failing.hits.get(), "the old delivery was not tried again");
        assertEquals(0, mock.webhookJournal().pending());
    }

    @Test
    void anAttemptInFlightAtAResetIsNeitherJournaledNorTriedAgain() throws Exception {
        start(s -> { });
        Receiver held = new Receiver(500, -1); // holds the first attempt until released, then drops it
        submit("{\"input\": {}, \"webhook\": \"" + held.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(held.take(5_000), "first attempt, held by the receiver");
        adminReset();
        held.release.countDown(); // the attempt ends (no answer) after the reset
        dev.runpodkit.mock.testing.MockHarness.awaitCondition(() -> mock.webhookJournal().stoppedByReset() == 1,
                "the attempt that ended after the reset stopped its delivery");
        mock.clock().advance(60_000); // past any retry delay and attempt timeout
        assertEquals(List.of(), mock.webhookJournal().entries(a -> true), "nothing of the old delivery in the new journal");
        assertEquals(1, held.hits.get(), "no retry was scheduled");
        assertEquals(0, mock.webhookJournal().pending());
    }

    @Test
    void aResetForgetsPendingDeliveriesAndTheirLateEndsDoNotCount() {
        DeliveryJournal journal = new DeliveryJournal(10);
        long before = journal.deliveryBegun();
        journal.deliveryBegun();
        assertEquals(2, journal.pending());
        journal.clear();
        assertEquals(0, journal.pending());
        long after = journal.deliveryBegun();
        journal.deliveryEnded(before); // a delivery begun before the reset ends now: it must not hide the new one
        assertEquals(1, journal.pending());
        journal.deliveryEnded(after);
        assertEquals(0, journal.pending());
    }

    @Test
    void guardPatternsMatchHostsWildcardsAndRanges() throws Exception {
        InetAddress[] loopback = {InetAddress.getByName("127.0.0.1")};
        assertTrue(DestinationGuard.matches("127.0.0.0/8", "localhost", loopback));
        assertFalse(DestinationGuard.matches("10.0.0.0/8", "localhost", loopback));
        assertTrue(DestinationGuard.matches("*.example.com", "hooks.example.com", loopback));
        assertFalse(DestinationGuard.matches("*.example.com", "example.org", loopback));
        assertTrue(DestinationGuard.matches("127.0.0.1", "localhost", loopback));
        InetAddress[] unspecified = DestinationGuard.reached(new InetAddress[] {InetAddress.getByName("0.0.0.0")});
        assertTrue(DestinationGuard.matches("127.0.0.0/8", "0.0.0.0", unspecified), "0.0.0.0 reaches 127.0.0.1");
        assertTrue(DestinationGuard.matches("0.0.0.0/8", "0.0.0.0", unspecified), "and is still itself");
        assertTrue(DestinationGuard.matches("::1/128", "::", DestinationGuard.reached(new InetAddress[] {InetAddress.getByName("::")})));
        assertFalse(DestinationGuard.matches("::1/128", "0.0.0.0", unspecified), "0.0.0.0 reaches IPv4 loopback only");
        assertTrue(DestinationGuard.check(URI.create("http://0.0.0.0/x"), List.of("127.0.0.1"), List.of()).allowed(),
                "allowing 127.0.0.1 allows what reaches it");
        assertTrue(DestinationGuard.check(URI.create("http://127.0.0.1/x"), List.of(), List.of()).allowed());
        DestinationGuard.Verdict notListed = DestinationGuard.check(URI.create("http://127.0.0.1/x"), List.of("*.example.com"), List.of());
        assertEquals(DestinationGuard.Verdict.Outcome.BLOCKED, notListed.outcome());
        assertEquals("destination 127.0.0.1 is not on the allow list", notListed.reason());
        assertTrue(DestinationGuard.check(URI.create("http://127.0.0.1/x"), List.of("127.0.0.1/32"), List.of()).allowed());
        DestinationGuard.Verdict unknown = DestinationGuard.check(URI.create("http://no-such-host.invalid/x"), List.of("*.invalid"), List.of());
        assertEquals(DestinationGuard.Verdict.Outcome.UNRESOLVED, unknown.outcome());
        assertEquals("cannot resolve host no-such-host.invalid", unknown.reason());
        assertThrowsIae(() -> DestinationGuard.validate("10.0.0.0/99"));
        assertThrowsIae(() -> DestinationGuard.validate(" "));
    }

    private static void assertThrowsIae(Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("expected IllegalArgumentException");
    }

    @Test
    void theJournalIsBoundedAndDropsTheOldestFirst() {
        DeliveryJournal journal = new DeliveryJournal(5);
        for (int i = 1; i <= 12; i++) {
            journal.record("job-" + i, "ep", "http://x", 1, i, 200, null, 0, "delivered");
        }
        assertEquals(5, journal.size());
        assertEquals(7, journal.dropped());
        assertEquals("job-8", journal.entries(a -> true).get(0).jobId());
    }

    @Test
    void theBodyCarriesInputAndWebhookButNeverS3ConfigAndTheJournalHidesUrlCredentials() throws Exception {
        start(s -> { });
        Receiver receiver = new Receiver(200);
        String url = receiver.url().replace("http://", "http://user:pa55word@");
        submit("{\"input\": {\"mock_return\": \"x\", \"k\": 1}, \"webhook\": \"" + url + "\", \"s3Config\": {\"accessId\": \"AKIDEXAMPLE\", "
                + "\"accessSecret\": \"super-secret-value\", \"bucketName\": \"b\", \"endpointUrl\": \"http://127.0.0.1:9\"}}");
        mock.clock().advance(0);
        String body = receiver.take(5_000);
        assertNotNull(body);
        assertTrue(body.contains("\"input\":{\"mock_return\":\"x\",\"k\":1}"), body);
        assertTrue(body.contains("\"webhook\""), body);
        assertFalse(body.contains("s3Config") || body.contains("super-secret-value") || body.contains("AKIDEXAMPLE"), body);
        DeliveryJournal.Attempt a = awaitJournal(1).get(0);
        assertFalse(a.url().contains("pa55word"), a.url());
    }

    @Test
    void credentialsInTheWebhookUrlAreSentAsBasicAuthenticationAndAUrlWithoutThemSendsNone() throws Exception {
        // DEC-037: as Go's net/http (RunPod's API is Go) and Python's requests send a URL's user-info
        start(s -> { });
        Receiver receiver = new Receiver(200);
        submit("{\"input\": {}, \"webhook\": \"" + receiver.url().replace("http://", "http://hook%40user:pa%3Ass+w@") + "\"}");
        mock.clock().advance(0);
        assertNotNull(receiver.take(5_000));
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "hook@user:pa:ss+w".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, receiver.authorizations.take());
        assertEquals("delivered", awaitJournal(1).get(0).outcome());

        submit("{\"input\": {}, \"webhook\": \"" + receiver.url() + "\"}");
        mock.clock().advance(0);
        assertNotNull(receiver.take(5_000));
        assertEquals("", receiver.authorizations.take(), "no user-info, no Authorization header");
    }

    @Test
    void aRedirectIsAFailedAttemptAndIsNotFollowed() throws Exception {
        // DEC-038: only the URL the client named is called (the guard judged that one), and only 200 acknowledges
        start(s -> s.webhookAttempts = 2);
        Receiver elsewhere = new Receiver(200);
        HttpServer redirecting = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        AtomicInteger redirected = new AtomicInteger();
        redirecting.createContext("/", ex -> {
            redirected.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().add("Location", elsewhere.url());
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        redirecting.start();
        try {
            submit("{\"input\": {}, \"webhook\": \"http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook\"}");
            mock.clock().advance(0);
            DeliveryJournal.Attempt first = awaitJournal(1).get(0);
            assertEquals("failed", first.outcome());
            assertEquals(307, first.statusCode());
            mock.clock().advance(10_000);
            assertEquals("failed", awaitJournal(2).get(1).outcome());
            assertEquals(2, redirected.get(), "each attempt goes to the URL the client named");
            assertNull(elsewhere.take(300), "the Location was never called");
            assertEquals(0, mock.webhookJournal().pending());
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    void withWebhookPayloadStatusTheBodyIsTheStatusPayloadOnly() throws Exception {
        start(s -> s.webhookPayload = Settings.WebhookPayload.STATUS);
        Receiver receiver = new Receiver(200);
        String id = submit("{\"input\": {\"mock_return\": \"x\"}, \"webhook\": \"" + receiver.url() + "\"}");
        mock.clock().advance(0);
        String body = receiver.take(5_000);
        assertNotNull(body);
        assertTrue(body.contains("\"id\":\"" + id + "\"") && body.contains("\"status\":\"COMPLETED\"")
                && body.contains("\"output\":\"x\""), body);
        assertFalse(body.contains("\"input\"") || body.contains("\"webhook\""), body);
    }

    private String adminWebhooks() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/__admin/webhooks")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<DeliveryJournal.Attempt> awaitJournal(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            List<DeliveryJournal.Attempt> entries = mock.webhookJournal().entries(a -> true);
            if (entries.size() >= n) {
                return entries;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the journal never reached " + n + " entries: " + mock.webhookJournal().entries(a -> true));
    }
}
