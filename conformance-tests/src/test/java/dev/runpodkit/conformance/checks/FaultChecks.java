package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A fault of the endpoint itself (seeds/004 error table: 500 "worker may have crashed"; DEC-023). A real endpoint
 * cannot be made to fail on purpose, so this is provoked through the mock's fault switch.
 */
@ConformanceCheck
@NeedsAdmin
@Spend(Spend.Tier.NONE)
@DisplayName("Endpoint faults")
class FaultChecks {

    @Test
    @Requirement("ERR-008")
    @CaughtBy("injected-fault-as-text")
    @DisplayName("a fault of the endpoint answers 500 with a JSON error body and no stack trace")
    void aFaultIs500WithAJsonError(Target target) {
        MockAdmin admin = new MockAdmin(target);
        admin.armFaults(1);
        try {
            Response r = target.given().get(target.url("health"));
            assertEquals(500, r.statusCode(), "with a fault armed, GET /health answered " + r.statusCode() + ": " + r.asString());
            ErrorChecks.assertJsonError(r);
            for (String marker : List.of("\tat ", "Exception", "Traceback", ".java:")) {
                assertFalse(r.asString().contains(marker), "the 500 carries internal detail ('" + marker.strip() + "'): " + r.asString());
            }
        } finally {
            admin.armFaults(0);
        }
        assertEquals(200, target.given().get(target.url("health")).statusCode(), "the fault was one request; the next is served");
    }
}
