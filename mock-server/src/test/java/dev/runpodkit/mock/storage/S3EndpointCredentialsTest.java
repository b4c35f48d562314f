package dev.runpodkit.mock.storage;

import static dev.runpodkit.mock.testing.MockHarness.awaitCondition;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Credentials inside {@code s3Config.endpointUrl} (user-info, a presigned URL's signature) are as secret as
 * {@code accessSecret}: a job whose upload fails must not echo them in its status, the admin views, its webhook
 * body, the webhook journal or the log. Needs no S3 store: nothing listens on 127.0.0.1:1.
 */
class S3EndpointCredentialsTest {

    private static final String PASSWORD = "SUPERSECRET-" + UUID.randomUUID();
    private static final String SIGNATURE = "SIGSECRET" + UUID.randomUUID().toString().replace("-", "");
    private static final String ACCESS_SECRET = "S3SECRET-" + UUID.randomUUID();
    private static final String ENDPOINT = "http://user:" + PASSWORD + "@127.0.0.1:1/?X-Amz-Signature=" + SIGNATURE;
    private static final List<String> SECRETS = List.of(PASSWORD, SIGNATURE, ACCESS_SECRET);

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final BlockingQueue<String> webhookBodies = new LinkedBlockingQueue<>();
    private PrintStream originalErr;
    private HttpServer receiver;
    private MockHarness m;

    @BeforeEach
    void start() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, log), true, StandardCharsets.UTF_8));
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            webhookBodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        receiver.start();
        m = MockHarness.frozen(s -> s.requestLog = true); // the request log is part of what must not leak
    }

    @AfterEach
    void stop() {
        if (m != null) {
            m.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        System.setErr(originalErr);
    }

    @Test
    void credentialsInTheEndpointUrlAreInNoStatusAdminViewWebhookJournalOrLog() throws Exception {
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        Reply run = m.post(ep("/run"), "{\"input\": {\"mock_return\": {\"answer\": 42}, \"mock_s3_upload\": true}, "
                + "\"webhook\": \"" + hook + "\", \"s3Config\": {\"accessId\": \"AKIDENDPOINTTEST\", \"accessSecret\": \""
                + ACCESS_SECRET + "\", \"bucketName\": \"b\", \"endpointUrl\": \"" + ENDPOINT + "\"}}");
        assertEquals(200, run.status(), run::toString);
        String id = run.text("id");
        m.advance(0);
        awaitCondition(() -> "FAILED".equals(m.status(id).text("status")), "the upload to 127.0.0.1:1 fails the job");
        m.advance(0); // the webhook goes out when the job ends

        List<Reply> replies = new ArrayList<>();
        Reply status = m.status(id);
        replies.add(status);
        replies.add(m.get(ep("/status-sync/" + id)));
        replies.add(m.get("/__admin/jobs"));
        replies.add(m.get("/__admin/jobs/" + id));
        String webhook = webhookBodies.poll(10, TimeUnit.SECONDS);
        assertNotNull(webhook, "the webhook was delivered");
        awaitCondition(() -> m.get("/__admin/webhooks").body().contains(id), "the delivery is journaled");
        replies.add(m.get("/__admin/webhooks"));

        for (Reply r : replies) {
            assertNoSecret(r.toString(), r.body());
        }
        assertNoSecret("the webhook body", webhook);
        assertNoSecret("S3Config.toString()", m.mock.engine().findAnywhere(id).orElseThrow().s3Config().toString());
        System.err.flush();
        String logged = log.toString(StandardCharsets.UTF_8);
        assertTrue(logged.contains("/run"), "the request log was captured: " + logged.length() + " chars");
        assertNoSecret("the log", logged);

        String error = status.text("error");
        assertTrue(error.contains("upload") && error.contains("'http://***@127.0.0.1:1/?X-Amz-Signature=***'"),
                "the error says why, naming the endpoint redacted: " + error);
        assertEquals("http://***@127.0.0.1:1/?X-Amz-Signature=***",
                m.get("/__admin/jobs/" + id).json().get("delivered").get("s3Config").get("endpointUrl").asString(),
                "the admin view shows the endpoint, redacted");
    }

    @Test
    void anEndpointUrlThatIsNoUrlIsNotQuotedWithItsCredentials() {
        // a space makes it no URI: the error still names it, but only after the last '@'
        Reply run = m.post(ep("/run"), "{\"input\": {\"mock_s3_upload\": true}, \"s3Config\": {\"accessId\": \"AKIDENDPOINTTEST\","
                + " \"accessSecret\": \"" + ACCESS_SECRET + "\", \"bucketName\": \"b\", \"endpointUrl\": \"http://user:pass "
                + PASSWORD + "@127.0.0.1:1\"}}");
        String id = run.text("id");
        m.advance(0);
        awaitCondition(() -> "FAILED".equals(m.status(id).text("status")), "the job fails");
        Reply status = m.status(id);
        assertNoSecret(status.toString(), status.body());
        assertNoSecret("/__admin/jobs", m.get("/__admin/jobs/" + id).body());
        assertTrue(status.text("error").contains("'http://***@127.0.0.1:1' is not an absolute URL"), status::toString);
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertFalse(text.contains(secret), () -> "a secret of s3Config in " + where + ": " + text);
        }
    }
}
