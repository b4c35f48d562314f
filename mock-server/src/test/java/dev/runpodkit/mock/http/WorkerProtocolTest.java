package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.KEY;
import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.await;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static dev.runpodkit.mock.testing.MockHarness.stillHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.RawHttp;
import dev.runpodkit.mock.testing.Reply;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The worker protocol over HTTP, on a frozen clock: every hold, timeout and loss happens only when the test
 * moves time. Requests carry what runpod-python 1.12 sends (wire-captures.md §3): the raw key, a JSON body
 * under a form content type, a literal charset header, X-Request-ID, gpu and job_in_progress.
 */
class WorkerProtocolTest {

    private MockHarness h;

    private MockHarness start(Consumer<Settings> tweak) {
        h = MockHarness.frozen(s -> {
            s.mode = Settings.Mode.EXTERNAL;
            tweak.accept(s);
        });
        return h;
    }

    private MockHarness start() {
        return start(s -> { });
    }

    @AfterEach
    void close() {
        if (h != null) {
            h.close();
        }
    }

    // ---------------------------------------------------------------- requests as the worker sends them

    private CompletableFuture<Reply> takeAsync(String worker) {
        return h.sendAsync("GET", ep("/job-take/" + worker + "?gpu=TEST&job_in_progress=0"), null,
                "Authorization", KEY, "User-Agent", "RunPod-Python-SDK/1.12.0 (Linux; x86_64) Language/Python 3.11.2");
    }

    /** A take that is parked on the clock (the worker must already be known, so the take adds one timer). */
    private CompletableFuture<Reply> parkedTake(String worker) {
        return parked(() -> takeAsync(worker));
    }

    private CompletableFuture<Reply> parked(java.util.function.Supplier<CompletableFuture<Reply>> send) {
        long before = h.mock.clock().timersScheduled();
        CompletableFuture<Reply> f = send.get();
        MockHarness.awaitCondition(() -> f.isDone() || h.mock.clock().timersScheduled() >= before + 1, "the request was not parked");
        return f;
    }

    private Reply take(String worker) {
        return await(takeAsync(worker));
    }

    private Reply takeBatch(String worker, int size) {
        return h.send("GET", ep("/job-take-batch/" + worker + "?gpu=TEST&batch_size=" + size + "&job_in_progress=0"), null,
                "Authorization", KEY);
    }

    private Reply done(String worker, String jobId, String body) {
        return done(worker, jobId, body, false);
    }

    private Reply done(String worker, String jobId, String body, boolean isStream) {
        return h.send("POST", ep("/job-done/" + worker + "/" + jobId + "?gpu=TEST&isStream=" + isStream), body,
                "Authorization", KEY, "Content-Type", "application/x-www-form-urlencoded", "charset", "utf-8", "X-Request-ID", jobId);
    }

    private Reply chunk(String worker, String jobId, String body) {
        return h.send("POST", ep("/job-stream/" + worker + "/" + jobId + "?gpu=TEST&isStream=false"), body,
                "Authorization", KEY, "Content-Type", "application/x-www-form-urlencoded", "charset", "utf-8", "X-Request-ID", jobId);
    }

    private Reply ping(String worker, String... jobIds) {
        String q = jobIds.length == 0 ? "" : "&job_id=" + String.join("%2C", jobIds);
        return h.send("GET", ep("/ping/" + worker + "?gpu=TEST" + q + "&runpod_version=1.12.0"), null,
                "Authorization", KEY, "User-Agent", "python-requests/2.32.3");
    }

    private CompletableFuture<Reply> stopAsync(String worker) {
        return h.sendAsync("GET", ep("/job-stop/" + worker + "?gpu=TEST"), null, "Authorization", KEY);
    }

    private String run(String inputJson) {
        return h.run(inputJson);
    }

    private JsonNode status(String id) {
        Reply r = h.status(id);
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private JsonNode health() {
        Reply r = h.get(ep("/health"));
        assertSchema("health-response", r);
        return r.json();
    }

    // ---------------------------------------------------------------- job-take

    @Test
    void anEmptyTakeHoldsOnTheClockAndThenAnswers204() {
        start();
        ping("w1");
        CompletableFuture<Reply> f = parkedTake("w1");
        h.advance(29_999);
        assertTrue(stillHeld(f), "the take holds for workerTakeWaitMs (30 s)");
        h.advance(1);
        Reply r = await(f);
        assertEquals(204, r.status(), r::toString);
        assertNull(r.header("Content-Type"), "a 204 has no content, so no content type");
        assertEquals("", r.body());
    }

    @Test
    void aQueuedJobIsTakenAtOnceAsTheWholeJobWithS3ConfigAndStartsRunning() {
        start();
        Reply submitted = h.post(ep("/run"), "{\"input\": {\"x\": 1}, \"webhook\": \"http://127.0.0.1:9/hook\","
                + " \"policy\": {\"executionTimeout\": 60000}, \"s3Config\": {\"accessId\": \"AK\", \"accessSecret\": \"SECRET\","
                + " \"bucketName\": \"b\", \"endpointUrl\": \"http://127.0.0.1:9000\"}}");
        String id = submitted.text("id");
        Reply r = take("pod-123");
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r::toString);
        assertSchema("worker-job", r);
        JsonNode job = r.json();
        assertEquals(id, job.get("id").asString());
        assertEquals(1, job.get("input").get("x").asInt());
        assertEquals("http://127.0.0.1:9/hook", job.get("webhook").asString());
        assertEquals(60000, job.get("policy").get("executionTimeout").asInt());
        assertEquals("SECRET", job.get("s3Config").get("accessSecret").asString(), "the worker gets the s3Config unchanged (S3-005)");
        JsonNode st = status(id);
        assertEquals("IN_PROGRESS", st.get("status").asString());
        assertEquals("pod-123", st.get("workerId").asString());
        assertFalse(h.status(id).body().contains("SECRET"), "never back to a client");
    }

