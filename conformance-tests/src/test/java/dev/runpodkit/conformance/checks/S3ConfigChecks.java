package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * s3Config "is only passed onto the worker; it will not be returned as part of the job request output"
 * (seeds; docs:send-requests). The credentials used here are random, unique per run and point nowhere.
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("s3Config")
class S3ConfigChecks {

    private static String accessId;
    private static String secret;

    private static String bodyWithS3(Target target, String extraInput) {
        accessId = "AKIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
        secret = "s3secret-" + UUID.randomUUID();
        target.addSecret(accessId);
        target.addSecret(secret);
        return "{\"input\": {\"mock_return\": \"stored\"" + extraInput + "}, \"s3Config\": {\"accessId\": \"" + accessId
                + "\", \"accessSecret\": \"" + secret + "\", \"bucketName\": \"conformance-bucket\", "
                + "\"endpointUrl\": \"http://127.0.0.1:9\"}}";
    }

    private static void assertNoS3Config(String where, Response r) {
        String body = r.asString();
        assertFalse(body.contains("s3Config"), where + " answer contains s3Config");
        assertFalse(body.contains(secret), where + " answer contains the s3Config secret");
        assertFalse(body.contains(accessId), where + " answer contains the s3Config access id");
    }

    @Test
    @Requirement("S3-001")
    @CaughtBy("leak-s3config")
    @DisplayName("/run never returns s3Config")
    void runDoesNotReturnS3Config(Target target) {
        Response r = target.given().body(bodyWithS3(target, "")).post(target.url("run"));
        assertEquals(200, r.statusCode(), "a valid s3Config must be accepted");
        assertNoS3Config("/run", r);
    }

    @Test
    @Requirement("S3-002")
    @CaughtBy("leak-s3config")
    @DisplayName("/runsync never returns s3Config")
    void runsyncDoesNotReturnS3Config(Target target) {
        Response r = target.given().body(bodyWithS3(target, "")).post(target.url("runsync"));
        assertEquals(200, r.statusCode(), "a valid s3Config must be accepted");
        assertNoS3Config("/runsync", r);
    }

    @Test
    @Requirement("S3-003")
    @CaughtBy("leak-s3config")
    @DisplayName("/status never returns s3Config, while queued, running or done")
    void statusDoesNotReturnS3Config(Target target) {
        String id = Jobs.run(target, bodyWithS3(target, ", \"mock_delay\": 1"));
        assertNoS3Config("/status", Jobs.status(target, id));
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertNoS3Config("/status", done);
    }

    @Test
    @dev.runpodkit.conformance.support.Spend(dev.runpodkit.conformance.support.Spend.Tier.NONE)
    @Requirement("S3-004")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("an s3Config missing a field, or with a non-string one, is rejected with 400 naming it")
    void s3ConfigFieldsAreChecked(Target target) {
        String good = "\"accessId\": \"a\", \"accessSecret\": \"s\", \"bucketName\": \"b\", \"endpointUrl\": \"http://127.0.0.1:9\"";
        for (String field : new String[] {"accessId", "accessSecret", "bucketName", "endpointUrl"}) {
            String without = good.replaceAll("\"" + field + "\": \"[^\"]*\",? ?", "").replaceAll(", $", "");
            BodyChecks.assertRejected(target, "{\"input\": {}, \"s3Config\": {" + without + "}}", "s3Config." + field);
            String wrongType = good.replaceAll("\"" + field + "\": \"[^\"]*\"", "\"" + field + "\": 42");
            BodyChecks.assertRejected(target, "{\"input\": {}, \"s3Config\": {" + wrongType + "}}", "s3Config." + field);
        }
        BodyChecks.assertRejected(target, "{\"input\": {}, \"s3Config\": {" + good + ", \"objectPath\": 7}}", "s3Config.objectPath");
    }

    @Test
    @Requirement("S3-006")
    @CaughtBy("leak-s3config-everywhere")
    @DisplayName("/status-sync, /stream, /cancel, /retry and error answers never return s3Config")
    void noOtherAnswerReturnsS3Config(Target target) {
        String failing = bodyWithS3(target, ", \"mock_error\": true");
        String id = Jobs.run(target, failing);
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("FAILED", done.jsonPath().getString("status"), done.asString());
        assertNoS3Config("/status-sync", target.given().get(target.url("status-sync/" + id)));
        assertNoS3Config("/stream", target.given().get(target.url("stream/" + id)));
        assertNoS3Config("/retry", target.given().post(target.url("retry/" + id)));
        assertNoS3Config("/cancel", target.given().post(target.url("cancel/" + id)));
        // an error answer to a body carrying s3Config
        assertNoS3Config("an error", target.given().body(bodyWithS3(target, "").replace("\"input\": {", "\"input\": [{").replace("}, \"s3Config\"", "}], \"s3Config\""))
                .post(target.url("run")));
    }
}
