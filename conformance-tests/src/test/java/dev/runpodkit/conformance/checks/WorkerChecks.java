package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Workers;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import dev.runpodkit.mock.testing.PythonWorker;
import dev.runpodkit.mock.testing.RawHttp;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The worker protocol (runpod-api.md §6.2; wire-captures.md §3): what a runpod-python 1.12 worker needs from the
 * platform. Checked against this project's mock only, on its endpoint in mode external: a real endpoint's
 * worker side belongs to RunPod and is not reachable. The worker is {@link PythonWorker}, a Java stand-in
 * that sends the captured bytes (runpod-python itself is not installable in this build), or raw requests with
 * the same headers.
 */
@ConformanceCheck
@NeedsAdmin
@DisplayName("Worker protocol")
class WorkerChecks {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Generous budgets in target time: the worker runs on wall time on a possibly busy machine. */
    private static final long BUDGET = 100_000;

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    // ---------------------------------------------------------------- job-take

    @Test
    @Requirement("WORKER-001")
    @CaughtBy("worker-take-no-hold")
    @DisplayName("job-take holds while nothing is queued, answers 204, and gives a queued job as {id, input}")
    void takeHoldsThenGivesAQueuedJob(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("take");
            long started = System.nanoTime();
            RawHttp.Response empty = w.take(pod);
            long heldWallMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(204, empty.status(), "an empty job-take answers 204: " + empty);
            assertTrue(heldWallMs >= target.wallMs(20_000), "an empty job-take should long-poll; it answered after "
                    + Math.round(heldWallMs * target.timeScale()) + " ms (target time)");
            assertTrue(heldWallMs < target.wallMs(90_000), "the hold must stay below the worker's 90 s timeout");

            String id = w.run("{\"input\": {\"x\": 1, \"tag\": \"take\"}}");
            RawHttp.Response r = w.take(pod);
            assertEquals(200, r.status(), r.toString());
            assertTrue(String.valueOf(r.header("content-type")).startsWith("application/json"), "the worker ignores a 200 that is not JSON");
            JsonPath job = Workers.assertSchema("worker-job", r);
            assertEquals(id, job.getString("id"));
            assertEquals(1, job.getInt("input.x"));
            assertEquals("IN_PROGRESS", w.statusOf(id));
        }
    }

    @Test
    @Requirement("WORKER-002")
    @CaughtBy("worker-batch-as-object")
    @DisplayName("job-take-batch answers a JSON array of 1..batch_size jobs")
    void batchTakeAnswersAnArray(Target target) {
        try (Workers w = Workers.on(target)) {
            List<String> ids = List.of(w.run("{\"input\": {\"n\": 1}}"), w.run("{\"input\": {\"n\": 2}}"), w.run("{\"input\": {\"n\": 3}}"));
            String pod = Workers.podId("batch");
            RawHttp.Response two = w.takeBatch(pod, 2);
            assertEquals(200, two.status(), two.toString());
            JsonPath first = Workers.assertSchema("worker-job-batch", two);
            assertEquals(ids.subList(0, 2), first.getList("id"), "the first two queued jobs, in order");
            RawHttp.Response rest = w.takeBatch(pod, 2);
            assertEquals(List.of(ids.get(2)), Workers.assertSchema("worker-job-batch", rest).getList("id"));
        }
    }

    @Test
    @Requirement("WORKER-003")
    @CaughtBy({"reject-raw-key", "no-auth"})
    @DisplayName("worker routes take the raw key the worker SDK sends, and refuse a missing or wrong key with 401")
    void workerRoutesTakeTheRawKey(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("auth");
            assertEquals(200, w.ping(pod).status(), "a ping with the raw key");
            RawHttp.Response bearer = w.raw("GET", "ping/" + pod + "?gpu=TEST", RawHttp.headers("Authorization", "Bearer " + target.apiKey()), null);
            assertEquals(200, bearer.status(), "Bearer is accepted too");
            for (List<RawHttp.Header> bad : List.of(RawHttp.headers(), RawHttp.headers("Authorization", "wrong-" + UUID.randomUUID()))) {
                RawHttp.Response r = w.raw("GET", "job-take/" + pod + "?gpu=TEST&job_in_progress=0", bad, null);
                assertEquals(401, r.status(), "job-take with " + (bad.isEmpty() ? "no key" : "a wrong key") + ": " + r);
                Workers.assertSchema("error", r);
            }
        }
    }

    @Test
    @Requirement("WORKER-004")
    @CaughtBy("worker-strict-headers")
    @DisplayName("the SDK's extra query parameters and headers (gpu, job_in_progress, charset, X-Request-ID) are ignored")
    void extraParametersAndHeadersAreIgnored(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("extras");
            String id = w.run("{\"input\": {\"extras\": true}}");
            List<RawHttp.Header> headers = new ArrayList<>(w.sdkHeaders());
            headers.add(new RawHttp.Header("X-Request-ID", "an-earlier-job"));
            RawHttp.Response took = w.raw("GET", "job-take/" + pod + "?gpu=NVIDIA+H200&job_in_progress=1&unknown=1", headers, null);
            assertEquals(200, took.status(), took.toString());
            assertEquals(id, JsonPath.from(took.text()).getString("id"));
            RawHttp.Response done = w.done(pod, id, "{\"output\": \"ok\"}", false);
            assertEquals(200, done.status(), "job-done with charset and X-Request-ID headers: " + done);
            assertEquals("COMPLETED", w.statusOf(id));
        }
    }

    // ---------------------------------------------------------------- job-done, job-stream

    @Test
    @Requirement("WORKER-005")
    @CaughtBy("worker-form-body-rejected")
    @DisplayName("a worker's result, JSON sent as a form, ends the job COMPLETED with that output")
    void resultCompletesTheJob(Target target) {
        try (Workers w = Workers.on(target)) {
            PythonWorker worker = w.start("result", b -> b.handler(job -> json("{\"echo\": " + job.input() + "}")));
            String id = w.run("{\"input\": {\"x\": 1}}");
            Response done = w.awaitStatus(id, "COMPLETED", BUDGET);
            assertEquals(1, done.jsonPath().getInt("output.echo.x"), done.asString());
            assertEquals(worker.podId(), done.jsonPath().getString("workerId"));
            RawHttp.Sent post = worker.sent().stream().filter(s -> s.path().contains("/job-done/")).findFirst().orElseThrow();
            assertEquals("application/x-www-form-urlencoded", post.header("Content-Type"));
            assertEquals("{\"output\": {\"echo\": {\"x\": 1}}}", post.bodyText());
        }
    }

    @Test
    @Requirement("WORKER-006")
    @CaughtBy("worker-error-completes")
    @DisplayName("a handler that raises: the error string ends the job FAILED")
    void errorFailsTheJob(Target target) {
        try (Workers w = Workers.on(target)) {
            w.start("error", b -> b.handler(job -> {
                throw new RuntimeException("boom");
            }));
            String id = w.run("{\"input\": {}}");
            Response failed = w.awaitStatus(id, "FAILED", BUDGET);
            JsonNode report = json(failed.jsonPath().getString("error"));
            assertEquals("<class 'RuntimeError'>", report.get("error_type").asString());
            assertEquals("boom", report.get("error_message").asString());
        }
    }

    @Test
    @Requirement("WORKER-007")
    @CaughtBy({"worker-progress-ends-job", "progress-hidden"})
    @DisplayName("a progress report keeps the job IN_PROGRESS and shows as its output")
    void progressShowsWhileTheJobRuns(Target target) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (Workers w = Workers.on(target)) {
            w.start("progress", b -> b.handler(job -> {
                job.progress(json("{\"pct\": 50}"));
                release.await(60, TimeUnit.SECONDS);
                return "finished";
            }));
            String id = w.run("{\"input\": {}}");
            Poll.until(target, BUDGET, "the progress update in /status", () -> w.status(id),
                    r -> "IN_PROGRESS".equals(r.jsonPath().getString("status")) && Integer.valueOf(50).equals(r.jsonPath().get("output.pct")));
            release.countDown();
            assertEquals("finished", w.awaitStatus(id, "COMPLETED", BUDGET).jsonPath().getString("output"));
        } finally {
            release.countDown();
        }
    }

    @Test
    @Requirement("WORKER-008")
    @CaughtBy("worker-stream-dropped")
    @DisplayName("each job-stream post is one /stream chunk; the isStream=true post ends the job, aggregated or []")
    void streamedChunksReachStream(Target target) {
        try (Workers w = Workers.on(target)) {
            for (boolean aggregate : List.of(true, false)) {
                PythonWorker worker = w.start("gen", b -> b.generator((job, yield) -> {
                    for (int i = 0; i < 3; i++) {
                        yield.accept(json("{\"token\": " + i + "}"));
                    }
                }, aggregate));
                String id = w.run("{\"input\": {\"aggregate\": " + aggregate + "}}");
                List<Object> chunks = new ArrayList<>();
                Response last = Poll.until(target, BUDGET, "the stream of job " + id + " to end", () -> {
                    Response r = target.given().get(w.url("stream/" + id));
                    chunks.addAll(r.jsonPath().getList("stream.output.token"));
                    return r;
                }, r -> "COMPLETED".equals(r.jsonPath().getString("status")) && r.jsonPath().getList("stream").isEmpty());
                assertEquals(List.of(0, 1, 2), chunks, "each yield is one chunk, in order: " + last.asString());
                List<Object> output = w.status(id).jsonPath().getList("output");
                assertEquals(aggregate ? 3 : 0, output.size(), "the final output with return_aggregate_stream=" + aggregate);
                worker.kill();
            }
        }
    }

    @Test
    @Requirement("LIMIT-005")
    @CaughtBy("worker-chunk-unlimited")
    @DisplayName("a job-stream chunk over 1 MB is refused with 400 and left out of /stream; the job goes on")
    void anOversizedChunkIsRefused(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("big-chunk");
            String id = w.run("{\"input\": {\"chunk\": \"big\"}}");
            assertEquals(200, w.take(pod).status());
            // 1.5 MB: over the limit in either reading of a MB (DEC-018 keeps a clear margin)
            RawHttp.Response over = w.stream(pod, id, "{\"output\": \"" + "x".repeat(1536 * 1024) + "\"}");
            assertEquals(400, over.status(), "a 1.5 MB chunk: " + over.status());
            Workers.assertSchema("error", over);
            assertEquals("IN_PROGRESS", w.statusOf(id), "the job goes on after a refused chunk");
            assertEquals(200, w.stream(pod, id, "{\"output\": \"small\"}").status());
            assertEquals(200, w.done(pod, id, "{\"output\": \"done\"}", false).status());
            w.awaitStatus(id, "COMPLETED", BUDGET);
            Response stream = target.given().get(w.url("stream/" + id));
            assertEquals(List.of("small"), stream.jsonPath().getList("stream.output"),
                    "only the chunk within the limit reaches /stream");
        }
    }

    @Test
    @Requirement("LIMIT-006")
    @CaughtBy("worker-result-unlimited")
    @DisplayName("a job-done result over the job's payload limit is refused with 400 and the job ends FAILED, naming the limit")
    void anOversizedResultFailsTheJob(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("big-result");
            String id = w.run("{\"input\": {\"result\": \"big\"}}");
            assertEquals(200, w.take(pod).status());
            // 11 MB for a /run job, whose limit is 10 MB (10485760 bytes)
            RawHttp.Response over = w.done(pod, id, "{\"output\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}", false);
            assertEquals(400, over.status(), "an 11 MB result: " + over.status());
            Workers.assertSchema("error", over);
            Response failed = w.awaitStatus(id, "FAILED", BUDGET);
            String error = failed.jsonPath().getString("error");
            assertNotNull(error, "a FAILED job tells why: " + failed.asString());
            assertTrue(error.contains("10485760") || error.contains("10 MB"), "the error names the limit: " + error);
            assertNull(failed.jsonPath().get("output"), "no part of the result is kept");
        }
    }

    // ---------------------------------------------------------------- job-stop, ping

    @Test
    @Requirement("WORKER-009")
    @CaughtBy("worker-no-stop")
    @DisplayName("job-stop names a running job that was cancelled, or timed out, and the worker posts nothing for it")
    void stopReachesTheWorker(Target target) {
        try (Workers w = Workers.on(target)) {
            PythonWorker worker = w.start("stop", b -> b.concurrency(1).handler(job -> {
                job.sleep(600_000);
                return "never";
            }));
            String cancelled = w.run("{\"input\": {\"stop\": \"cancel\"}}");
            w.awaitStatus(cancelled, "IN_PROGRESS", BUDGET);
            assertEquals("CANCELLED", w.cancel(cancelled).jsonPath().getString("status"));
            Poll.until(target, BUDGET, "job-stop to name job " + cancelled, worker::stopped, s -> s.contains(cancelled));

            String timedOut = w.run("{\"input\": {\"stop\": \"timeout\"}, \"policy\": {\"executionTimeout\": 5000}}");
            w.awaitStatus(timedOut, "IN_PROGRESS", BUDGET);
            TargetTime.pass(target, 6_000);
            w.awaitStatus(timedOut, "TIMED_OUT", BUDGET);
            Poll.until(target, BUDGET, "job-stop to name job " + timedOut, worker::stopped, s -> s.contains(timedOut));
            assertTrue(worker.sent().stream().noneMatch(s -> s.path().contains("/job-done/")), "no result is posted for a stopped job");
            assertEquals("CANCELLED", w.statusOf(cancelled));
        }
    }

    @Test
    @Requirement({"WORKER-010", "WORKER-016"})
    @CaughtBy("worker-ping-ignored")
    @DisplayName("pings keep a worker alive and counted in /health; a silent one is dropped")
    void pingsKeepAWorkerCounted(Target target) {
        try (Workers w = Workers.on(target)) {
            TargetTime.pass(target, 400_000); // every worker of earlier checks falls silent and is dropped
            assertEquals(0, connected(w), "no connected worker after the silence: " + w.health().asString());
            String pod = Workers.podId("ping");
            RawHttp.Response pong = w.ping(pod);
            assertEquals(200, pong.status(), pong.toString());
            Workers.assertSchema("worker-ack", pong);
            assertEquals(1, w.health().jsonPath().getInt("workers.idle"), "a pinging worker is an idle worker");
            for (int i = 0; i < 3; i++) {
                TargetTime.pass(target, 60_000);
                w.ping(pod);
            }
            assertEquals(1, w.health().jsonPath().getInt("workers.idle"), "pings over 180 s kept it connected");
            TargetTime.pass(target, 400_000);
            assertEquals(0, connected(w), "silent for longer than the lost-worker limit: dropped");
        }
    }

    private static int connected(Workers w) {
        JsonPath h = w.health().jsonPath();
        return h.getInt("workers.idle") + h.getInt("workers.running");
    }

    // ---------------------------------------------------------------- delivery and loss

    @Test
    @Requirement("WORKER-011")
    @CaughtBy("worker-double-delivery")
    @DisplayName("a job is handed to one worker only, even with two waiting")
    void aJobGoesToOneWorker(Target target) throws Exception {
        try (Workers w = Workers.on(target)) {
            String a = Workers.podId("one-a");
            String b = Workers.podId("one-b");
            CompletableFuture<RawHttp.Response> ta = CompletableFuture.supplyAsync(() -> w.take(a));
            CompletableFuture<RawHttp.Response> tb = CompletableFuture.supplyAsync(() -> w.take(b));
            Poll.until(target, BUDGET, "both takes to wait", () -> RestAssured.given().get(target.adminUrl("/workers?endpoint=" + w.endpointId())).jsonPath(),
                    j -> j.getList("workers.findAll { it.workerId == '" + a + "' || it.workerId == '" + b + "' }.waitingForJobs", Boolean.class)
                            .stream().filter(Boolean::booleanValue).count() == 2);
            String id = w.run("{\"input\": {\"once\": true}}");
            RawHttp.Response ra = ta.get(target.wallMs(120_000) + 10_000, TimeUnit.MILLISECONDS);
            RawHttp.Response rb = tb.get(target.wallMs(120_000) + 10_000, TimeUnit.MILLISECONDS);
            List<RawHttp.Response> got = List.of(ra, rb).stream().filter(r -> r.status() == 200).toList();
            assertEquals(1, got.size(), "exactly one worker gets the job: " + ra + " / " + rb);
            assertEquals(id, JsonPath.from(got.get(0).text()).getString("id"));
        }
    }

    @Test
    @Requirement("WORKER-012")
    @CaughtBy({"worker-lost-not-requeued", "worker-lost-fails-at-once"})
    @DisplayName("a lost worker's job is requeued once under the same id; lost again, it ends FAILED")
    void aLostWorkersJobIsRequeuedOnceThenFails(Target target) {
        try (Workers w = Workers.on(target)) {
            String id = null;
            for (String name : List.of("doomed-1", "doomed-2")) {
                CountDownLatch started = new CountDownLatch(1);
                PythonWorker worker = w.start(name, b -> b.handler(job -> {
                    started.countDown();
                    job.sleep(600_000);
                    return "never";
                }));
                if (id == null) {
                    id = w.run("{\"input\": {\"doomed\": true}}");
                }
                String jobId = id;
                Response running = w.awaitStatus(jobId, "IN_PROGRESS", BUDGET);
                assertEquals(worker.podId(), running.jsonPath().getString("workerId"));
                worker.kill();
                TargetTime.pass(target, 300_000); // past the lost-worker limit and the holds
                Response after = w.status(jobId);
                assertEquals(200, after.statusCode(), "a lost worker is not an HTTP error: " + after.asString());
                if (name.equals("doomed-1")) {
                    assertEquals("IN_QUEUE", after.jsonPath().getString("status"), "requeued under the same id: " + after.asString());
                } else {
                    assertEquals("FAILED", after.jsonPath().getString("status"), "lost a second time: " + after.asString());
                    assertFalse(String.valueOf(after.jsonPath().getString("error")).isEmpty());
                }
            }
        }
    }

    @Test
    @Requirement("WORKER-013")
    @CaughtBy("worker-done-always-200")
    @DisplayName("job-done for an unknown or cancelled job answers 404 and changes nothing")
    void resultsForJobsNotHeldAre404(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("late");
            RawHttp.Response unknown = w.done(pod, "no-such-job-" + UUID.randomUUID(), "{\"output\": 1}", false);
            assertEquals(404, unknown.status(), unknown.toString());
            Workers.assertSchema("error", unknown);
            String id = w.run("{\"input\": {\"late\": true}}");
            assertEquals(200, w.take(pod).status());
            w.cancel(id);
            RawHttp.Response late = w.done(pod, id, "{\"output\": \"late\"}", false);
            assertEquals(404, late.status(), "a result for a cancelled job: " + late);
            Response st = w.status(id);
            assertEquals("CANCELLED", st.jsonPath().getString("status"));
            assertNull(st.jsonPath().get("output"), "the late result is not taken");
        }
    }

    @Test
    @Requirement("WORKER-013")
    @CaughtBy("worker-done-not-idempotent")
    @DisplayName("a repeated job-done answers 200 and changes nothing")
    void aRepeatedResultIsIdempotent(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("twice");
            String id = w.run("{\"input\": {\"twice\": true}}");
            assertEquals(200, w.take(pod).status());
            assertEquals(200, w.done(pod, id, "{\"output\": \"first\"}", false).status());
            RawHttp.Response again = w.done(pod, id, "{\"output\": \"second\"}", false);
            assertEquals(200, again.status(), "the worker SDK re-posts a result it is not sure arrived: " + again);
            Workers.assertSchema("worker-ack", again);
            assertEquals("first", w.status(id).jsonPath().getString("output"));
        }
    }

    @Test
    @Requirement("WORKER-014")
    @CaughtBy("worker-stop-pod-ignored")
    @DisplayName("after a result with stopPod: true the worker is given no further job")
    void stopPodRetiresTheWorker(Target target) {
        try (Workers w = Workers.on(target)) {
            String pod = Workers.podId("refresh");
            String first = w.run("{\"input\": {\"refresh\": 1}}");
            assertEquals(200, w.take(pod).status());
            assertEquals(200, w.done(pod, first, "{\"output\": {\"ok\": true}, \"stopPod\": true}", false).status());
            assertEquals("COMPLETED", w.statusOf(first));
            String second = w.run("{\"input\": {\"refresh\": 2}}");
            RawHttp.Response again = w.take(pod);
            assertEquals(204, again.status(), "a retired worker gets no job, though one is queued: " + again);
            assertEquals("IN_QUEUE", w.statusOf(second));
        }
    }

    // ---------------------------------------------------------------- the job a worker gets; modes; environment

    @Test
    @Requirement("S3-005")
    @CaughtBy("worker-job-no-s3config")
    @DisplayName("the worker gets the job's s3Config unchanged")
    void theWorkerGetsTheS3Config(Target target) {
        String secret = "worker-secret-" + UUID.randomUUID();
        target.addSecret(secret);
        try (Workers w = Workers.on(target)) {
            w.run("{\"input\": {\"s3\": true}, \"s3Config\": {\"accessId\": \"worker-access\", \"accessSecret\": \"" + secret
                    + "\", \"bucketName\": \"bucket\", \"endpointUrl\": \"http://127.0.0.1:9000\", \"objectPath\": \"out/\"}}");
            RawHttp.Response r = w.take(Workers.podId("s3"));
            assertEquals(200, r.status(), "job-take answered " + r.status());
            JsonPath job = Workers.assertSchema("worker-job", r);
            assertEquals(Map.of("accessId", "worker-access", "accessSecret", secret, "bucketName", "bucket",
                    "endpointUrl", "http://127.0.0.1:9000", "objectPath", "out/"), job.getMap("s3Config"), "s3Config as sent");
        }
    }

    @Test
    @Requirement("BODY-010")
    @CaughtBy("strip-empty-input")
    @DisplayName("{\"input\": {}} reaches the worker with input {} unchanged")
    void anEmptyInputReachesTheWorker(Target target) {
        try (Workers w = Workers.on(target)) {
            String id = w.run("{\"input\": {}}");
            RawHttp.Response r = w.take(Workers.podId("empty"));
            assertEquals(200, r.status());
            JsonPath job = JsonPath.from(r.text());
            assertEquals(id, job.getString("id"));
            assertEquals(Map.of(), job.getMap("input"), "runpod-python refuses a job without input: " + r.text());
        }
    }

    @Test
    @Requirement("WORKER-018")
    @CaughtBy("external-runs-builtin")
    @DisplayName("an endpoint in mode external keeps its jobs queued until a connected worker takes them")
    void externalJobsWaitForAConnectedWorker(Target target) {
        try (Workers w = Workers.on(target)) {
            String id = w.run("{\"input\": {\"mock_return\": \"not built-in\"}}");
            TargetTime.pass(target, 60_000);
            assertEquals("IN_QUEUE", w.statusOf(id), "no built-in worker runs it");
            RawHttp.Response r = w.take(Workers.podId("ext"));
            assertEquals(200, r.status());
            assertEquals(id, JsonPath.from(r.text()).getString("id"));
        }
    }

    @Test
    @Requirement("WORKER-017")
    @CaughtBy("worker-env-no-query")
    @DisplayName("the worker environment the mock publishes is complete, and a worker started with it runs jobs")
    void thePublishedEnvironmentWorks(Target target) {
        try (Workers w = Workers.on(target)) {
            Map<String, String> env = w.env("env-check");
            for (String name : List.of("RUNPOD_WEBHOOK_GET_JOB", "RUNPOD_WEBHOOK_POST_OUTPUT", "RUNPOD_WEBHOOK_POST_STREAM", "RUNPOD_WEBHOOK_PING")) {
                String template = env.get(name);
                assertNotNull(template, name + " is missing");
                assertTrue(template.contains("?"), name + " needs a ?query, since the worker appends &...: " + template);
            }
            assertTrue(env.get("RUNPOD_WEBHOOK_GET_JOB").contains("/job-take/$ID?"));
            assertTrue(env.get("RUNPOD_WEBHOOK_POST_OUTPUT").contains("/job-done/$RUNPOD_POD_ID/$ID?"));
            assertTrue(env.get("RUNPOD_WEBHOOK_POST_STREAM").contains("/job-stream/$RUNPOD_POD_ID/$ID?"));
            assertTrue(env.get("RUNPOD_WEBHOOK_PING").contains("/ping/$RUNPOD_POD_ID?"));
            assertEquals("env-check", env.get("RUNPOD_POD_ID"));
            assertEquals("true", env.get("RUNPOD_SKIP_AUTO_SYSTEM_CHECKS"));
            assertEquals("true", env.get("RUNPOD_SKIP_GPU_CHECK"));
            w.start("env", b -> b.handler(job -> "from the published environment"));
            String id = w.run("{\"input\": {}}");
            assertEquals("from the published environment", w.awaitStatus(id, "COMPLETED", BUDGET).jsonPath().getString("output"));
        }
    }
}
