package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import dev.runpodkit.mock.testing.PythonWorker;
import dev.runpodkit.mock.testing.RawHttp;
import dev.runpodkit.schemas.Schemas;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * What the worker-protocol checks share: the target's endpoint in mode external, the worker environment the
 * mock publishes, {@link PythonWorker}s started with it (a stand-in for runpod-python 1.12 that speaks the
 * protocol byte for byte as captured), and raw requests with the worker SDK's exact headers. Everything a check
 * submits is cancelled when it closes, so no job outlives its check and turns up in another one's worker.
 */
public final class Workers implements AutoCloseable {

    private final Target target;
    private final String endpointId;
    private final List<PythonWorker> started = new ArrayList<>();
    private final List<String> submitted = new ArrayList<>();

    private Workers(Target target) {
        this.target = target;
        this.endpointId = target.workerEndpointId();
        purgeQueue();
    }

    /** The target's worker endpoint; the check is skipped if it has none (a real endpoint's worker side is the platform's). */
    public static Workers on(Target target) {
        Assumptions.assumeTrue(target.workerEndpointId() != null,
                "needs an endpoint in mode external on this project's mock (runpod.workerEndpointId)");
        return new Workers(target);
    }

    public String endpointId() {
        return endpointId;
    }

    /** A pod id unique to this run, so workers of earlier checks (still connected until lost) never mix in. */
    public static String podId(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    // ---------------------------------------------------------------- the published environment

    /** GET /__admin/worker-env for the worker endpoint, with the target's key where the mock hides it. */
    public Map<String, String> env(String podId) {
        Response r = RestAssured.given().get(target.adminUrl("/worker-env?endpoint=" + endpointId + "&podId=" + podId));
        assertEquals(200, r.statusCode(), "GET /__admin/worker-env answered " + r.statusCode() + ": " + r.asString());
        Map<String, Object> raw = r.jsonPath().getMap("env");
        Map<String, String> env = new LinkedHashMap<>();
        raw.forEach((k, v) -> env.put(k, String.valueOf(v)));
        env.put("RUNPOD_AI_API_KEY", target.apiKey()); // the mock prints only its default key
        return env;
    }

    public PythonWorker start(String name, Consumer<PythonWorker.Builder> setup) {
        PythonWorker.Builder b = PythonWorker.builder(env(podId(name))).retryDelays(200, 200);
        setup.accept(b);
        PythonWorker w = b.start();
        started.add(w);
        return w;
    }

    // ---------------------------------------------------------------- client side, on the worker endpoint

    public String url(String operation) {
        return target.urlFor(endpointId, operation);
    }

    /** POST /run on the worker endpoint; returns the job id. */
    public String run(String body) {
        Response r = target.given().body(body).post(url("run"));
        assertEquals(200, r.statusCode(), "POST /run answered " + r.statusCode() + ": " + r.asString());
        String id = r.jsonPath().getString("id");
        submitted.add(id);
        return id;
    }

    public Response status(String id) {
        return target.given().get(url("status/" + id));
    }

    public String statusOf(String id) {
        Response r = status(id);
        assertEquals(200, r.statusCode(), "/status answered " + r.statusCode() + ": " + r.asString());
        return r.jsonPath().getString("status");
    }

    public Response awaitStatus(String id, String status, long budgetTargetMs) {
        return Poll.until(target, budgetTargetMs, "job " + id + " to be " + status, () -> status(id),
                r -> r.statusCode() == 200 && status.equals(r.jsonPath().getString("status")));
    }

    public Response health() {
        return target.given().get(url("health"));
    }

    public Response cancel(String id) {
        return target.given().post(url("cancel/" + id));
    }

    private void purgeQueue() {
        target.given().post(url("purge-queue"));
    }

    // ---------------------------------------------------------------- raw worker requests

    /** The aiohttp session headers of runpod-python 1.12 (wire-captures.md §3), with the raw key. */
    public List<RawHttp.Header> sdkHeaders() {
        return RawHttp.headers("Content-Type", "application/json", "Authorization", target.apiKey(),
                "User-Agent", PythonWorker.USER_AGENT, "Accept-Encoding", "gzip, deflate", "Accept", "*/*");
    }

    /** The headers of a job-done or job-stream post: a JSON body sent as a form, and a literal charset header. */
    public List<RawHttp.Header> resultHeaders(String jobId) {
        return RawHttp.headers("Content-Type", "application/x-www-form-urlencoded", "Authorization", target.apiKey(),
                "User-Agent", PythonWorker.USER_AGENT, "Accept-Encoding", "gzip, deflate", "Accept", "*/*",
                "X-Request-ID", jobId, "charset", "utf-8");
    }

    /** A request to {@code /v2/{workerEndpoint}/{pathAndQuery}}, every header as given. */
    public RawHttp.Response raw(String method, String pathAndQuery, List<RawHttp.Header> headers, String body) {
        URI base = URI.create(target.baseUrl());
        String path = base.getRawPath() + "/" + endpointId + "/" + pathAndQuery;
        try (RawHttp.Connection c = new RawHttp.Connection(base)) {
            return c.exchange(method, path, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    (int) Math.min(Integer.MAX_VALUE, target.wallMs(120_000) + 30_000));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        }
    }

    public RawHttp.Response take(String podId) {
        return raw("GET", "job-take/" + podId + "?gpu=TEST&job_in_progress=0", sdkHeaders(), null);
    }

    public RawHttp.Response takeBatch(String podId, int size) {
        return raw("GET", "job-take-batch/" + podId + "?gpu=TEST&batch_size=" + size + "&job_in_progress=0", sdkHeaders(), null);
    }

    public RawHttp.Response done(String podId, String jobId, String body, boolean isStream) {
        return raw("POST", "job-done/" + podId + "/" + jobId + "?gpu=TEST&isStream=" + isStream, resultHeaders(jobId), body);
    }

    /** One job-stream post, as the worker sends each yielded chunk. */
    public RawHttp.Response stream(String podId, String jobId, String body) {
        return raw("POST", "job-stream/" + podId + "/" + jobId + "?gpu=TEST&isStream=false", resultHeaders(jobId), body);
    }

    public RawHttp.Response ping(String podId, String... jobIds) {
        String q = jobIds.length == 0 ? "" : "&job_id=" + String.join("%2C", jobIds);
        return raw("GET", "ping/" + podId + "?gpu=TEST" + q + "&runpod_version=" + PythonWorker.SDK_VERSION,
                RawHttp.headers("User-Agent", PythonWorker.PING_USER_AGENT, "Accept-Encoding", "gzip, deflate",
                        "Accept", "*/*", "Connection", "keep-alive", "Authorization", target.apiKey()), null);
    }

    /** Fails the check unless the body matches the schema. */
    public static JsonPath assertSchema(String schema, RawHttp.Response r) {
        List<String> problems = Schemas.load().validate(schema, r.text());
        if (!problems.isEmpty()) {
            throw new AssertionError("The " + r.status() + " answer does not match schema '" + schema + "': " + problems + "\n" + r.text());
        }
        return JsonPath.from(r.text());
    }

    /** Cancels everything this check submitted (so no job is requeued into a later check) and kills its workers. */
    @Override
    public void close() {
        for (PythonWorker w : started) {
            w.kill();
        }
        if (!started.isEmpty()) {
            // a killed worker's job-take may still be parked on the mock, which would hand the next check's
            // job to a closed connection; let the hold run out (the lost-worker rule would recover it, later)
            long hold = RestAssured.given().get(target.adminUrl("/settings")).jsonPath().getLong("workerTakeWaitMs");
            TargetTime.pass(target, hold + 1_000);
        }
        for (String id : submitted) {
            try {
                cancel(id);
            } catch (RuntimeException | AssertionError ignored) {
                // best effort
            }
        }
        purgeQueue();
    }
}