    @Test
    void aParkedTakeGetsTheNextSubmittedJob() {
        start();
        ping("w1");
        CompletableFuture<Reply> f = parkedTake("w1");
        String id = run("{\"n\": 1}");
        Reply r = await(f);
        assertEquals(200, r.status(), r::toString);
        assertEquals(id, r.text("id"));
    }

    @Test
    void aNewTakeFromTheSameWorkerReleasesTheOneItGaveUpOn() {
        start();
        ping("w1");
        CompletableFuture<Reply> first = parkedTake("w1");
        CompletableFuture<Reply> second = parkedTake("w1");
        assertEquals(204, await(first).status(), "the older take is answered empty: the worker no longer waits on it");
        String id = run("{\"n\": 2}");
        assertEquals(id, await(second).text("id"), "the job goes to the take the worker is waiting on");
    }

    @Test
    void batchTakeAnswersAnArrayOfUpToBatchSizeJobsInQueueOrder() {
        start();
        String a = run("{\"n\": 1}");
        String b = run("{\"n\": 2}");
        String c = run("{\"n\": 3}");
        Reply two = takeBatch("w1", 2);
        assertEquals(200, two.status(), two::toString);
        assertSchema("worker-job-batch", two);
        assertEquals(List.of(a, b), ids(two.json()));
        Reply rest = takeBatch("w1", 5);
        assertEquals(List.of(c), ids(rest.json()));
        assertError(400, takeBatch("w1", 0));
        Reply bad = h.send("GET", ep("/job-take-batch/w1?gpu=TEST&batch_size=two"), null, "Authorization", KEY);
        assertTrue(assertError(400, bad).contains("batch_size"));
    }

    @Test
    void aBatchSizeOverTheMostOneTakeGivesIsServedUpToThatMost() {
        start();
        String a = run("{\"n\": 1}");
        String b = run("{\"n\": 2}");
        // runpod-python asks for as many jobs as it has free slots (concurrency_modifier); a 400 it takes for 'no job'
        // and asks again at once, so a refusal left such a worker spinning without ever getting a job
        Reply r = takeBatch("w1", 1500);
        assertEquals(200, r.status(), r::toString);
        assertEquals(List.of(a, b), ids(r.json()));
        String c = run("{\"n\": 3}");
        Reply huge = h.send("GET", ep("/job-take-batch/w1?gpu=TEST&batch_size=99999999999&job_in_progress=1"), null, "Authorization", KEY);
        assertEquals(List.of(c), ids(huge.json()));
    }

    private static List<String> ids(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(j -> out.add(j.get("id").asString()));
        return out;
    }

    @Test
    void aJobGoesToOneWorkerOnly() {
        start();
        ping("w1");
        ping("w2");
        CompletableFuture<Reply> t1 = parkedTake("w1");
        CompletableFuture<Reply> t2 = parkedTake("w2");
        String id = run("{\"once\": true}");
        Reply first = await(t1);
        assertEquals(id, first.text("id"), "the oldest waiting take gets the job");
        assertTrue(stillHeld(t2), "the other worker does not get it too");
        assertEquals(200, done("w1", id, "{\"output\": 1}").status());
        h.advance(30_000);
        assertEquals(204, await(t2).status());
    }

    // ---------------------------------------------------------------- job-done

    @Test
    void aResultPostedAsFormEncodedJsonCompletesTheJob() throws Exception {
        start();
        String id = run("{\"x\": 1}");
        take("pod-123");
        // the exact bytes of the capture: raw key, form content type, a literal charset header, X-Request-ID
        try (RawHttp.Connection c = new RawHttp.Connection(URI.create(h.mock.baseUrl()))) {
            RawHttp.Response r = c.exchange("POST", "/v2/" + MockHarness.EP + "/job-done/pod-123/" + id + "?gpu=TEST&isStream=false",
                    RawHttp.headers("Content-Type", "application/x-www-form-urlencoded", "Authorization", KEY,
                            "User-Agent", "RunPod-Python-SDK/1.12.0 (Linux; x86_64) Language/Python 3.11.2",
                            "Accept-Encoding", "gzip, deflate", "Accept", "*/*", "X-Request-ID", id, "charset", "utf-8"),
                    "{\"output\": {\"echo\": {\"x\": 1}, \"text\": \"caf\u00e9\"}}".getBytes(StandardCharsets.UTF_8), 5_000);
            assertEquals(200, r.status(), r::toString);
            assertEquals("accepted", JsonMapperHolder.read(r.text()).get("status").asString());
        }
        JsonNode st = status(id);
        assertEquals("COMPLETED", st.get("status").asString());
        assertEquals(1, st.get("output").get("echo").get("x").asInt());
        assertEquals("caf\u00e9", st.get("output").get("text").asString(), "the body is read as UTF-8");
        assertEquals(1, health().get("jobs").get("completed").asInt());
    }

    @Test
    void aProgressReportKeepsTheJobRunningAndShowsAsItsOutput() {
        start();
        String id = run("{}");
        take("w1");
        assertEquals(200, done("w1", id, "{\"status\": \"IN_PROGRESS\", \"output\": {\"pct\": 50}}").status());
        JsonNode st = status(id);
        assertEquals("IN_PROGRESS", st.get("status").asString());
        assertEquals(50, st.get("output").get("pct").asInt());
        assertEquals(200, done("w1", id, "{\"output\": \"done\"}").status());
        assertEquals("done", status(id).get("output").asString());
    }

    @Test
    void anErrorStringEndsTheJobFailed() {
        start();
        String id = run("{}");
        take("w1");
        String error = "{\"error_type\": \"<class 'RuntimeError'>\", \"error_message\": \"boom\"}";
        Reply r = done("w1", id, "{\"error\": " + JsonMapperHolder.quote(error) + "}");
        assertEquals(200, r.status(), r::toString);
        JsonNode st = status(id);
        assertEquals("FAILED", st.get("status").asString());
        assertEquals(error, st.get("error").asString());
        assertEquals(1, health().get("jobs").get("failed").asInt());
    }

