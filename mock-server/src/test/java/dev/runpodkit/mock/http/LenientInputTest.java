package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** strictInput=false (--lenient-input, DEC-011, BODY-009): a body without input is accepted and delivered without one. */
class LenientInputTest {

    @Test
    void aBodyWithoutInputIsAcceptedAndDeliveredWithoutAnInputKey() {
        try (MockHarness h = MockHarness.frozen(s -> s.strictInput = false)) {
            for (String body : new String[] {"{}", "{\"prompt\": \"no input\"}", "{\"input\": null}"}) {
                Reply r = h.post(ep("/run"), body);
                assertEquals(200, r.status(), r::toString);
                JsonNode delivered = h.get("/__admin/jobs/" + r.text("id")).json().get("delivered");
                assertFalse(delivered.has("input"), body + " was delivered with an input: " + delivered);
                assertFalse(delivered.toString().contains("prompt"), "an unknown key reached the worker: " + delivered);
            }
            h.advance(0);
            assertEquals(3, h.get("/__admin/jobs?status=COMPLETED").json().get("count").asInt(),
                    "the built-in worker runs such a job with an empty input");
            assertError(400, h.post(ep("/run"), "{\"input\": \"text\"}")); // lenient about absence, not about type
        }
    }

    @Test
    void strictInputIsTheDefault() {
        try (MockHarness h = MockHarness.frozen()) {
            assertError(400, h.post(ep("/run"), "{}"));
            h.send("PATCH", "/__admin/settings", "{\"strictInput\": false}");
            assertEquals(200, h.post(ep("/run"), "{}").status(), "and it can be switched at run time");
        }
    }

    @Test
    void withKeepUnknownKeysTheUnknownKeysBecomeTheInput() {
        try (MockHarness h = MockHarness.frozen(s -> {
            s.strictInput = false;
            s.defects.add(Defect.KEEP_UNKNOWN_KEYS);
        })) {
            Reply r = h.post(ep("/run"), "{\"prompt\": \"kept\"}");
            JsonNode delivered = h.get("/__admin/jobs/" + r.text("id")).json().get("delivered");
            assertEquals("kept", delivered.get("input").get("prompt").asString(), delivered::toString);
        }
    }
}
