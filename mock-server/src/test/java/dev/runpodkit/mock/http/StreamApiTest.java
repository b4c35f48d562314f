package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.await;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static dev.runpodkit.mock.testing.MockHarness.stillHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET|POST /stream/{id}: always a "stream" array of {output} chunks, each chunk delivered once. */
class StreamApiTest {

    private static final String GEN = "{\"mock_generator\": true, \"mock_return\": [\"a\", {\"b\": 2}, 3], \"mock_delay\": 1}";

    private final MockHarness m = MockHarness.frozen();

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void streamShapeArrayAnswersOnlyTheDrainedChunks() {
        try (MockHarness bare = MockHarness.frozen(s -> s.streamShape = dev.runpodkit.mock.config.Settings.StreamShape.ARRAY)) {
            String id = bare.run(GEN);
            bare.advance(1_000);
            Reply first = bare.get(ep("/stream/" + id));
            assertEquals(200, first.status(), first::toString);
            assertEquals("[{\"output\":\"a\"}]", first.json().toString());
            bare.advance(2_000);
            assertEquals("[{\"output\":{\"b\":2}},{\"output\":3}]", bare.get(ep("/stream/" + id)).json().toString());
            assertEquals("[]", bare.get(ep("/stream/" + id)).json().toString(), "drained: nothing is sent twice");
        }
    }

    @Test
    void chunksAreDrainedUntilTheJobEndsAndTheStreamIsEmpty() {
        String id = m.run(GEN);
        m.advance(1_000);
        Reply first = m.get(ep("/stream/" + id));
        assertSchema("stream-response", first);
        assertEquals("IN_PROGRESS", first.text("status"));
        assertEquals("[{\"output\":\"a\"}]", first.json().get("stream").toString());
        assertEquals(id, first.text("id"));

        m.advance(2_000);
        Reply rest = m.post(ep("/stream/" + id), null);
        assertSchema("stream-response", rest);
        assertEquals("COMPLETED", rest.text("status"));
        assertEquals("[{\"output\":{\"b\":2}},{\"output\":3}]", rest.json().get("stream").toString());

        Reply end = m.get(ep("/stream/" + id));
        assertSchema("stream-response", end);
        assertEquals("COMPLETED", end.text("status"));
        assertEquals("[]", end.json().get("stream").toString(), "drained chunks are not sent again");
    }

    @Test
    void anEmptyStreamHoldsUntilAChunkArrives() {
        String id = m.run(GEN);
        CompletableFuture<Reply> held = m.sendHeld("GET", ep("/stream/" + id + "?wait=5000"), null, 1);
        m.advance(999);
        assertTrue(stillHeld(held));
        m.advance(1);
        Reply r = await(held);
        assertSchema("stream-response", r);
        assertEquals("[{\"output\":\"a\"}]", r.json().get("stream").toString());
    }

    @Test
    void withoutWaitAnEmptyStreamHoldsTenSeconds() {
        String id = m.run("{\"mock_generator\": true, \"mock_return\": [1], \"mock_delay\": 60}");
        CompletableFuture<Reply> held = m.sendHeld("GET", ep("/stream/" + id), null, 1);
        m.advance(9_999);
        assertTrue(stillHeld(held));
        m.advance(1);
        Reply r = await(held);
        assertSchema("stream-response", r);
        assertEquals("IN_PROGRESS", r.text("status"));
        assertEquals("[]", r.json().get("stream").toString());
    }

    @Test
    void aNonGeneratorJobStreamsNothingButEndsNormally() {
        String id = m.run("{\"mock_return\": \"whole\"}");
        m.advance(0);
        Reply r = m.get(ep("/stream/" + id));
        assertSchema("stream-response", r);
        assertEquals("COMPLETED", r.text("status"));
        assertEquals("[]", r.json().get("stream").toString());
    }

    @Test
    void aFailedStreamingJobCarriesItsError() {
        String id = m.run("{\"mock_generator\": true, \"mock_return\": [1], \"mock_error\": \"gen broke\"}");
        m.advance(0);
        Reply r = m.get(ep("/stream/" + id));
        assertSchema("stream-response", r);
        assertEquals("FAILED", r.text("status"));
        assertTrue(r.text("error").contains("gen broke"));
        assertEquals("[{\"output\":1}]", r.json().get("stream").toString());
    }

    /**
     * runpod-python reports a raising generator handler as plain text "handler: <message> \ntraceback: ..."
     * (runpod-api.md §6.2.5; wire-captures.md §3), not as the JSON text it posts for a plain handler (§6.2.4).
     */
    @Test
    void aRaisingGeneratorIsReportedAsRunpodPythonDoesForGenerators() {
        String gen = m.run("{\"mock_generator\": true, \"mock_return\": [1, 2], \"mock_error\": \"gen failed\"}");
        String plain = m.run("{\"mock_error\": \"plain failed\"}");
        m.advance(0);
        Reply failed = m.status(gen);
        assertSchema("job-status", failed);
        assertEquals("FAILED", failed.text("status"));
        String error = failed.text("error");
        assertTrue(error.startsWith("handler: gen failed \ntraceback: Traceback (most recent call last):\n"), error);
        assertTrue(error.endsWith("Exception: gen failed\n"), error);
        assertEquals(error, m.get(ep("/stream/" + gen)).text("error"), "/stream shows the same error");
        // a plain handler that raises still posts the JSON text of error_type, error_message, ...
        String plainError = m.status(plain).text("error");
        assertEquals("plain failed", Json.MAPPER.readTree(plainError)
                .get("error_message").asString(), plainError);
    }

    /**
     * HEAD is a safe method (RFC 9110 §9.2.1): a HEAD /stream, which the route table serves because GET is served,
     * must not drain chunks whose body the client never receives, nor hold the connection.
     */
    @Test
    void headDrainsNothingAndDoesNotHold() {
        String id = m.run(GEN);
        m.advance(1_000);
        Reply head = m.send("HEAD", ep("/stream/" + id), null);
        assertEquals(200, head.status(), head::toString);
        assertEquals("", head.body());
        Reply get = m.get(ep("/stream/" + id));
        assertEquals("[{\"output\":\"a\"}]", get.json().get("stream").toString(), "the chunk a HEAD saw is still there");

        Reply emptyHead = m.send("HEAD", ep("/stream/" + id + "?wait=5000"), null);
        assertEquals(200, emptyHead.status(), "a HEAD on a stream with nothing pending answers at once");
        assertEquals(404, m.send("HEAD", ep("/stream/no-such-job"), null).status());
    }
}