    @Test
    void aNonStringErrorDoesNotFailTheJob() {
        start();
        String id = run("{}");
        take("w1");
        done("w1", id, "{\"output\": {\"partial\": 1}, \"error\": {\"not\": \"a string\"}}");
        assertEquals("COMPLETED", status(id).get("status").asString(), "runpod-python#299: only a string error fails a job");
    }

    @Test
    void streamPostsAreChunksAndTheIsStreamPostEndsTheJob() {
        start();
        String id = run("{}");
        take("w1");
        assertEquals(200, chunk("w1", id, "{\"output\": {\"token\": 0}}").status());
        assertEquals(200, chunk("w1", id, "{\"output\": {\"token\": 1}}").status());
        Reply s1 = h.get(ep("/stream/" + id));
        assertSchema("stream-response", s1);
        assertEquals("IN_PROGRESS", s1.text("status"));
        assertEquals(2, s1.json().get("stream").size());
        assertEquals(1, s1.json().get("stream").get(1).get("output").get("token").asInt());
        chunk("w1", id, "{\"output\": {\"token\": 2}}");
        done("w1", id, "{\"output\": [{\"token\": 0}, {\"token\": 1}, {\"token\": 2}]}", true);
        Reply s2 = h.get(ep("/stream/" + id));
        assertEquals("COMPLETED", s2.text("status"));
        assertEquals(1, s2.json().get("stream").size(), "only the chunk not drained yet");
        assertEquals(3, status(id).get("output").size());
        assertError(400, chunk("w1", id, "{\"no\": \"output\"}"));
    }

    @Test
    void malformedBodiesAre400() {
        start();
        String id = run("{}");
        take("w1");
        assertError(400, done("w1", id, "output=1"));
        assertError(400, done("w1", id, "[1, 2]"));
        assertError(400, done("w1", id, ""));
        assertEquals("IN_PROGRESS", status(id).get("status").asString());
    }

    @Test
    void aChunkOverOneMegabyteIsRefusedAndTheJobGoesOn() {
        start();
        String id = run("{}");
        take("w1");
        // serialized with its quotes: 1 MB + 2 bytes, then exactly 1 MB
        Reply over = chunk("w1", id, "{\"output\": \"" + "x".repeat(1024 * 1024) + "\"}");
        assertError(400, over);
        assertTrue(over.text("error").contains("1048576"), over::toString);
        assertEquals(200, chunk("w1", id, "{\"output\": \"" + "y".repeat(1024 * 1024 - 2) + "\"}").status());
        assertEquals("IN_PROGRESS", status(id).get("status").asString());
        Reply s = h.get(ep("/stream/" + id));
        assertEquals(1, s.json().get("stream").size(), "only the chunk within the limit");
        assertTrue(s.json().get("stream").get(0).get("output").asString().startsWith("y"));
        assertEquals(200, done("w1", id, "{\"output\": \"done\"}").status());
        assertEquals("COMPLETED", status(id).get("status").asString());
    }

    @Test
    void aChunkOverWhatTheMockReadsIsRefusedWith400AsAnyOversizedChunk() {
        start();
        String id = run("{}");
        take("w1");
        Reply over = chunk("w1", id, "{\"output\": \"" + "x".repeat(21 * 1024 * 1024) + "\"}");
        assertTrue(assertError(400, over).contains("chunk"), over::toString);
        assertEquals("IN_PROGRESS", status(id).get("status").asString(), "the job goes on");
        assertEquals(200, done("w1", id, "{\"output\": \"done\"}").status());
    }

    @Test
    void aResultOverTheJobsPayloadLimitFailsTheJob() {
        start(s -> s.runMaxBytes = 1000);
        String id = run("{}");
        take("w1");
        Reply over = done("w1", id, "{\"output\": \"" + "x".repeat(1000) + "\"}");
        assertError(400, over);
        JsonNode st = status(id);
        assertEquals("FAILED", st.get("status").asString());
        assertTrue(st.get("error").asString().contains("1002 bytes") && st.get("error").asString().contains("at most 1000 bytes"), st::toString);
        assertEquals(200, done("w1", id, "{\"output\": \"again\"}").status(), "a repeated post changes nothing");
        assertEquals("FAILED", status(id).get("status").asString());

        String huge = run("{}");
        take("w1");
        Reply overTheBodyCap = done("w1", huge, "{\"output\": \"" + "x".repeat(21 * 1024 * 1024) + "\"}");
        assertError(400, overTheBodyCap);
        assertEquals("FAILED", status(huge).get("status").asString(), "a body over what the mock reads fails the job too");

        String fits = run("{}");
        take("w1");
        assertEquals(200, done("w1", fits, "{\"output\": \"" + "x".repeat(998) + "\"}").status());
        assertEquals("COMPLETED", status(fits).get("status").asString());
    }

    @Test
    void streamChunkMaxBytesSetsTheChunkLimit() {
        start(s -> s.streamChunkMaxBytes = 100);
        String id = run("{}");
        take("w1");
        // serialized with its quotes: 101 bytes, then exactly 100
        Reply over = chunk("w1", id, "{\"output\": \"" + "x".repeat(99) + "\"}");
        assertError(400, over);
        assertTrue(over.text("error").contains("at most 100 bytes"), over::toString);
        assertEquals(200, chunk("w1", id, "{\"output\": \"" + "y".repeat(98) + "\"}").status());
        assertEquals(1, h.get(ep("/stream/" + id)).json().get("stream").size(), "only the chunk within the limit");
        assertEquals("IN_PROGRESS", status(id).get("status").asString(), "the job goes on");
    }

