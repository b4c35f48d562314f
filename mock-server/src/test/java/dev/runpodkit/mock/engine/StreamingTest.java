package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static dev.runpodkit.mock.engine.EngineFixture.await;
import static dev.runpodkit.mock.engine.EngineFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Generator mode (mock_generator) and /stream's drain: every chunk is handed out exactly once. */
class StreamingTest {

    private static final String ABC = "{\"mock_generator\": true, \"mock_return\": [\"a\", \"b\", \"c\"], \"mock_delay\": 1";

    private EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private StreamBatch drain(String id) {
        return await(f.engine.drainStream(EP, id, 0)).orElseThrow(() -> new AssertionError("job " + id + " is gone"));
    }

    private static List<JsonNode> texts(String... values) {
        List<JsonNode> out = new ArrayList<>();
        for (String v : values) {
            out.add(json("\"" + v + "\""));
        }
        return out;
    }

    @Test
    void chunksAreHandedOutOnceEachAsTheyAreProduced() {
        String id = f.submit(ABC + "}").id();

        StreamBatch none = drain(id);
        assertEquals(List.of(), none.chunks());
        assertEquals(JobStatus.IN_PROGRESS, none.job().status());

        f.advance(1_000);
        assertEquals(texts("a"), drain(id).chunks());
        assertEquals(List.of(), drain(id).chunks(), "a drained chunk is never returned again");

        f.advance(2_000);
        StreamBatch rest = drain(id);
        assertEquals(texts("b", "c"), rest.chunks());
        assertEquals(JobStatus.COMPLETED, rest.job().status());

        StreamBatch end = drain(id);
        assertEquals(List.of(), end.chunks());
        assertEquals(JobStatus.COMPLETED, end.job().status(), "terminal and empty: the stream is over");
    }

    @Test
    void withMockAggregateTheOutputIsTheListOfChunks() {
        String id = f.submit(ABC + ", \"mock_aggregate\": true}").id();
        f.advance(3_000);
        assertEquals(JobStatus.COMPLETED, f.status(id));
        assertEquals(json("[\"a\", \"b\", \"c\"]"), f.job(id).output());
        assertEquals(3_000L, f.job(id).executionTime());
    }

    @Test
    void withoutAggregationTheOutputIsAnEmptyList() {
        String id = f.submit(ABC + "}").id();
        f.advance(3_000);
        assertEquals(JobStatus.COMPLETED, f.status(id));
        assertEquals(json("[]"), f.job(id).output());
        assertEquals(texts("a", "b", "c"), drain(id).chunks(), "the chunks are still there for /stream");
    }

    @Test
    void theEndpointSettingsTurnGeneratorAndAggregationOnForEveryJob() {
        f.close();
        f = new EngineFixture(s -> {
            s.generator = true;
            s.aggregateStream = true;
        });
        String id = f.submit("{\"mock_return\": [1, 2]}").id();
        f.advance(0);
        assertEquals(json("[1, 2]"), f.job(id).output());
        assertEquals(List.of(json("1"), json("2")), drain(id).chunks());

        String single = f.submit("{\"mock_generator\": false, \"mock_return\": [1, 2]}").id();
        f.advance(0);
        assertEquals(json("[1, 2]"), f.job(single).output());
        assertEquals(List.of(), drain(single).chunks(), "mock_generator false overrides the endpoint setting");
    }

    @Test
    void aGeneratorWithoutMockReturnYieldsHelloWorld() {
        String id = f.submit("{\"mock_generator\": true}").id();
        f.advance(0);
        assertEquals(texts("Hello World!"), drain(id).chunks());
    }

    @Test
    void aWaitingDrainIsAnsweredByTheNextChunk() {
        String id = f.submit(ABC + "}").id();
        CompletableFuture<Optional<StreamBatch>> waiting = f.engine.drainStream(EP, id, 5_000);
        assertTrue(EngineFixture.stillPending(waiting));

        f.advance(1_000);
        StreamBatch batch = await(waiting).orElseThrow();
        assertEquals(texts("a"), batch.chunks());
        assertEquals(JobStatus.IN_PROGRESS, batch.job().status());
    }

    @Test
    void aWaitingDrainWithNothingNewAnswersEmptyWhenItsWaitRunsOut() {
        String id = f.submit("{\"mock_generator\": true, \"mock_return\": [\"x\"], \"mock_delay\": 100}").id();
        CompletableFuture<Optional<StreamBatch>> waiting = f.engine.drainStream(EP, id, 2_000);
        f.advance(1_999);
        assertTrue(EngineFixture.stillPending(waiting));
        f.advance(1);
        StreamBatch batch = await(waiting).orElseThrow();
        assertEquals(List.of(), batch.chunks());
        assertEquals(JobStatus.IN_PROGRESS, batch.job().status());
    }

    @Test
    void twoWaitingDrainsNeverGetTheSameChunk() {
        String id = f.submit(ABC + "}").id();
        CompletableFuture<Optional<StreamBatch>> first = f.engine.drainStream(EP, id, 1_500);
        CompletableFuture<Optional<StreamBatch>> second = f.engine.drainStream(EP, id, 1_500);

        f.advance(1_500);
        List<JsonNode> all = new ArrayList<>(await(first).orElseThrow().chunks());
        all.addAll(await(second).orElseThrow().chunks());
        assertEquals(texts("a"), all, "chunk a went to exactly one of the two streams");
    }

    @Test
    void drainingAFinishedJobAnswersAtOnceWithWhatIsLeft() {
        String id = f.submit(ABC + "}").id();
        f.advance(3_000);
        CompletableFuture<Optional<StreamBatch>> held = f.engine.drainStream(EP, id, 60_000);
        assertTrue(held.isDone(), "a terminal job is not held");
        assertEquals(texts("a", "b", "c"), held.join().orElseThrow().chunks());
        assertTrue(f.engine.drainStream(EP, id, 60_000).isDone());
    }

    @Test
    void aFailingGeneratorEndsFailedAfterItsChunks() {
        String id = f.submit("{\"mock_generator\": true, \"mock_return\": [1, 2], \"mock_error\": \"gen failed\"}").id();
        f.advance(0);
        StreamBatch batch = drain(id);
        assertEquals(List.of(json("1"), json("2")), batch.chunks());
        assertEquals(JobStatus.FAILED, batch.job().status());
        // runpod-python's text for a raising generator (runpod-api.md §6.2.5), not a plain handler's JSON text
        assertTrue(batch.job().error().startsWith("handler: gen failed \ntraceback: "), batch.job().error());
    }

    @Test
    void drainingAnUnknownJobFindsNothing() {
        assertTrue(await(f.engine.drainStream(EP, "no-such-job", 1_000)).isEmpty());
        assertTrue(await(f.engine.drainStream("no-such-endpoint", "x", 0)).isEmpty());
    }
}
