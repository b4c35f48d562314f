package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The mock's lenient input mode (strictInput=false; DEC-011): a body without input is accepted, as real
 * endpoints have been seen doing (runpod-api.md §3, §9 item 8). A setting of the mock, so only the mock is checked.
 */
@ConformanceCheck
@NeedsAdmin
@DisplayName("Lenient input")
class LenientInputChecks {

    @Test
    @Requirement("BODY-009")
    @CaughtBy("keep-unknown-keys")
    @DisplayName("with strictInput=false a body without input is accepted and its job reaches the worker without an input key")
    void aBodyWithoutInputIsDeliveredWithoutOne(Target target) {
        MockAdmin admin = new MockAdmin(target);
        admin.withSettings("{\"strictInput\": false}", () -> {
            Response sync = target.given().body("{}").post(target.url("runsync"));
            assertEquals(200, sync.statusCode(), "POST /runsync {} in lenient mode: " + sync.asString());
            for (String body : new String[] {"{}", "{\"prompt\": \"no input here\"}"}) {
                String id = Jobs.run(target, body);
                Response view = admin.job(id);
                assertEquals(200, view.statusCode(), view.asString());
                Map<String, Object> delivered = view.jsonPath().getMap("delivered");
                assertFalse(delivered.containsKey("input"), "the job of " + body + " reached its worker with an input: " + delivered);
                Jobs.awaitTerminal(target, id, 120_000);
            }
        });
    }
}
