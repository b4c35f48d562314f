package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.mock.testing.S3ProxyProcess;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * s3Config with real S3-compatible storage: a local s3proxy started by the suite. Only the mock's built-in
 * worker uploads (DEC-032: the platform never does, and runpod/mock-worker has no upload key), so these run
 * against the mock only.
 */
@ConformanceCheck
@NeedsMockWorker
@NeedsAdmin
@DisplayName("s3Config storage")
class S3StorageChecks {

    private static final String IDENTITY = "conformance-identity";
    private static final String CREDENTIAL = "conformance-credential-" + UUID.randomUUID();
    private static S3ProxyProcess store;

    private static synchronized S3ProxyProcess store(Target target) throws Exception {
        assumeTrue(S3ProxyProcess.locateJar() != null, "s3proxy jar not built (conformance-tests/target/s3proxy/s3proxy.jar)");
        target.addSecret(CREDENTIAL);
        if (store == null) {
            store = S3ProxyProcess.start(IDENTITY, CREDENTIAL);
            store.createBucket("conformance");
        }
        return store;
    }

    @AfterAll
    static void stopStore() {
        if (store != null) {
            store.close();
            store = null;
        }
    }

    private static String s3Body(S3ProxyProcess s3, String key) {
        return "{\"input\": {\"mock_return\": {\"stored\": \"" + key + "\"}, \"mock_s3_upload\": true}, \"s3Config\": {"
                + "\"accessId\": \"" + s3.identity() + "\", \"accessSecret\": \"" + s3.credential() + "\", "
                + "\"bucketName\": \"conformance\", \"endpointUrl\": \"" + s3.endpoint() + "\", \"objectPath\": \"" + key + "\"}}";
    }

    @Test
    @Requirement("S3-008")
    @CaughtBy("s3-not-passed")
    @DisplayName("the worker receives s3Config and its upload lands in the bucket")
    void theWorkerUploadsToTheConfiguredStore(Target target) throws Exception {
        S3ProxyProcess s3 = store(target);
        String key = "checks/" + UUID.randomUUID() + ".json";
        String id = Jobs.run(target, s3Body(s3, key));
        Response delivered = new MockAdmin(target).job(id);
        assertEquals("conformance", delivered.jsonPath().getString("delivered.s3Config.bucketName"),
                "the job as delivered to its worker lacks s3Config: " + delivered.asString());
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals(s3.endpoint() + "/conformance/" + key, done.jsonPath().getString("output"), done.asString());
        assertEquals("{\"stored\":\"" + key + "\"}", s3.read("conformance", key));
    }

    @Test
    @Requirement("S3-006")
    @CaughtBy("s3-secret-in-error")
    @DisplayName("a failed upload ends the job FAILED with an error that never names the secret")
    void aFailedUploadNeverNamesTheSecret(Target target) throws Exception {
        S3ProxyProcess s3 = store(target);
        String wrongSecret = "wrong-secret-" + UUID.randomUUID();
        target.addSecret(wrongSecret);
        String body = s3Body(s3, "denied/" + UUID.randomUUID()).replace(s3.credential(), wrongSecret);
        String id = Jobs.run(target, body);
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("FAILED", done.jsonPath().getString("status"), done.asString());
        assertTrue(done.jsonPath().getString("error").contains("upload"), "the error should say the upload failed: " + done.asString());
        assertFalse(done.asString().contains(wrongSecret), "the FAILED job's error names the s3Config secret");
    }

    @Test
    @Requirement("S3-007")
    @CaughtBy("admin-shows-secrets")
    @DisplayName("the admin views show s3Config redacted")
    void adminViewsRedactTheSecret(Target target) throws Exception {
        S3ProxyProcess s3 = store(target);
        String id = Jobs.run(target, s3Body(s3, "redacted/" + UUID.randomUUID()));
        Jobs.awaitTerminal(target, id, 120_000);
        for (String path : new String[] {"/jobs/" + id, "/jobs"}) {
            String body = RestAssured.given().get(target.adminUrl(path)).asString();
            assertFalse(body.contains(s3.credential()), "GET /__admin" + path + " shows the s3Config secret");
            assertFalse(body.contains(s3.identity()), "GET /__admin" + path + " shows the s3Config access id");
        }
        assertTrue(new MockAdmin(target).job(id).asString().contains("\"accessSecret\":\"***\""), "the secret should show as ***");
    }
}
