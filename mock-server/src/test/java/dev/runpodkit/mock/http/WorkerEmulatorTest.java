package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.EP;
import static dev.runpodkit.mock.testing.MockHarness.awaitCondition;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.config.WorkerEnvironment;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.PythonWorker;
import dev.runpodkit.mock.testing.RawHttp;
import dev.runpodkit.mock.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A worker that speaks the protocol as runpod-python 1.12 does ({@link PythonWorker}), started with the
 * environment the mock prints, against a mock in external mode: jobs submitted through /run reach it, and its
 * results, errors, progress and streamed chunks show through /status and /stream. The clock runs at wall
 * speed; the tests that need a worker to be lost move it on.
 */
class WorkerEmulatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MockHarness h;
    private final List<PythonWorker> workers = new ArrayList<>();

    @BeforeEach
    void start() {
        h = MockHarness.start(s -> {
            s.mode = Settings.Mode.EXTERNAL;
            s.workerTakeWaitMs = 2_000;
            s.workerPingIntervalMs = 200;
            s.workerLostAfterPings = 50; // 10 s: a busy build machine must not lose a live worker
        });
    }

    @AfterEach
    void stop() {
        workers.forEach(PythonWorker::kill);
        h.close();
    }

    private Map<String, String> env(String podId) {
        return WorkerEnvironment.of(h.mock.baseUrl(), EP, h.mock.engine().settings(), h.mock.clock().scale(), podId);
    }

    private PythonWorker worker(String podId, Consumer<PythonWorker.Builder> setup) {
        PythonWorker.Builder b = PythonWorker.builder(env(podId)).retryDelays(100, 100);
        setup.accept(b);
        PythonWorker w = b.start();
        workers.add(w);
        return w;
    }

    private String run(String inputJson) {
        return h.run(inputJson);
    }

    private JsonNode awaitStatus(String id, String status) {
        JsonNode[] last = new JsonNode[1];
        awaitCondition(() -> {
            Reply r = h.status(id);
            last[0] = r.json();
            return r.status() == 200 && status.equals(r.text("status"));
        }, "job " + id + " to be " + status);
        return last[0];
    }

    private static List<RawHttp.Sent> sentTo(PythonWorker w, String route) {
        return w.sent().stream().filter(s -> s.path().contains("/" + route + "/")).toList();
    }

    @Test
    void aResultReachesStatusAndTheWireMatchesTheCapture() {
        PythonWorker w = worker("pod-123", b -> b.handler(job -> {
            ObjectNode out = JSON.createObjectNode();
            out.set("echo", job.input());
            return out;
        }));
        String id = run("{\"x\": 1}");
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertEquals(1, done.get("output").get("echo").get("x").asInt());
        assertEquals("pod-123", done.get("workerId").asString());

        RawHttp.Sent take = sentTo(w, "job-take").get(0);
        assertEquals("GET", take.method());
        assertEquals("/v2/" + EP + "/job-take/pod-123?gpu=MOCK&job_in_progress=0", take.target());
        assertEquals("test-key", take.header("Authorization"), "the raw key, no Bearer");
        assertEquals("application/json", take.header("Content-Type"));
        assertTrue(take.header("User-Agent").startsWith("RunPod-Python-SDK/1.12.0"));

        awaitCondition(() -> !sentTo(w, "job-done").isEmpty(), "the job-done post");
        RawHttp.Sent post = sentTo(w, "job-done").get(0);
        assertEquals("/v2/" + EP + "/job-done/pod-123/" + id + "?gpu=MOCK&isStream=false", post.target());
        assertEquals("application/x-www-form-urlencoded", post.header("Content-Type"));
        assertEquals("utf-8", post.header("charset"));
        assertEquals(id, post.header("X-Request-ID"));
        assertEquals("{\"output\": {\"echo\": {\"x\": 1}}}", post.bodyText(), "json.dumps with its default separators");

        // X-Request-ID sticks to the session: the next job-take carries it too
        awaitCondition(() -> sentTo(w, "job-take").stream().anyMatch(s -> id.equals(s.header("X-Request-ID"))), "a later take with X-Request-ID");
        // pings: job_id while busy, runpod_version always
        awaitCondition(() -> sentTo(w, "ping").size() >= 2, "pings");
        RawHttp.Sent ping = sentTo(w, "ping").get(0);
        assertTrue(ping.target().endsWith("&runpod_version=1.12.0"), ping::toString);
        assertEquals("python-requests/2.32.3", ping.header("User-Agent"));
        assertEquals("test-key", ping.header("Authorization"));
    }

    @Test
    void aHandlerExceptionEndsTheJobFailedWithTheErrorReport() {
        worker("pod-err", b -> b.handler(job -> {
            throw new RuntimeException("boom");
        }));
        String id = run("{}");
        JsonNode failed = awaitStatus(id, "FAILED");
        JsonNode report = JSON.readTree(failed.get("error").asString());
        assertEquals("<class 'RuntimeError'>", report.get("error_type").asString());
        assertEquals("boom", report.get("error_message").asString());
        assertEquals("pod-err", report.get("worker_id").asString());
        assertEquals("1.12.0", report.get("runpod_version").asString());
    }

    @Test
    void aReturnedErrorKeyFailsTheJob() {
        worker("pod-err2", b -> b.handler(job -> JSON.readTree("{\"error\": \"bad input\"}")));
        String id = run("{}");
        assertEquals("bad input", awaitStatus(id, "FAILED").get("error").asString());
    }

    @Test
    void progressUpdatesShowWhileTheJobRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        worker("pod-prog", b -> b.handler(job -> {
            job.progress(JSON.readTree("{\"pct\": 50}"));
            release.await(10, TimeUnit.SECONDS);
            return "finished";
        }));
        String id = run("{}");
        awaitCondition(() -> {
            JsonNode st = h.status(id).json();
            return "IN_PROGRESS".equals(st.path("status").asString()) && st.has("output")
                    && st.get("output").path("pct").asInt() == 50;
        }, "the progress update in /status");
        release.countDown();
        assertEquals("finished", awaitStatus(id, "COMPLETED").get("output").asString());
    }

    @Test
    void aGeneratorStreamsChunksAndAggregates() {
        worker("pod-gen", b -> b.generator((job, yield) -> {
            for (int i = 0; i < 3; i++) {
                yield.accept(JSON.readTree("{\"token\": " + i + "}"));
            }
        }, true));
        String id = run("{}");
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertEquals(3, done.get("output").size(), "return_aggregate_stream: the output is the list of chunks");
        Reply stream = h.get(ep("/stream/" + id));
        MockHarness.assertSchema("stream-response", stream);
        assertEquals(3, stream.json().get("stream").size());
        assertEquals(2, stream.json().get("stream").get(2).get("output").get("token").asInt());
    }

    @Test
    void aGeneratorWithoutAggregationEndsWithAnEmptyOutput() {
        PythonWorker w = worker("pod-gen2", b -> b.generator((job, yield) -> {
            yield.accept("a");
            yield.accept("b");
        }, false));
        String id = run("{}");
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertEquals(0, done.get("output").size());
        assertEquals(2, h.get(ep("/stream/" + id)).json().get("stream").size());
        awaitCondition(() -> !sentTo(w, "job-done").isEmpty(), "the final post");
        RawHttp.Sent last = sentTo(w, "job-done").get(0);
        assertTrue(last.target().endsWith("&isStream=true"), last::toString);
        assertEquals("{\"output\": []}", last.bodyText());
        assertTrue(sentTo(w, "job-stream").stream().allMatch(s -> s.target().endsWith("&isStream=false")));
    }

    @Test
    void aGeneratorThatRaisesEndsTheJobFailed() {
        worker("pod-gen3", b -> b.generator((job, yield) -> {
            yield.accept(1);
            throw new RuntimeException("gen failed");
        }, true));
        String id = run("{}");
        assertTrue(awaitStatus(id, "FAILED").get("error").asString().startsWith("handler: gen failed \ntraceback: "));
    }

    @Test
    void aWorkerWithTwoFreeSlotsTakesABatch() {
        CountDownLatch release = new CountDownLatch(1);
        String a = run("{\"n\": 1}");
        String b2 = run("{\"n\": 2}");
        PythonWorker w = worker("pod-batch", b -> b.concurrency(2).handler(job -> {
            release.await(10, TimeUnit.SECONDS);
            return job.input();
        }));
        awaitCondition(() -> w.taken().size() == 2, "both jobs taken");
        RawHttp.Sent first = w.sent().stream().filter(s -> s.path().contains("/job-take")).findFirst().orElseThrow();
        assertTrue(first.target().contains("/job-take-batch/pod-batch?gpu=MOCK&batch_size=2&job_in_progress=0"), first::toString);
        assertEquals(2, h.get(ep("/health")).json().get("jobs").get("inProgress").asInt());
        release.countDown();
        awaitStatus(a, "COMPLETED");
        awaitStatus(b2, "COMPLETED");
    }

    @Test
    void cancellingARunningJobStopsItOnTheWorker() {
        CountDownLatch started = new CountDownLatch(1);
        PythonWorker w = worker("pod-stop", b -> b.handler(job -> {
            started.countDown();
            job.sleep(60_000);
            return "never";
        }));
        String id = run("{}");
        awaitCondition(() -> started.getCount() == 0, "the handler to start");
        assertEquals("CANCELLED", h.post(ep("/cancel/" + id), null).text("status"));
        awaitCondition(() -> w.stopped().contains(id), "job-stop to name the job");
        awaitCondition(() -> w.finished().contains(id), "the handler to be cancelled");
        assertTrue(sentTo(w, "job-done").isEmpty(), "no result is posted for a stopped job");
        assertEquals("CANCELLED", h.status(id).text("status"));
        // the worker goes on with the next job
        String next = run("{\"next\": 1}");
        awaitCondition(() -> w.taken().contains(next), "the next job");
    }

    @Test
    void anExecutionTimeoutStopsTheJobOnTheWorker() {
        CountDownLatch started = new CountDownLatch(1);
        PythonWorker w = worker("pod-timeout", b -> b.handler(job -> {
            started.countDown();
            job.sleep(60_000);
            return "never";
        }));
        Reply submitted = h.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 5000}}");
        String id = submitted.text("id");
        awaitCondition(() -> started.getCount() == 0, "the handler to start");
        h.advance(5_000);
        awaitStatus(id, "TIMED_OUT");
        awaitCondition(() -> w.stopped().contains(id), "job-stop to name the timed-out job");
    }

    @Test
    void refreshWorkerRetiresTheWorkerAfterItsJob() {
        PythonWorker w = worker("pod-refresh", b -> b.handler(job -> JSON.readTree("{\"result\": 1, \"refresh_worker\": true}")));
        String id = run("{}");
        assertEquals(1, awaitStatus(id, "COMPLETED").get("output").get("result").asInt());
        awaitCondition(w::exited, "the worker to exit after stopPod");
        assertEquals("{\"output\": {\"result\": 1}, \"stopPod\": true}", sentTo(w, "job-done").get(0).bodyText());
        String next = run("{\"next\": true}");
        PythonWorker fresh = worker("pod-fresh", b -> { });
        awaitStatus(next, "COMPLETED");
        assertEquals("pod-fresh", h.status(next).text("workerId"));
        assertFalse(w.taken().contains(next));
        assertNotNull(fresh);
    }

    @Test
    void aWorkerThatDiesLosesItsJobWhichAnotherWorkerThenRuns() {
        CountDownLatch started = new CountDownLatch(1);
        PythonWorker doomed = worker("pod-doomed", b -> b.handler(job -> {
            started.countDown();
            job.sleep(60_000);
            return "never";
        }));
        String id = run("{\"work\": 1}");
        awaitCondition(() -> started.getCount() == 0, "the doomed worker to start the job");
        int sentBefore = doomed.sent().size();
        doomed.kill();
        h.advance(15_000); // past the lost-worker limit (50 pings of 200 ms) and the 2 s holds
        awaitStatus(id, "IN_QUEUE");
        worker("pod-heir", b -> b.handler(job -> "done by the heir"));
        JsonNode done = awaitStatus(id, "COMPLETED");
        assertEquals("done by the heir", done.get("output").asString());
        assertEquals("pod-heir", done.get("workerId").asString());
        assertEquals(sentBefore, doomed.sent().size(), "a dead process sends nothing");
    }

    @Test
    void aJobWhoseWorkerDiesTwiceEndsFailed() {
        for (String pod : List.of("pod-a", "pod-b")) {
            CountDownLatch started = new CountDownLatch(1);
            PythonWorker w = worker(pod, b -> b.handler(job -> {
                started.countDown();
                job.sleep(60_000);
                return "never";
            }));
            if (pod.equals("pod-a")) {
                run("{\"crashes\": true}");
            }
            awaitCondition(() -> started.getCount() == 0, pod + " to start the job");
            w.kill();
            h.advance(15_000);
        }
        JsonNode jobs = h.get("/__admin/jobs").json();
        assertEquals("FAILED", jobs.get("jobs").get(0).get("status").get("status").asString(), jobs::toString);
    }

    @Test
    void webhooksFireForJobsRunByConnectedWorkers() {
        worker("pod-hook", b -> b.handler(job -> "hooked"));
        Reply submitted = h.post(ep("/run"), "{\"input\": {}, \"webhook\": \"http://127.0.0.1:9/hook\"}");
        String id = submitted.text("id");
        awaitStatus(id, "COMPLETED");
        awaitCondition(() -> !h.mock.webhookJournal().entries(a -> a.jobId().equals(id)).isEmpty(), "a webhook attempt");
    }
}
