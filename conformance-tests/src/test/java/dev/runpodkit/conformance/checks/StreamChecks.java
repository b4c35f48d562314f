package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Held;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * /stream/{id}: one JSON document per call, {"id", "status", "stream": [{"output": ...}]}, whose chunks are
 * drained; the stream is over when the status is terminal and the array is empty (runpod-api.md §2.4;
 * wire-captures.md §1-§2). Generator jobs use the mock-worker's per-job {@code mock_generator} and
 * {@code mock_aggregate} keys; against a real endpoint the image must be deployed in generator mode.
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/stream")
class StreamChecks {

    /** A generator job yielding {@code items} (JSON values), {@code gapSeconds} apart. */
    static String generator(String items, double gapSeconds, boolean aggregate) {
        return "{\"input\": {\"mock_generator\": true, \"mock_aggregate\": " + aggregate + ", \"mock_return\": " + items
                + ", \"mock_delay\": " + gapSeconds + "}}";
    }

    static Response stream(Target target, String id, String query) {
        return target.given().get(target.url("stream/" + id + query));
    }

    /** The outputs of one /stream answer, in order; fails if the answer has no stream array. */
    static List<Object> outputs(Response r) {
        List<Object> chunks = r.jsonPath().getList("stream");
        assertNotNull(chunks, "a /stream answer without a stream array: " + r.asString());
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            out.add(r.jsonPath().get("stream[" + i + "].output"));
        }
        return out;
    }

    /**
     * Reads /stream the way runpod-python's Job.stream() does until the status is terminal and the array empty,
     * and returns every answer. Bounded: a target that never sends the stop signal gives up after a few calls
     * past the end (and after the budget), so the check fails instead of looping forever.
     */
    static List<Response> readToTheEnd(Target target, String id) {
        List<Response> answers = new ArrayList<>();
        long deadline = System.nanoTime() + (target.wallMs(120_000) + 5_000) * 1_000_000L;
        int afterEnd = 0;
        while (System.nanoTime() < deadline && afterEnd < 4) {
            Response r = stream(target, id, "");
            assertEquals(200, r.statusCode(), "/stream answered " + r.statusCode() + ": " + r.asString());
            answers.add(r);
            boolean terminal = Jobs.TERMINAL.contains(r.jsonPath().getString("status"));
            if (terminal && outputs(r).isEmpty()) {
                return answers;
            }
            if (terminal) {
                afterEnd++;
            }
        }
        return answers;
    }

    static List<Object> allOutputs(List<Response> answers) {
        List<Object> all = new ArrayList<>();
        answers.forEach(r -> all.addAll(outputs(r)));
        return all;
    }

    @Test
    @Requirement("STREAM-001")
    @CaughtBy("stream-missing-array")
    @DisplayName("every /stream answer is one JSON object with the job's id, its status and a stream array")
    void everyAnswerCarriesAStreamArray(Target target) {
        // a plain (non-generator) job: nothing is ever pending, so each answer's array is empty
        String plain = Jobs.run(target, "{\"input\": {\"mock_return\": \"plain\", \"mock_delay\": 1}}");
        Response first = stream(target, plain, "");
        assertEquals(200, first.statusCode(), first.asString());
        assertTrue(first.contentType().startsWith("application/json"), "content type " + first.contentType());
        assertEquals(plain, first.jsonPath().getString("id"), "the answer should carry the job's id: " + first.asString());
        assertNotNull(first.jsonPath().getString("status"), first.asString());
        assertEquals(List.of(), outputs(first), "nothing is pending for a job that yields nothing: " + first.asString());
        Jobs.awaitTerminal(target, plain, 120_000);
        Response done = stream(target, plain, "");
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals(plain, done.jsonPath().getString("id"), done.asString());
        assertEquals(List.of(), outputs(done), done.asString());

        // a generator job: every answer, with chunks or without, has the array
        String gen = Jobs.run(target, generator("[\"x\", \"y\"]", 0.5, false));
        for (Response r : readToTheEnd(target, gen)) {
            assertEquals(gen, r.jsonPath().getString("id"), r.asString());
            outputs(r);
        }
    }

    @Test
    @Requirement("STREAM-002")
    @CaughtBy({"stream-not-drained", "generator-no-chunks"})
    @DisplayName("chunks are drained: each comes exactly once, in the order the worker yielded them")
    void chunksAreDrainedInOrder(Target target) {
        String id = Jobs.run(target, generator("[\"c1\", \"c2\", {\"n\": 3}, [4], \"c5\"]", 0.4, false));
        List<Response> answers = readToTheEnd(target, id);
        List<Object> all = allOutputs(answers);
        assertEquals(List.of("c1", "c2", java.util.Map.of("n", 3), List.of(4), "c5"), all,
                "the chunks over all /stream answers, in order (" + answers.size() + " answers)");
    }

    @Test
    @Requirement("STREAM-003")
    @CaughtBy({"stream-not-drained", "stream-missing-array"})
    @DisplayName("once a job has ended and every chunk was delivered, /stream answers its terminal status with stream []")
    void anEndedDrainedJobAnswersAnEmptyStream(Target target) {
        String id = Jobs.run(target, generator("[\"a\", \"b\", \"c\"]", 0.3, false));
        Response ended = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", ended.jsonPath().getString("status"), ended.asString());
        // the chunks are still waiting: the first reads deliver them with the terminal status
        List<Response> answers = readToTheEnd(target, id);
        assertEquals(List.of("a", "b", "c"), allOutputs(answers), "the chunks of an ended job");
        Response last = answers.get(answers.size() - 1);
        assertEquals("COMPLETED", last.jsonPath().getString("status"), last.asString());
        assertEquals(List.of(), outputs(last), "the stop signal is a terminal status with an empty stream: " + last.asString());
        // and it stays that way
        Response again = stream(target, id, "");
        assertEquals("COMPLETED", again.jsonPath().getString("status"), again.asString());
        assertEquals(List.of(), outputs(again), again.asString());
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("STREAM-004")
    @CaughtBy("stream-ignores-wait")
    @DisplayName("without ?wait, a /stream with nothing pending holds for about 10 s")
    void anEmptyStreamHoldsTenSeconds(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String slow = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 60}}");
            try {
                Held held = Held.send(target, "/stream without ?wait", () -> stream(target, slow, ""));
                TargetTime.pass(target, 8_000);
                held.assertStillHeld("8 s into the default hold of 10 s");
                TargetTime.pass(target, 4_000);
                Response r = held.awaitAnswer(target, 10_000);
                assertEquals(200, r.statusCode(), r.asString());
                assertEquals(List.of(), outputs(r), r.asString());
                assertFalse(Jobs.TERMINAL.contains(r.jsonPath().getString("status")), "the job is still running: " + r.asString());
            } finally {
                Jobs.cancel(target, slow);
            }
        }
    }

    @Test
    @Requirement("STREAM-004")
    @CaughtBy({"stream-ignores-wait", "stream-holds-after-end"})
    @DisplayName("a held /stream answers as soon as a chunk comes, and at once for an ended, drained job")
    void aHeldStreamAnswersAsSoonAsThereIsSomething(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String gen = Jobs.run(target, generator("[\"soon\"]", 3, false));
            try {
                Jobs.awaitStarted(target, gen, 120_000);
                Held held = Held.send(target, "/stream while the chunk is 3 s away", () -> stream(target, gen, ""));
                TargetTime.pass(target, 1_000);
                held.assertStillHeld("before the chunk came");
                TargetTime.pass(target, 3_000);
                Response chunk = held.awaitAnswer(target, 5_000);
                assertEquals(List.of("soon"), outputs(chunk), "the held /stream should bring the chunk: " + chunk.asString());
                Response done = Poll.stepping(target, 500, 60_000, "job " + gen + " to end", () -> Jobs.status(target, gen),
                        r -> Jobs.TERMINAL.contains(Jobs.statusOf(r)));
                assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
                // ended and drained: answered without any more time passing
                Response end = Held.send(target, "/stream of an ended, drained job", () -> stream(target, gen, "")).awaitImmediateAnswer(target);
                assertEquals("COMPLETED", end.jsonPath().getString("status"), end.asString());
                assertEquals(List.of(), outputs(end), end.asString());
            } finally {
                Jobs.cancel(target, gen);
            }
        }
    }

    @Test
    @Requirement("STREAM-005")
    @CaughtBy("stream-ignores-wait")
    @DisplayName("?wait on /stream sets the hold: wait=2000 holds 2 s, wait=0 answers at once")
    void waitSetsTheHold(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String slow = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 30}}");
            try {
                Held two = Held.send(target, "/stream?wait=2000", () -> stream(target, slow, "?wait=2000"));
                TargetTime.pass(target, 1_000);
                two.assertStillHeld("1 s into a 2 s wait");
                TargetTime.pass(target, 1_500);
                Response r = two.awaitAnswer(target, 5_000);
                assertEquals(200, r.statusCode(), r.asString());
                assertEquals(List.of(), outputs(r), r.asString());
                Response zero = Held.send(target, "/stream?wait=0", () -> stream(target, slow, "?wait=0")).awaitImmediateAnswer(target);
                assertEquals(200, zero.statusCode(), zero.asString());
                assertEquals(List.of(), outputs(zero), zero.asString());
            } finally {
                Jobs.cancel(target, slow);
            }
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("STREAM-005")
    @CaughtBy({"stream-wait-unclamped", "stream-ignores-wait"})
    @DisplayName("?wait above 300000 on /stream is accepted and clamped: the hold ends at 300 s")
    void waitIsClampedTo300s(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String slow = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 400}}");
            try {
                Held held = Held.send(target, "/stream?wait=900000", () -> stream(target, slow, "?wait=900000"));
                TargetTime.pass(target, 295_000);
                held.assertStillHeld("after 295 s");
                TargetTime.pass(target, 10_000);
                Response r = held.awaitAnswer(target, 5_000);
                assertEquals(200, r.statusCode(), r.asString());
                assertEquals(List.of(), outputs(r), r.asString());
                assertFalse(Jobs.TERMINAL.contains(r.jsonPath().getString("status")), "the job is still running: " + r.asString());
            } finally {
                Jobs.cancel(target, slow);
            }
        }
    }

    @Test
    @Requirement("STREAM-006")
    @CaughtBy("stream-get-only")
    @DisplayName("/stream answers POST as it answers GET, with no body, an empty body or {}")
    void postWorksAsGet(Target target) {
        String id = Jobs.run(target, generator("[\"p1\", \"p2\"]", 0.2, false));
        Jobs.awaitTerminal(target, id, 120_000);
        // POST drains like GET: the first POST gets both chunks
        Response post = target.given().post(target.url("stream/" + id));
        assertEquals(200, post.statusCode(), "POST /stream: " + post.asString());
        assertEquals(List.of("p1", "p2"), outputs(post), post.asString());
        for (String body : new String[] {"", "{}"}) {
            Response r = target.given().body(body).post(target.url("stream/" + id));
            assertEquals(200, r.statusCode(), "POST /stream with body '" + body + "': " + r.asString());
            assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
            assertEquals(List.of(), outputs(r), r.asString());
        }
        Response get = stream(target, id, "");
        assertEquals(200, get.statusCode(), get.asString());
        assertEquals("COMPLETED", get.jsonPath().getString("status"), get.asString());
    }

    @Test
    @Requirement("STREAM-007")
    @CaughtBy("generator-no-chunks")
    @DisplayName("each value a generator yields becomes one chunk {\"output\": value}, delivered while the job is IN_PROGRESS")
    void eachYieldIsOneChunkWhileInProgress(Target target) {
        List<Response> answers = new ArrayList<>();
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, generator("[{\"token\": 0}, \"t1\", 2, null, [true]]", 0.6, false));
            Jobs.awaitStarted(target, id, 120_000);
            // a value is yielded every 600 ms: read /stream every 700 ms of target time until the stop signal,
            // so that each read finds a chunk waiting (and no read is held on the stopped clock)
            TargetTime.pass(target, 700);
            Poll.stepping(target, 700, 120_000, "the stream of job " + id + " to end", () -> {
                Response r = stream(target, id, "");
                assertEquals(200, r.statusCode(), r.asString());
                answers.add(r);
                return r;
            }, r -> Jobs.TERMINAL.contains(r.jsonPath().getString("status")) && outputs(r).isEmpty());
        }
        List<Object> expected = new ArrayList<>(List.of(java.util.Map.of("token", 0), "t1", 2));
        expected.add(null);
        expected.add(List.of(true));
        assertEquals(expected, allOutputs(answers), "one chunk per yielded value, in order");
        for (Response r : answers) {
            for (int i = 0; i < outputs(r).size(); i++) {
                assertTrue(r.jsonPath().getMap("stream[" + i + "]").containsKey("output"),
                        "chunk without an output key: " + r.asString());
            }
        }
        boolean sawChunksWhileRunning = answers.stream().anyMatch(r -> !outputs(r).isEmpty()
                && "IN_PROGRESS".equals(r.jsonPath().getString("status")));
        assertTrue(sawChunksWhileRunning, "no chunk was delivered while the job was IN_PROGRESS; answers: "
                + answers.stream().map(Response::asString).toList());
    }

    @Test
    @Requirement("STREAM-008")
    @CaughtBy("aggregate-always")
    @DisplayName("a streaming job's final output is [] by default, and every yielded value with aggregation")
    void finalOutputIsEmptyUnlessAggregated(Target target) {
        String plain = Jobs.run(target, "{\"input\": {\"mock_generator\": true, \"mock_return\": [\"a\", \"b\"], \"mock_delay\": 0.2}}");
        Response done = Jobs.awaitTerminal(target, plain, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        assertEquals(List.of(), done.jsonPath().getList("output"), "/status output of a streaming job without aggregation: " + done.asString());

        Response sync = Jobs.runsync(target, "", "{\"input\": {\"mock_generator\": true, \"mock_return\": [\"a\", \"b\"], \"mock_delay\": 0.2}}");
        assertEquals("COMPLETED", sync.jsonPath().getString("status"), sync.asString());
        assertEquals(List.of(), sync.jsonPath().getList("output"), "/runsync output of a streaming job without aggregation: " + sync.asString());

        String aggregated = Jobs.run(target, generator("[\"a\", \"b\", \"c\"]", 0.2, true));
        Response all = Jobs.awaitTerminal(target, aggregated, 120_000);
        assertEquals(List.of("a", "b", "c"), all.jsonPath().getList("output"), "/status output with aggregation: " + all.asString());

        Response syncAll = Jobs.runsync(target, "", generator("[\"a\", \"b\", \"c\"]", 0.2, true));
        assertEquals(List.of("a", "b", "c"), syncAll.jsonPath().getList("output"), "/runsync output with aggregation: " + syncAll.asString());
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("STREAM-009")
    @CaughtBy({"unknown-job-200", "error-body-text"})
    @DisplayName("/stream of an unknown job id answers 404 with a JSON error")
    void unknownJobIs404(Target target) {
        for (String method : List.of("GET", "POST")) {
            Response r = target.given().request(method, target.url("stream/" + UUID.randomUUID() + "-u1"));
            assertEquals(404, r.statusCode(), method + " /stream of an unknown id: " + r.asString());
            ErrorChecks.assertJsonError(r);
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("STREAM-009")
    @CaughtBy("retain-forever")
    @DisplayName("/stream of a job whose result has expired answers 404 with a JSON error")
    void expiredJobIs404(Target target) {
        Response r = Jobs.runsync(target, "", generator("[\"gone soon\"]", 0, false));
        assertEquals("COMPLETED", r.jsonPath().getString("status"), r.asString());
        TargetTime.pass(target, 65_000); // a /runsync result is kept 1 min
        Response gone = stream(target, r.jsonPath().getString("id"), "");
        assertEquals(404, gone.statusCode(), "/stream of an expired job: " + gone.asString());
        ErrorChecks.assertJsonError(gone);
    }

}
