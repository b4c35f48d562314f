package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A finished job is kept as JSON text, not as trees (StoredJson): what it reads back must be what it was given,
 * views must not share a tree a caller could change, and a retry must run with the original input.
 */
class StoredJobTest {

    /** Numbers of every kind, escapes, unicode beyond the BMP, nesting, null and empty containers. */
    private static final String AWKWARD = "{\"int\": 7, \"long\": 9007199254740993, \"big\": 123456789012345678901234567890,"
            + " \"dec\": 0.1, \"exp\": 1.5e300, \"neg\": -0.0, \"text\": \"tab\\t quote\\\" slash\\\\ é 日本 🚀\","
            + " \"nested\": [[1, [2, [3, {\"k\": null}]]], {}, []], \"t\": true, \"f\": false}";

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void anEchoJobReadsBackItsInputAsOutputExactly() {
        JsonNode given = EngineFixture.json(AWKWARD);
        String id = f.submit(AWKWARD).id();
        f.advance(0);
        f.assertStatus(JobStatus.COMPLETED, id);
        JobView stored = f.job(id);
        assertEquals(given, stored.input());
        assertEquals(given, stored.output());
        assertEquals(given, f.terminalEvents.get(0).output(), "the webhook's view saw the same output");
    }

    @Test
    void aReturnedValueThatIsNotTheInputIsKeptToo() {
        String id = f.submit("{\"mock_return\": " + AWKWARD + ", \"other\": 1}").id();
        f.advance(0);
        assertEquals(EngineFixture.json(AWKWARD), f.job(id).output());
        assertEquals(EngineFixture.json("{\"mock_return\": " + AWKWARD + ", \"other\": 1}"), f.job(id).input());
    }

    @Test
    void aChangedTreeFromOneViewDoesNotChangeTheStoredJob() {
        String id = f.submit("{\"a\": 1}").id();
        f.advance(0);
        JobView first = f.job(id);
        ((ObjectNode) first.input()).put("a", 2);
        ((ObjectNode) first.output()).put("added", true);
        JobView second = f.job(id);
        assertNotSame(first.output(), second.output());
        assertEquals(EngineFixture.json("{\"a\": 1}"), second.input());
        assertEquals(EngineFixture.json("{\"a\": 1}"), second.output());
    }

    @Test
    void aRetriedJobRunsWithItsOriginalInputAndEchoesItAgain() {
        String id = f.submit("{\"mock_error\": \"boom\", \"keep\": [1, 2, 3]}").id();
        f.advance(0);
        f.assertStatus(JobStatus.FAILED, id);
        assertEquals(Engine.RetryOutcome.REQUEUED, f.engine.retry(EP, id).outcome());
        f.advance(0);
        JobView again = f.job(id);
        assertEquals(JobStatus.FAILED, again.status(), "the same input fails the same way");
        assertTrue(again.error().contains("boom"), again.error());
        assertEquals(EngineFixture.json("{\"mock_error\": \"boom\", \"keep\": [1, 2, 3]}"), again.input());
    }
}
