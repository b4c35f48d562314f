package dev.runpodkit.conformance.checks;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** API keys: both header forms RunPod's docs and SDKs use, and 401 without a good one (runpod-api.md §1). */
@ConformanceCheck
@Spend(Spend.Tier.NONE)
@DisplayName("Auth")
class AuthChecks {

    @Test
    @Requirement("AUTH-001")
    @CaughtBy("reject-bearer")
    @DisplayName("a key sent as 'Authorization: Bearer <key>' is accepted")
    void bearerKeyIsAccepted(Target target) {
        target.given().get(target.url("health")).then().statusCode(200);
        // the scheme name is case-insensitive (RFC 9110 §11.1)
        target.givenWithoutAuth().header("Authorization", "bearer " + target.apiKey())
                .get(target.url("health")).then().statusCode(200);
    }

    @Test
    @Requirement("AUTH-002")
    @CaughtBy("reject-raw-key")
    @DisplayName("a key sent raw as 'Authorization: <key>' is accepted")
    void rawKeyIsAccepted(Target target) {
        target.givenRawKey().get(target.url("health")).then().statusCode(200);
    }

    @Test
    @Requirement("AUTH-003")
    @CaughtBy({"no-auth", "error-body-text"})
    @DisplayName("a request without a key is refused with 401 and a JSON error")
    void missingKeyIs401(Target target) {
        target.givenWithoutAuth().get(target.url("health"))
                .then().statusCode(401).contentType(containsString("application/json"));
        target.givenWithoutAuth().body("{\"input\":{}}").post(target.url("run"))
                .then().statusCode(401).contentType(containsString("application/json"));
    }

    @Test
    @Requirement("AUTH-004")
    @CaughtBy("no-auth")
    @DisplayName("a wrong key is refused with 401 in both header forms")
    void wrongKeyIs401(Target target) {
        target.givenWithoutAuth().header("Authorization", "Bearer not-the-key-" + System.nanoTime())
                .get(target.url("health")).then().statusCode(401);
        target.givenWithoutAuth().header("Authorization", "not-the-key-" + System.nanoTime())
                .get(target.url("health")).then().statusCode(401)
                .body(not(containsString(target.apiKey())));
    }
}
