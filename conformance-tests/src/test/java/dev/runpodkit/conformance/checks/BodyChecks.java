package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The request body: a JSON object with an {@code input} object; optional webhook, policy, s3Config; anything
 * else discarded (seeds; runpod-api.md §3). Rejected bodies start no job, so these cost nothing.
 */
@ConformanceCheck
@Spend(Spend.Tier.NONE)
@DisplayName("Request body")
class BodyChecks {

    /** Posts {@code body} to /run and /runsync and asserts a 400 whose error message names {@code field}. */
    static void assertRejected(Target target, String body, String field) {
        for (String op : List.of("run", "runsync")) {
            Response r = target.given().body(body).post(target.url(op));
            assertEquals(400, r.statusCode(), "POST /" + op + " with " + body + " answered " + r.statusCode() + ": " + r.asString());
            if (field != null) {
                String error = r.jsonPath().getString("error");
                assertTrue(error != null && error.toLowerCase(Locale.ROOT).contains(field.toLowerCase(Locale.ROOT)),
                        "the 400 for " + body + " should name '" + field + "', but says: " + error);
            }
        }
    }

    @Test
    @Requirement("BODY-001")
    @CaughtBy({"accept-missing-input", "error-not-naming-field"})
    @DisplayName("a body without input is rejected with 400 naming input")
    void aBodyWithoutInputIsRejected(Target target) {
        assertRejected(target, "{}", "input");
        assertRejected(target, "{\"prompt\": \"hello\"}", "input");
        assertRejected(target, "{\"webhook\": \"https://example.com/hook\"}", "input");
        assertRejected(target, "[{\"input\": {}}]", "input");
    }

    @Test
    @Requirement("BODY-002")
    @CaughtBy({"accept-non-object-input", "error-not-naming-field"})
    @DisplayName("input that is not an object is rejected with 400 naming input")
    void inputMustBeAnObject(Target target) {
        for (String input : List.of("\"hello\"", "42", "true", "[1, 2]")) {
            assertRejected(target, "{\"input\": " + input + "}", "input");
        }
    }

    @Test
    @Requirement({"BODY-003", "ERR-007"})
    @CaughtBy("malformed-json-500")
    @DisplayName("a body that is not JSON is rejected with 400, never 500")
    void malformedJsonIs400(Target target) {
        for (String body : List.of("{\"input\": {", "{\"input\": {}} trailing", "not json at all", "{'input': {}}")) {
            assertRejected(target, body, null);
        }
    }

    @Test
    @Requirement("BODY-004")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("a webhook that is not a string is rejected with 400 naming webhook")
    void webhookMustBeAString(Target target) {
        assertRejected(target, "{\"input\": {}, \"webhook\": 42}", "webhook");
        assertRejected(target, "{\"input\": {}, \"webhook\": {\"url\": \"https://example.com\"}}", "webhook");
    }

    @Test
    @Requirement("BODY-005")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("a policy that is not an object is rejected with 400 naming policy")
    void policyMustBeAnObject(Target target) {
        assertRejected(target, "{\"input\": {}, \"policy\": \"fast\"}", "policy");
        assertRejected(target, "{\"input\": {}, \"policy\": [1]}", "policy");
    }

    @Test
    @Requirement("BODY-006")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("an s3Config that is not an object is rejected with 400 naming s3Config")
    void s3ConfigMustBeAnObject(Target target) {
        assertRejected(target, "{\"input\": {}, \"s3Config\": \"s3://bucket\"}", "s3Config");
        assertRejected(target, "{\"input\": {}, \"s3Config\": true}", "s3Config");
    }

    @Test
    @Spend(Spend.Tier.CHEAP)
    @NeedsAdmin
    @Requirement("BODY-007")
    @CaughtBy("keep-unknown-keys")
    @DisplayName("unknown top-level keys are accepted but never reach the worker")
    void unknownTopLevelKeysAreDiscarded(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"ok\"}, \"extraTopLevelKey\": \"drop-me\", \"priority\": 7}");
        Response delivered = target.givenWithoutAuth().get(target.adminUrl("/jobs/" + id));
        assertEquals(200, delivered.statusCode(), delivered.asString());
        String job = delivered.jsonPath().getString("delivered").toString();
        assertFalse(delivered.asString().contains("extraTopLevelKey") || delivered.asString().contains("drop-me"),
                "the job as delivered to the worker carries an unknown top-level key: " + job);
        assertTrue(delivered.asString().contains("mock_return"), "the delivered job lost its input: " + job);
    }

    @Test
    @Spend(Spend.Tier.CHEAP)
    @dev.runpodkit.conformance.support.NeedsMockWorker
    @Requirement("BODY-008")
    @CaughtBy("policy-min-exclusive")
    @DisplayName("a body with input and valid webhook, policy and s3Config is accepted by /run and /runsync")
    void aBodyWithEveryOptionalKeyIsAccepted(Target target) {
        String body = "{\"input\": {\"mock_return\": \"all keys\"}, \"webhook\": \"http://127.0.0.1:9/hook\", "
                + "\"policy\": {\"executionTimeout\": 5000, \"ttl\": 600000, \"lowPriority\": false}, "
                + "\"s3Config\": {\"accessId\": \"a\", \"accessSecret\": \"body-008-secret\", \"bucketName\": \"b\", "
                + "\"endpointUrl\": \"http://127.0.0.1:9000\", \"objectPath\": \"out/\"}}";
        target.addSecret("body-008-secret");
        for (String op : List.of("run", "runsync")) {
            Response r = target.given().body(body).post(target.url(op));
            assertEquals(200, r.statusCode(), "/" + op + " refused a valid body: " + r.asString());
        }
    }
}