    @Test
    void oversizedResultCompletedEmptyEndsTheJobCompletedWithoutOutput() {
        start(s -> {
            s.runMaxBytes = 1000;
            s.oversizedResult = Settings.OversizedResult.COMPLETED_EMPTY;
        });
        String id = run("{}");
        take("w1");
        Reply over = done("w1", id, "{\"output\": \"" + "x".repeat(1000) + "\"}");
        assertError(400, over);
        assertTrue(over.text("error").contains("at most 1000 bytes") && over.text("error").contains("COMPLETED without output"),
                over::toString);
        JsonNode st = status(id);
        assertEquals("COMPLETED", st.get("status").asString(), st::toString);
        assertNull(st.get("output"), "no part of the result is kept: " + st);
        assertNull(st.get("error"), st::toString);
        assertEquals(200, done("w1", id, "{\"output\": \"again\"}").status(), "a repeated post changes nothing");
        assertNull(status(id).get("output"));
    }

    @Test
    void aResultWithNaNOrInfinityIsRefusedNamingTheNumberAndTheJobFailsAtOnce() {
        start();
        String id = run("{}");
        take("w1");
        // what Python's json.dumps writes for float('nan') and float('-inf')
        Reply r = done("w1", id, "{\"output\": {\"scores\": [0.5, -Infinity], \"big\": 1e400, \"loss\": NaN}}");
        String message = assertError(400, r);
        assertTrue(message.contains("'output.scores[1]' is -Infinity, 'output.loss' is NaN."), r::toString);
        JsonNode st = status(id);
        assertEquals("FAILED", st.get("status").asString(), "the job ends at once, not IN_PROGRESS until its worker is lost: " + st);
        assertTrue(st.get("error").asString().contains("'output.scores[1]' is -Infinity"), st::toString);
        assertEquals(200, done("w1", id, "{\"output\": NaN}").status(), "a repeated post changes nothing");
        ping("w1");
        h.advance(30_000); // past the lost-worker limit: the job is not requeued and run again
        JsonNode later = status(id);
        assertEquals("FAILED", later.get("status").asString());
        assertFalse(later.get("error").asString().contains("lost"), later::toString);
        assertEquals(1, health().get("jobs").get("failed").asInt());

        // the final post of a streaming job (isStream=true) with an aggregate holding one; the worker's error is kept
        String streamed = run("{}");
        take("w2");
        assertError(400, done("w2", streamed, "{\"output\": [1, Infinity], \"error\": \"handler: boom\"}", true));
        JsonNode failed = status(streamed);
        assertEquals("FAILED", failed.get("status").asString());
        assertTrue(failed.get("error").asString().contains("'output[1]' is Infinity")
                && failed.get("error").asString().contains("handler: boom"), failed::toString);
    }

    @Test
    void aProgressReportOrChunkWithNaNIsRefusedNamingItAndTheJobGoesOn() {
        start();
        String id = run("{}");
        take("w1");
        assertEquals(200, done("w1", id, "{\"status\": \"IN_PROGRESS\", \"output\": {\"pct\": 10}}").status());
        Reply progress = done("w1", id, "{\"status\": \"IN_PROGRESS\", \"output\": {\"pct\": NaN}}");
        String message = assertError(400, progress);
        assertTrue(message.contains("'output.pct' is NaN") && message.contains("the job goes on"), progress::toString);
        JsonNode st = status(id);
        assertEquals("IN_PROGRESS", st.get("status").asString(), "a bad progress report does not end the job: " + st);
        assertEquals(10, st.get("output").get("pct").asInt(), "the last good progress report stays");

        Reply chunk = chunk("w1", id, "{\"output\": {\"logit\": -Infinity}}");
        message = assertError(400, chunk);
        assertTrue(message.contains("'output.logit' is -Infinity") && message.contains("the job goes on"), chunk::toString);
        assertEquals(200, chunk("w1", id, "{\"output\": {\"token\": 1}}").status());
        Reply s = h.get(ep("/stream/" + id));
        assertEquals(1, s.json().get("stream").size(), "only the chunk that is JSON: " + s);
        assertEquals("IN_PROGRESS", status(id).get("status").asString());
        assertEquals(200, done("w1", id, "{\"output\": \"done\"}").status());
        assertEquals("COMPLETED", status(id).get("status").asString());
    }

    // ---------------------------------------------------------------- job-stop, timeouts, ttl

    @Test
    void cancellingARunningJobTellsItsWorkerThroughJobStop() {
        start();
        String id = run("{}");
        take("w1");
        CompletableFuture<Reply> stop = parked(() -> stopAsync("w1"));
        assertTrue(stillHeld(stop));
        assertEquals("CANCELLED", h.post(ep("/cancel/" + id), null).text("status"));
        Reply r = await(stop);
        assertEquals(200, r.status(), r::toString);
        assertSchema("worker-stop", r);
        assertEquals(id, r.json().get("jobsToStop").get(0).asString());
        // the worker's late result changes nothing
        assertError(404, done("w1", id, "{\"output\": \"late\"}"));
        assertEquals("CANCELLED", status(id).get("status").asString());
        CompletableFuture<Reply> next = parked(() -> stopAsync("w1"));
        h.advance(30_000);
        assertEquals(204, await(next).status(), "a stopped job is named once");
    }

    @Test
    void aStopArrivingWhileNoJobStopIsWaitingIsKeptForTheNextOne() {
        start();
        String id = run("{}");
        take("w1");
        h.post(ep("/cancel/" + id), null);
        Reply r = await(stopAsync("w1"));
        assertEquals(200, r.status());
        assertEquals(id, r.json().get("jobsToStop").get(0).asString());
    }

