package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code policy} values (seeds; runpod-api.md §3; DEC-001, DEC-024, DEC-026): executionTimeout 5000..604800000
 * and ttl 10000..604800000 integer ms, lowPriority a boolean; a violation is a 400 naming the field. Rejected
 * bodies start no job, so those checks cost nothing; the few that must see a policy accepted cancel the job
 * at once.
 */
@ConformanceCheck
@Spend(Spend.Tier.NONE)
@DisplayName("Policy validation")
class PolicyValidationChecks {

    private static void assertPolicyRejected(Target target, String policy, String field) {
        BodyChecks.assertRejected(target, "{\"input\": {\"mock_return\": \"must not run\"}, \"policy\": " + policy + "}", field);
    }

    /** POST /run with this policy must answer 200; the job is cancelled at once. */
    private static void assertPolicyAccepted(Target target, String policy) {
        Response r = target.given().body("{\"input\": {\"mock_return\": \"accepted\"}, \"policy\": " + policy + "}")
                .post(target.url("run"));
        String id = r.statusCode() == 200 ? r.jsonPath().getString("id") : null;
        if (id != null) {
            Pool.cancel(target, List.of(id));
        }
        assertEquals(200, r.statusCode(), "policy " + policy + " should be accepted; POST /run answered "
                + r.statusCode() + ": " + r.asString());
    }

    @Test
    @Requirement("POLICY-001")
    @CaughtBy({"policy-range-unchecked", "error-not-naming-field"})
    @DisplayName("policy.executionTimeout below 5000 ms is rejected with 400 naming policy.executionTimeout")
    void executionTimeoutBelowTheMinimumIsRejected(Target target) {
        for (String ms : List.of("4999", "1000", "0", "-1")) {
            assertPolicyRejected(target, "{\"executionTimeout\": " + ms + "}", "policy.executionTimeout");
        }
    }

    @Test
    @Requirement("POLICY-001")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("a policy.executionTimeout that is not an integer is rejected with 400 naming policy.executionTimeout")
    void executionTimeoutMustBeAnInteger(Target target) {
        for (String value : List.of("6000.5", "\"6000\"", "true", "[6000]", "{\"ms\": 6000}")) {
            assertPolicyRejected(target, "{\"executionTimeout\": " + value + "}", "policy.executionTimeout");
        }
    }

    @Test
    @Requirement("POLICY-002")
    @CaughtBy({"policy-range-unchecked", "error-not-naming-field"})
    @DisplayName("policy.executionTimeout above 7 days (604800000 ms) is rejected with 400 naming policy.executionTimeout")
    void executionTimeoutAboveSevenDaysIsRejected(Target target) {
        for (String ms : List.of("604800001", "1000000000000")) {
            assertPolicyRejected(target, "{\"executionTimeout\": " + ms + "}", "policy.executionTimeout");
        }
    }

    @Test
    @Requirement("POLICY-003")
    @CaughtBy({"policy-range-unchecked", "error-not-naming-field"})
    @DisplayName("policy.ttl below 10000 ms is rejected with 400 naming policy.ttl")
    void ttlBelowTheMinimumIsRejected(Target target) {
        for (String ms : List.of("9999", "5000", "0", "-1")) {
            assertPolicyRejected(target, "{\"ttl\": " + ms + "}", "policy.ttl");
        }
    }

    @Test
    @Requirement("POLICY-003")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("a policy.ttl that is not an integer is rejected with 400 naming policy.ttl")
    void ttlMustBeAnInteger(Target target) {
        for (String value : List.of("20000.5", "\"20000\"", "false", "[20000]")) {
            assertPolicyRejected(target, "{\"ttl\": " + value + "}", "policy.ttl");
        }
    }

    @Test
    @Requirement("POLICY-004")
    @CaughtBy({"policy-range-unchecked", "error-not-naming-field"})
    @DisplayName("policy.ttl above one week (604800000 ms) is rejected with 400 naming policy.ttl")
    void ttlAboveOneWeekIsRejected(Target target) {
        for (String ms : List.of("604800001", "1000000000000")) {
            assertPolicyRejected(target, "{\"ttl\": " + ms + "}", "policy.ttl");
        }
    }

    @Test
    @Requirement("POLICY-005")
    @CaughtBy({"accept-wrong-types", "error-not-naming-field"})
    @DisplayName("a policy.lowPriority that is not a boolean is rejected with 400 naming policy.lowPriority")
    void lowPriorityMustBeABoolean(Target target) {
        for (String value : List.of("\"true\"", "1", "0", "\"yes\"", "[]", "{}")) {
            assertPolicyRejected(target, "{\"lowPriority\": " + value + "}", "policy.lowPriority");
        }
    }

    @Test
    @Spend(Spend.Tier.CHEAP)
    @Requirement({"POLICY-001", "POLICY-002", "POLICY-003", "POLICY-004"})
    @CaughtBy("policy-min-exclusive")
    @DisplayName("the bounds themselves are accepted: executionTimeout 5000 and 604800000 ms, ttl 10000 and 604800000 ms")
    void theBoundsThemselvesAreAccepted(Target target) {
        assertPolicyAccepted(target, "{\"executionTimeout\": 5000, \"ttl\": 10000}");
        assertPolicyAccepted(target, "{\"executionTimeout\": 604800000, \"ttl\": 604800000}");
    }

    @Test
    @Spend(Spend.Tier.CHEAP)
    @Requirement("POLICY-006")
    @CaughtBy("policy-unknown-keys-rejected")
    @DisplayName("unknown keys inside policy are ignored, and a ttl below the executionTimeout is accepted")
    void unknownPolicyKeysAndTtlBelowTimeoutAreAccepted(Target target) {
        assertPolicyAccepted(target, "{\"executionTimeout\": 60000, \"priority\": \"high\", \"maxRetries\": 3}");
        assertPolicyAccepted(target, "{\"executionTimeout\": 600000, \"ttl\": 10000}");
    }
}
