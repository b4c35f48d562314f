package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.target.Target;
import io.restassured.builder.ResponseBuilder;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

/**
 * A wait that gives up says what the target last answered (status code and body, secrets blanked), not the
 * response object's identity ("last seen: io.restassured.internal.RestAssuredResponseImpl@1bc6c20d").
 */
class PollMessageTest {

    private static final String KEY = "sk-poll-secret-0123456789";

    private final Target target = new Target("http://127.0.0.1:1/v2", "ep", KEY, Spend.Tier.NONE, false, 1000.0,
            null, "a target nobody calls", null);

    private final Response queued = new ResponseBuilder().setStatusCode(200).setContentType("application/json")
            .setBody("{\"id\": \"job-1\", \"status\": \"IN_QUEUE\", \"echo\": \"" + KEY + "\"}").build();

    private static void assertShowsTheAnswer(AssertionError e) {
        String message = e.getMessage();
        assertTrue(message.contains("200") && message.contains("\"status\": \"IN_QUEUE\""), message);
        assertFalse(message.contains("RestAssuredResponseImpl@"), message);
        assertFalse(message.contains(KEY), "a secret in the message: " + message);
    }

    @Test
    void untilShowsTheLastAnswer() {
        assertShowsTheAnswer(assertThrows(AssertionError.class,
                () -> Poll.until(target, 1, "job job-1 to end", () -> queued, r -> false)));
    }

    @Test
    void steppingShowsTheLastAnswer() {
        assertShowsTheAnswer(assertThrows(AssertionError.class,
                () -> Poll.stepping(target, 1, 0, "job job-1 to end", () -> queued, r -> false)));
    }
}
