package dev.runpodkit.mock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.testing.S3ProxyProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in worker's uploads against a real S3-compatible server (s3proxy on loopback): the object lands
 * and reads back; every storage failure ends the job FAILED with a clear error that never names the secret;
 * and nothing the mock logs or answers contains the secret.
 */
class S3UploadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String IDENTITY = "mock-identity";
    private static final String CREDENTIAL = "mock-credential-" + UUID.randomUUID();
    private static S3ProxyProcess s3;
    private static MockServer mock;
    private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    private static PrintStream originalErr;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(S3ProxyProcess.locateJar() != null, "s3proxy jar not built (target/s3proxy/s3proxy.jar)");
        s3 = S3ProxyProcess.start(IDENTITY, CREDENTIAL);
        s3.createBucket("outputs");
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
        Settings settings = new Settings();
        settings.port = 0;
        settings.requestLog = true; // the request log is part of what must not leak
        mock = MockServer.start(settings);
    }

    @AfterAll
    static void stop() {
        if (mock != null) {
            mock.close();
        }
        if (originalErr != null) {
            System.setErr(originalErr);
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private JsonNode runsync(String accessId, String secret, String bucket, String endpoint, String objectPath) throws Exception {
        String body = "{\"input\": {\"mock_return\": {\"answer\": 42}, \"mock_s3_upload\": true}, \"s3Config\": {"
                + "\"accessId\": \"" + accessId + "\", \"accessSecret\": \"" + secret + "\", \"bucketName\": \"" + bucket
                + "\", \"endpointUrl\": \"" + endpoint + "\"" + (objectPath == null ? "" : ", \"objectPath\": \"" + objectPath + "\"") + "}}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v2/test-endpoint/runsync"))
                .header("Authorization", "test-key").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertFalse(r.body().contains(secret), "the answer carries the secret");
        return JSON.readTree(r.body());
    }

    @Test
    void theOutputLandsInTheBucketAndTheJobReturnsItsUrl() throws Exception {
        String key = "runs/" + UUID.randomUUID() + ".json";
        JsonNode job = runsync(IDENTITY, CREDENTIAL, "outputs", s3.endpoint(), key);
        assertEquals("COMPLETED", job.path("status").asString(), job.toString());
        assertEquals(s3.endpoint() + "/outputs/" + key, job.path("output").asString());
        assertEquals("{\"answer\":42}", s3.read("outputs", key));
    }

    @Test
    void withoutObjectPathTheKeyIsTheJobId() throws Exception {
        JsonNode job = runsync(IDENTITY, CREDENTIAL, "outputs", s3.endpoint(), null);
        assertEquals("COMPLETED", job.path("status").asString(), job.toString());
        assertEquals("{\"answer\":42}", s3.read("outputs", job.path("id").asString()));
    }

    @Test
    void wrongCredentialsFailTheJobWithoutNamingTheSecret() throws Exception {
        String secret = "wrong-secret-" + UUID.randomUUID();
        JsonNode job = runsync("someone-else", secret, "outputs", s3.endpoint(), null);
        assertFailedClearly(job, secret);
    }

    @Test
    void aMissingBucketFailsTheJob() throws Exception {
        JsonNode job = runsync(IDENTITY, CREDENTIAL, "no-such-bucket", s3.endpoint(), null);
        assertFailedClearly(job, CREDENTIAL);
        assertTrue(job.path("error").asString().contains("no-such-bucket"), job.toString());
    }

    @Test
    void anUnreachableEndpointFailsTheJob() throws Exception {
        JsonNode job = runsync(IDENTITY, CREDENTIAL, "outputs", "http://127.0.0.1:9", null);
        assertFailedClearly(job, CREDENTIAL);
    }

    @Test
    void theSecretIsInNoLogLine() throws Exception {
        runsync(IDENTITY, CREDENTIAL, "outputs", s3.endpoint(), "log-check.json");
        runsync("someone-else", "another-secret-value", "outputs", s3.endpoint(), null);
        System.err.flush();
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("/runsync"), "the request log was captured: " + log.length() + " chars");
        assertFalse(log.contains(CREDENTIAL), "a log line carries the s3Config secret");
        assertFalse(log.contains("another-secret-value"), "a log line carries the s3Config secret");
    }

    private static void assertFailedClearly(JsonNode job, String secret) {
        assertEquals("FAILED", job.path("status").asString(), job.toString());
        String error = job.path("error").asString();
        assertTrue(error.contains("upload"), "the error should say the upload failed: " + error);
        assertFalse(error.contains(secret), "the error names the secret: " + error);
    }
}