    @Test
    void anExecutionTimeoutStopsTheJobOnItsWorker() {
        start();
        Reply submitted = h.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 5000}}");
        String id = submitted.text("id");
        take("w1");
        h.advance(5_000);
        assertEquals("TIMED_OUT", status(id).get("status").asString());
        Reply r = await(stopAsync("w1"));
        assertEquals(List.of(id), ids2(r.json().get("jobsToStop")));
        assertError(404, done("w1", id, "{\"output\": 1}"));
        assertEquals("TIMED_OUT", status(id).get("status").asString());
        assertEquals(1, health().get("jobs").get("failed").asInt());
    }

    private static List<String> ids2(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(j -> out.add(j.asString()));
        return out;
    }

    @Test
    void aResultForAnExpiredOrUnknownJobIs404() {
        start();
        Reply submitted = h.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 10000}}");
        String id = submitted.text("id");
        take("w1");
        h.advance(10_000);
        assertError(404, h.status(id));
        assertTrue(assertError(404, done("w1", id, "{\"output\": 1}")).contains("not found"));
        assertError(404, done("w1", "no-such-job", "{\"output\": 1}"));
        assertError(404, chunk("w1", "no-such-job", "{\"output\": 1}"));
    }

    @Test
    void aRepeatedResultIsAnsweredOkAndChangesNothing() {
        start();
        String id = run("{}");
        take("w1");
        assertEquals(200, done("w1", id, "{\"output\": \"first\"}").status());
        Reply again = done("w1", id, "{\"output\": \"second\"}");
        assertEquals(200, again.status(), again::toString);
        assertEquals("duplicate", again.text("status"));
        assertSchema("worker-ack", again);
        assertEquals("first", status(id).get("output").asString());
        assertEquals(1, health().get("jobs").get("completed").asInt());
        assertError(404, done("w2", id, "{\"output\": \"other\"}"));
    }

    @Test
    void aResultFromAWorkerThatNeverHeldTheJobIs404() {
        start();
        String id = run("{}");
        assertError(404, done("w1", id, "{\"output\": 1}"));
        assertError(404, chunk("w2", id, "{\"output\": 1}"));
        assertEquals("IN_QUEUE", status(id).get("status").asString());
        // a refused post connects no worker: /health must not show an idle worker that never asked for a job
        assertEquals(0, h.get("/__admin/workers").json().get("count").asInt());
        assertEquals(0, health().get("workers").get("idle").asInt());
    }

    // ---------------------------------------------------------------- lost workers (DEC-022)

    @Test
    void aJobHandedToAParkedTakeLateInItsHoldIsNotLostRightAfter() {
        start();
        CompletableFuture<Reply> f = parkedTake("w1"); // the worker's first contact: silence would count from here
        h.advance(29_000); // parked, so alive; the lost-worker limit is 30 s
        String id = run("{}");
        assertEquals(id, await(f).text("id"));
        h.advance(2_000); // 31 s after the take began, 2 s after the answer
        assertEquals("IN_PROGRESS", status(id).get("status").asString(), "the worker got the job 2 s ago: not lost yet");
        assertEquals(200, done("w1", id, "{\"output\": 1}").status());
        assertEquals("COMPLETED", status(id).get("status").asString());
    }

    @Test
    void aSilentWorkerIsLostItsJobRequeuedOnceAtTheHeadThenFailed() {
        start();
        String lostJob = run("{\"first\": true}");
        assertEquals(lostJob, take("w1").text("id"));
        String other = run("{\"second\": true}");
        h.advance(30_000); // 3 ping intervals of silence
        JsonNode st = status(lostJob);
        assertEquals("IN_QUEUE", st.get("status").asString(), "requeued under the same id");
        assertNull(st.get("workerId"));
        assertEquals(0, health().get("workers").get("idle").asInt() + health().get("workers").get("running").asInt());
        assertEquals(lostJob, take("w2").text("id"), "at the head of the queue, before the job queued meanwhile");
        h.advance(30_000);
        JsonNode failed = status(lostJob);
        assertEquals("FAILED", failed.get("status").asString(), "lost a second time: FAILED");
        assertTrue(failed.get("error").asString().contains("lost"), failed::toString);
        // late results from either lost worker: 200, discarded
        Reply late = done("w1", lostJob, "{\"output\": \"late\"}");
        assertEquals(200, late.status(), late::toString);
        assertEquals("discarded", late.text("status"));
        assertEquals(200, done("w2", lostJob, "{\"output\": \"late\"}").status());
        assertEquals("FAILED", status(lostJob).get("status").asString());
        assertEquals("IN_QUEUE", status(other).get("status").asString());
    }

    @Test
    void aLateResultFromALostWorkerIsDiscardedWhileAnotherRunsTheJob() {
        start(s -> s.lostWorkerRetries = 1);
        String id = run("{}");
        take("w1");
        h.advance(30_000);
        take("w2");
        Reply late = done("w1", id, "{\"output\": \"stale\"}");
        assertEquals(200, late.status());
        assertEquals("IN_PROGRESS", status(id).get("status").asString());
        assertEquals("w2", status(id).get("workerId").asString());
        done("w2", id, "{\"output\": \"fresh\"}");
        assertEquals("fresh", status(id).get("output").asString());
    }

    @Test
    void aStreamingJobRequeuedFromALostWorkerDropsTheChunksOfTheLostRunNotYetRead() {
        start();
        String id = run("{}");
        take("w1");
        chunk("w1", id, "{\"output\": \"lost-1\"}");
        assertEquals(1, h.get(ep("/stream/" + id)).json().get("stream").size(), "read before the loss");
        chunk("w1", id, "{\"output\": \"lost-2\"}");
        h.advance(30_000); // w1 is lost; the job is requeued
        assertEquals("IN_QUEUE", status(id).get("status").asString());
        take("w2");
        chunk("w2", id, "{\"output\": \"new-1\"}");
        Reply s = h.get(ep("/stream/" + id));
        JsonNode stream = s.json().get("stream");
        assertEquals(1, stream.size(), "only the run that goes on: " + s);
        assertEquals("new-1", stream.get(0).get("output").asString());
        chunk("w2", id, "{\"output\": \"new-2\"}");
        done("w2", id, "{\"output\": [\"new-1\", \"new-2\"]}", true);
        Reply end = h.get(ep("/stream/" + id));
        assertEquals("COMPLETED", end.text("status"));
        assertEquals("new-2", end.json().get("stream").get(0).get("output").asString());
        assertEquals(1, end.json().get("stream").size(), end::toString);
    }

    @Test
    void aWorkerThatKeepsPingingKeepsItsJob() {
        start();
        String id = run("{}");
        take("w1");
        for (int i = 0; i < 6; i++) {
            ping("w1", id);
            h.advance(10_000);
        }
        assertEquals("IN_PROGRESS", status(id).get("status").asString());
        assertEquals("w1", status(id).get("workerId").asString());
    }

    @Test
    void aJobItsWorkerStopsListingInPingsIsLostToIt() {
        start();
        String id = run("{}");
        take("w1");
        ping("w1");
        ping("w1");
        assertEquals("IN_PROGRESS", status(id).get("status").asString(), "two pings may race the delivery");
        ping("w1");
        assertEquals("IN_QUEUE", status(id).get("status").asString(), "three pings without it: the worker restarted or never got it");
    }

    @Test
    void underTtlModeQueueAJobRequeuedFromALostWorkerWaitsUnderAFreshTtl() {
        start(s -> s.ttlMode = Settings.TtlMode.QUEUE);
        String id = h.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 40000}}").text("id");
        take("w1");
        h.advance(45_000); // lost at 30 s and requeued; its ttl stopped counting when w1 took it
        assertEquals("IN_QUEUE", status(id).get("status").asString());
        h.advance(24_999);
        assertEquals("IN_QUEUE", status(id).get("status").asString(), "40 s from the requeue, not from the take");
        h.advance(1);
        assertEquals("TIMED_OUT", status(id).get("status").asString(), "no worker came: it must not wait for ever");
    }

    @Test
    void lostWorkerRetriesZeroFailsAtOnce() {
        start(s -> s.lostWorkerRetries = 0);
        String id = run("{}");
        take("w1");
        h.advance(30_000);
        assertEquals("FAILED", status(id).get("status").asString());
    }

    @Test
    void aWorkerReportingAFailedStartUpCheckIsLostAtOnce() {
        start();
        ping("w1");
        assertEquals(1, health().get("workers").get("idle").asInt());
        h.send("GET", ep("/ping/w1?gpu=TEST&status=unhealthy&check=gpu&reason=no%20GPU&runpod_version=1.12.0"), null, "Authorization", KEY);
        assertEquals(0, health().get("workers").get("idle").asInt());
    }

    // ---------------------------------------------------------------- stopPod, health, auth, modes

    @Test
    void stopPodRetiresTheWorkerAfterItsJob() {
        start();
        String id = run("{}");
        take("w1");
        String next = run("{\"next\": true}");
        done("w1", id, "{\"output\": \"ok\", \"stopPod\": true}");
        assertEquals("COMPLETED", status(id).get("status").asString());
        CompletableFuture<Reply> again = parkedTake("w1");
        assertTrue(stillHeld(again), "a retired worker gets no job, though one is queued");
        assertEquals(next, take("w2").text("id"));
        done("w2", next, "{\"output\": \"next\"}");
        h.advance(30_000);
        assertEquals(204, await(again).status());
        h.advance(30_000); // quiet for the lost-worker limit: the id is forgotten and may connect again
        String third = run("{\"third\": true}");
        assertEquals(third, take("w1").text("id"));
    }

    @Test
    void aRetiredWorkerFinishesTheOtherJobsItHoldsAndIsForgottenOnlyAfterTheLast() {
        start();
        String a = run("{\"a\": true}");
        String b = run("{\"b\": true}");
        assertEquals(List.of(a, b), ids(takeBatch("w1", 2).json()));
        done("w1", a, "{\"output\": \"a\", \"stopPod\": true}");
        // runpod-python stops taking jobs but finishes the ones it holds (run_jobs gathers its tasks), pinging meanwhile
        for (int i = 0; i < 4; i++) {
            h.advance(10_000);
            ping("w1", b);
        }
        assertEquals("IN_PROGRESS", status(b).get("status").asString(), "40 s after stopPod, still running on w1");
        assertEquals("w1", status(b).get("workerId").asString());
        JsonNode workers = health().get("workers");
        assertEquals(1, workers.get("running").asInt(), "a retired worker still running a job is counted running: " + workers);
        assertEquals(0, workers.get("idle").asInt(), "it takes no job: never idle");
        Reply result = done("w1", b, "{\"output\": \"b\"}");
        assertEquals(200, result.status(), result::toString);
        assertEquals("accepted", result.text("status"));
        assertEquals("COMPLETED", status(b).get("status").asString());
        assertEquals("b", status(b).get("output").asString());
        String next = run("{\"next\": true}");
        CompletableFuture<Reply> again = parkedTake("w1");
        assertTrue(stillHeld(again), "retired: no further job");
        h.advance(30_000);
        assertEquals(204, await(again).status());
        assertEquals(next, take("w1").text("id"), "forgotten the lost-worker limit after its last job: the id may connect again");
    }

    @Test
    void aRetiredWorkerThatFallsSilentWhileHoldingAJobLosesIt() {
        start();
        String a = run("{\"a\": true}");
        String b = run("{\"b\": true}");
        takeBatch("w1", 2);
        done("w1", a, "{\"output\": \"a\", \"stopPod\": true}");
        h.advance(30_000);
        assertEquals("IN_QUEUE", status(b).get("status").asString(), "its worker went silent: requeued (DEC-022), not left running on no one");
    }

    @Test
    void healthCountsConnectedWorkersByTheirPings() {
        start();
        ping("w1");
        ping("w2");
        JsonNode workers = health().get("workers");
        assertEquals(2, workers.get("idle").asInt());
        assertEquals(0, workers.get("running").asInt());
        String id = run("{}");
        take("w1");
        workers = health().get("workers");
        assertEquals(1, workers.get("idle").asInt());
        assertEquals(1, workers.get("running").asInt());
        assertEquals(1, health().get("jobs").get("inProgress").asInt());
        h.advance(20_000);
        ping("w2");
        h.advance(10_000);
        workers = health().get("workers");
        assertEquals(1, workers.get("idle").asInt(), "w2 pinged; w1 fell silent and is lost");
        assertEquals(0, workers.get("running").asInt());
        assertEquals("IN_QUEUE", status(id).get("status").asString());
    }

    @Test
    void workerRoutesTakeTheRawKeyOrBearerAndRefuseOthers() {
        start();
        assertEquals(200, h.send("GET", ep("/ping/w1?gpu=TEST"), null, "Authorization", KEY).status());
        assertEquals(200, h.send("GET", ep("/ping/w1?gpu=TEST"), null, "Authorization", "Bearer " + KEY).status());
        assertError(401, h.send("GET", ep("/ping/w1?gpu=TEST"), null, "Authorization", "wrong"));
        assertError(401, h.send("GET", ep("/job-take/w1?gpu=TEST"), null, "Authorization", null));
        assertError(401, h.send("POST", ep("/job-done/w1/x?gpu=TEST"), "{}", "Authorization", null));
        assertError(404, h.send("GET", ep("/job-take/w1?gpu=TEST").replace(MockHarness.EP, "nope"), null, "Authorization", KEY));
        Reply wrongMethod = h.send("POST", ep("/job-take/w1?gpu=TEST"), "{}", "Authorization", KEY);
        assertError(405, wrongMethod);
        assertEquals("GET, HEAD", wrongMethod.header("Allow"));
    }

    @Test
    void unknownQueryParametersAndHeadersAreIgnored() {
        start();
        String id = run("{}");
        Reply r = h.send("GET", ep("/job-take/w1?gpu=NVIDIA+H200&job_in_progress=0&something=else"), null,
                "Authorization", KEY, "X-Request-ID", "an-earlier-job", "charset", "utf-8");
        assertEquals(id, r.text("id"));
    }

    @Test
    void aBuiltinEndpointGivesConnectedWorkersNoJob() {
        h = MockHarness.frozen(s -> s.workersMin = s.workersMax = 1);
        ping("w1");
        CompletableFuture<Reply> f = parkedTake("w1");
        String id = run("{\"mock_return\": \"built-in\"}");
        h.advance(0);
        assertEquals("COMPLETED", status(id).get("status").asString(), "the built-in worker ran it");
        h.advance(30_000);
        assertEquals(204, await(f).status());
    }

    @Test
    void switchingAnEndpointToExternalAtRunTimeRetiresItsBuiltInWorkers() {
        h = MockHarness.frozen(s -> s.workersMin = s.workersMax = 1);
        Reply patched = h.send("PATCH", "/__admin/settings", "{\"endpointModes\": {\"" + MockHarness.EP + "\": \"external\"}}");
        assertEquals(200, patched.status(), patched::toString);
        assertEquals("external", patched.json().get("endpointModes").get(MockHarness.EP).asString());
        String id = run("{\"mock_return\": 1}");
        h.advance(1_000);
        assertEquals("IN_QUEUE", status(id).get("status").asString(), "no built-in worker takes it");
        assertEquals(id, take("w1").text("id"));
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"workerTakeWaitMs\": 90000}"));
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"endpointModes\": {\"nope\": \"external\"}}"));
    }

    @Test
    void stripEmptyInputLeavesTheEmptyInputOut() {
        start(s -> s.stripEmptyInput = true);
        h.post(ep("/run"), "{\"input\": {}}");
        Reply r = take("w1");
        assertFalse(r.json().has("input"), r::toString);
    }

    @Test
    void anEmptyInputReachesTheWorkerAsItIs() {
        start();
        h.post(ep("/run"), "{\"input\": {}}");
        Reply r = take("w1");
        assertTrue(r.json().get("input").isEmpty(), r::toString);
    }

    @Test
    void theAdminApiListsWorkersAndGivesTheWorkerEnvironment() {
        start();
        String id = run("{}");
        take("w1");
        Reply workers = h.get("/__admin/workers");
        assertEquals(1, workers.json().get("count").asInt());
        assertEquals(id, workers.json().get("workers").get(0).get("jobs").get(0).asString());
        Reply env = h.get("/__admin/worker-env?endpoint=" + MockHarness.EP + "&podId=pod-9");
        assertEquals(200, env.status(), env::toString);
        JsonNode vars = env.json().get("env");
        assertEquals(h.mock.baseUrl() + ep("/job-take/$ID?gpu=MOCK"), vars.get("RUNPOD_WEBHOOK_GET_JOB").asString());
        assertEquals(h.mock.baseUrl() + ep("/job-done/$RUNPOD_POD_ID/$ID?gpu=MOCK"), vars.get("RUNPOD_WEBHOOK_POST_OUTPUT").asString());
        assertEquals(h.mock.baseUrl() + ep("/job-stream/$RUNPOD_POD_ID/$ID?gpu=MOCK"), vars.get("RUNPOD_WEBHOOK_POST_STREAM").asString());
        assertEquals(h.mock.baseUrl() + ep("/ping/$RUNPOD_POD_ID?gpu=MOCK"), vars.get("RUNPOD_WEBHOOK_PING").asString());
        assertEquals("test-key", vars.get("RUNPOD_AI_API_KEY").asString());
        assertEquals("pod-9", vars.get("RUNPOD_POD_ID").asString());
        assertEquals("true", vars.get("RUNPOD_SKIP_AUTO_SYSTEM_CHECKS").asString());
        assertEquals("true", vars.get("RUNPOD_SKIP_GPU_CHECK").asString());
        assertEquals("10000", vars.get("RUNPOD_PING_INTERVAL").asString());
        assertTrue(env.text("shell").contains("export RUNPOD_WEBHOOK_GET_JOB='" + h.mock.baseUrl() + ep("/job-take/$ID?gpu=MOCK'")));
    }

    /**
     * runpod-python pings every {@code int(RUNPOD_PING_INTERVAL) // 1000} seconds with a timeout of twice that: '500'
     * (the 10 s interval at time x20, or --worker-ping-interval-ms 500) made both 0, and requests refuses a 0 s
     * timeout with a ValueError that kills the worker's ping process.
     */
    @Test
    void thePingIntervalGivenToTheWorkerIsWholeSecondsAndNeverUnderOne() {
        h = MockHarness.start(s -> {
            s.mode = Settings.Mode.EXTERNAL;
            s.timeScale = 20;
        });
        Reply env = h.get("/__admin/worker-env");
        assertEquals(200, env.status(), env::toString);
        assertEquals("1000", env.json().get("env").get("RUNPOD_PING_INTERVAL").asString(), env::toString);
        assertTrue(env.text("shell").contains("export RUNPOD_PING_INTERVAL='1000'"), env::toString);
        assertNull(env.json().get("warnings"), "a ping every 20 s of mock time is within the 30 s limit: " + env);
        h.close();

        h = MockHarness.start(s -> {
            s.mode = Settings.Mode.EXTERNAL;
            s.timeScale = 3;
        });
        assertEquals("3000", h.get("/__admin/worker-env").json().get("env").get("RUNPOD_PING_INTERVAL").asString(),
                "3333 ms is a ping every 3 s to the worker");
        h.close();

        h = MockHarness.start(s -> {
            s.mode = Settings.Mode.EXTERNAL;
            s.timeScale = 50;
        });
        env = h.get("/__admin/worker-env");
        assertEquals("1000", env.json().get("env").get("RUNPOD_PING_INTERVAL").asString(), env::toString);
        String warning = env.json().path("warnings").path(0).asString("");
        assertTrue(warning.contains("50000 ms") && warning.contains("30000 ms"),
                "one wall second is 50 s of mock time, past the 30 s lost-worker limit: " + env);
        h.close();

        start(s -> s.workerPingIntervalMs = 500);
        assertEquals("1000", h.get("/__admin/worker-env").json().get("env").get("RUNPOD_PING_INTERVAL").asString());
    }

    /** The environment of an endpoint with built-in workers connects a worker that is answered 204 forever: say so. */
    @Test
    void theWorkerEnvironmentOfABuiltinEndpointWarnsThatItsWorkersGetNoJobs() {
        h = MockHarness.frozen(s -> {
            s.endpoints = new ArrayList<>(List.of("ext", "own"));
            s.endpointModes.put("ext", Settings.Mode.EXTERNAL);
        });
        Reply builtin = h.get("/__admin/worker-env?endpoint=own");
        assertEquals(200, builtin.status(), builtin::toString);
        assertEquals("builtin", builtin.text("mode"));
        String warning = builtin.json().path("warnings").path(0).asString("");
        assertTrue(warning.contains("built-in workers") && warning.contains("--endpoint-mode own=external"), builtin::toString);
        assertTrue(builtin.text("shell").startsWith("# WARNING: endpoint own runs built-in workers"), builtin::toString);

        Reply external = h.get("/__admin/worker-env?endpoint=ext");
        assertNull(external.json().get("warnings"), external::toString);
        assertTrue(external.text("shell").startsWith("export "), external::toString);
    }

    @Test
    void theWorkerEnvironmentRefusesAPodIdThatIsNotOneUrlPathSegment() {
        start();
        // podId=a/b was given back: the worker's URLs became job-done/a/b/{job}, which no route serves
        for (String bad : new String[] {"a%2Fb", "a%20b", "..", "a%3Fb", "a%23b", "a%25b", "%24ID", "x".repeat(201)}) {
            String message = assertError(400, h.get("/__admin/worker-env?endpoint=" + MockHarness.EP + "&podId=" + bad));
            assertTrue(message.contains("podId") && message.contains("path"), bad + ": " + message);
        }
        for (String good : new String[] {"pod-9", "Pod_1.2~x", "x".repeat(200)}) {
            Reply ok = h.get("/__admin/worker-env?podId=" + good);
            assertEquals(200, ok.status(), ok::toString);
            assertEquals(good, ok.json().get("env").get("RUNPOD_POD_ID").asString());
        }
        assertEquals("local-worker-1", h.get("/__admin/worker-env?podId=").json().get("env").get("RUNPOD_POD_ID").asString(),
                "an empty podId still means the default");
    }

    @Test
    void aConfiguredKeyIsNeverShownInTheWorkerEnvironment() {
        start(s -> s.apiKeys = new ArrayList<>(List.of("sk-very-secret")));
        Reply env = h.send("GET", "/__admin/worker-env", null, "Authorization", "Bearer sk-very-secret");
        assertFalse(env.body().contains("sk-very-secret"), env::toString);
        assertFalse(h.get("/__admin/settings").body().contains("sk-very-secret"));
        assertEquals(200, h.send("GET", ep("/ping/w1?gpu=TEST"), null, "Authorization", "sk-very-secret").status());
    }

    /** Small JSON helpers for this test. */
    static final class JsonMapperHolder {
        private static final tools.jackson.databind.json.JsonMapper M = tools.jackson.databind.json.JsonMapper.builder().build();

        static JsonNode read(String s) {
            return M.readTree(s);
        }

        static String quote(String s) {
            return M.writeValueAsString(s);
        }
    }
}
