package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.await;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** s3Config goes to the worker only: never in a client answer, and its secret in no answer at all. */
class S3ConfigTest {

    private static final String SECRET = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYSECRET";
    private static final String ACCESS_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String S3 = "\"s3Config\": {\"accessId\": \"" + ACCESS_ID + "\", \"accessSecret\": \"" + SECRET
            + "\", \"bucketName\": \"my-bucket\", \"endpointUrl\": \"https://s3.example.com\", \"objectPath\": \"out/\"}";

    private final MockHarness m = MockHarness.frozen();
    private final List<Reply> replies = new ArrayList<>();

    @AfterEach
    void stop() {
        m.close();
    }

    private Reply keep(Reply r) {
        replies.add(r);
        return r;
    }

    @Test
    void s3ConfigIsNeverInAClientAnswerAndTheSecretIsInNoAnswer() {
        Reply run = keep(m.post(ep("/run"), "{\"input\": {\"mock_delay\": 1}, " + S3 + "}"));
        assertEquals(200, run.status());
        String id = run.text("id");
        keep(m.status(id));
        keep(m.post(ep("/status/" + id), null));
        CompletableFuture<Reply> sync = m.sendHeld("POST", ep("/runsync?wait=5000"), "{\"input\": {\"mock_delay\": 1}, " + S3 + "}", 3);
        m.advance(1_000);
        Reply runsync = keep(await(sync));
        assertEquals("COMPLETED", runsync.text("status"));
        keep(m.status(id));
        keep(m.get(ep("/status-sync/" + id)));
        keep(m.get(ep("/stream/" + id)));
        keep(m.post(ep("/cancel/" + id), null));

        Reply failing = keep(m.post(ep("/run"), "{\"input\": {\"mock_error\": \"x\"}, " + S3 + "}"));
        m.advance(0);
        keep(m.status(failing.text("id")));
        keep(m.post(ep("/retry/" + failing.text("id")), null));
        keep(m.post(ep("/run"), "{\"input\": {\"x\": " + S3.substring(S3.indexOf('{')) + "}, \"webhook\": 5, " + S3 + "}"));
        keep(m.post(ep("/run"), "{\"input\": {}, \"s3Config\": {\"accessSecret\": \"" + SECRET + "\"}}"));
        keep(m.get(ep("/health")));
        keep(m.get("/__admin/jobs"));
        keep(m.get("/__admin/jobs/" + id));
        keep(m.get("/__admin/settings"));

        for (Reply r : replies) {
            assertFalse(r.body().contains(SECRET), () -> "the secret leaked: " + r);
            if (r.path().startsWith("/v2/")) {
                JsonNode body = r.json();
                assertFalse(body.has("s3Config"), () -> "s3Config in a client answer: " + r);
                if (!r.body().contains("\"input\"")) {
                    assertFalse(r.body().contains(ACCESS_ID), () -> "the access id leaked: " + r);
                }
            }
        }
    }

    @Test
    void theAdminViewShowsTheS3ConfigAsDeliveredWithTheCredentialsRedacted() {
        String id = m.post(ep("/run"), "{\"input\": {}, " + S3 + "}").text("id");
        Reply admin = m.get("/__admin/jobs/" + id);
        JsonNode s3 = admin.json().get("delivered").get("s3Config");
        assertEquals("***", s3.get("accessId").asString());
        assertEquals("***", s3.get("accessSecret").asString());
        assertEquals("my-bucket", s3.get("bucketName").asString());
        assertEquals("https://s3.example.com", s3.get("endpointUrl").asString());
        assertEquals("out/", s3.get("objectPath").asString());
        assertFalse(admin.json().get("status").has("s3Config"));
    }

    @Test
    void keysBesidesTheKnownFiveReachTheWorkerUnchangedAndAreMaskedEverywhereElse() {
        // region and the rest were dropped before the worker saw them, while S3-005 says it gets s3Config unchanged
        String token = "session-token-NEVER-SHOWN";
        String sent = "{\"accessId\": \"" + ACCESS_ID + "\", \"accessSecret\": \"" + SECRET + "\", \"bucketName\": \"my-bucket\","
                + " \"endpointUrl\": \"https://s3.example.com\", \"objectPath\": \"\", \"region\": \"eu-west-1\","
                + " \"sessionToken\": \"" + token + "\", \"options\": {\"sse\": [\"AES256\", 2]}, \"addressing\": null}";
        try (MockHarness ext = MockHarness.frozen(s -> s.mode = dev.runpodkit.mock.config.Settings.Mode.EXTERNAL)) {
            Reply run = ext.post(ep("/run"), "{\"input\": {\"k\": 1}, \"s3Config\": " + sent + "}");
            assertEquals(200, run.status(), run::toString);
            String id = run.text("id");
            Reply take = ext.send("GET", ep("/job-take/pod-s3?gpu=TEST&job_in_progress=0"), null, "Authorization", MockHarness.KEY);
            assertEquals(200, take.status(), take::toString);
            assertEquals(dev.runpodkit.mock.SharedJson.MAPPER.readTree(sent), take.json().get("s3Config"), "s3Config as sent: " + take.body());

            List<Reply> elsewhere = List.of(ext.status(id), ext.get("/__admin/jobs/" + id), ext.get("/__admin/jobs"),
                    ext.get("/__admin/workers"));
            for (Reply r : elsewhere) {
                assertFalse(r.body().contains(token) || r.body().contains(SECRET), () -> "a secret leaked: " + r);
            }
            JsonNode shown = ext.get("/__admin/jobs/" + id).json().get("delivered").get("s3Config");
            assertEquals("***", shown.get("sessionToken").asString(), shown::toString);
            assertEquals("***", shown.get("region").asString(), "any other key may be a credential: its value is masked");
            assertEquals("***", shown.get("options").asString());
            MockHarness.assertSchema("admin-job", ext.get("/__admin/jobs/" + id));
            String logged = ext.mock.engine().findAnywhere(id).orElseThrow().s3Config().toString();
            assertTrue(logged.contains("sessionToken") && !logged.contains(token) && !logged.contains("eu-west-1"), logged);
        }
    }

    @Test
    void theJobStillSeesItsS3ConfigInTheEngine() {
        String id = m.post(ep("/run"), "{\"input\": {}, " + S3 + "}").text("id");
        var view = m.mock.engine().findAnywhere(id).orElseThrow();
        assertEquals(SECRET, view.s3Config().accessSecret(), "passed to the worker unchanged");
        assertTrue(!view.s3Config().toString().contains(SECRET), "toString redacts the secret");
    }
}
