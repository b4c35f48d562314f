package dev.runpodkit.mock.testing;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Java stand-in for the runpod-python 1.12 worker loop, speaking the worker protocol byte for byte as captured
 * (wire-captures.md §3; runpod-api.md §6.2): the same environment variables and URL substitutions, the same
 * requests (job-take with {@code &job_in_progress=}, job-take-batch with {@code &batch_size=}, job-stop, ping
 * with {@code job_id} and {@code runpod_version}), the same headers (the raw key, the SDK's User-Agent, a JSON
 * body under {@code Content-Type: application/x-www-form-urlencoded} with a literal {@code charset: utf-8}
 * header, an {@code X-Request-ID} that sticks to the session), and the same bodies, serialised the way
 * Python's {@code json.dumps} does. runpod-python itself cannot be installed here (no PyPI), so this is what
 * the tests run against the mock.
 *
 * <p>Handlers are Java lambdas with the runpod-python semantics: a return value (a dict pops {@code error} and
 * {@code refresh_worker}), an exception (the error report JSON), {@link Job#progress progress_update}, or a
 * generator that yields chunks. {@link #kill()} is a process that dies: nothing more is sent, not even pings.
 */
public final class PythonWorker implements AutoCloseable {

    public static final String SDK_VERSION = "1.12.0";
    public static final String USER_AGENT = "RunPod-Python-SDK/1.12.0 (Linux 6.1.0-26-amd64; x86_64) Language/Python 3.11.2";
    public static final String PING_USER_AGENT = "python-requests/2.32.3";
    /** runpod-python gives up on a job-take (and a job-stop) after 90 s. */
    public static final int TAKE_TIMEOUT_MS = 90_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A plain handler: returns the result (a JsonNode, a String, a Number, a Boolean, or null) or throws. */
    @FunctionalInterface
    public interface Handler {
        Object handle(Job job) throws Exception;
    }

    /** A generator handler: each {@code yield.accept(x)} is one streamed chunk. */
    @FunctionalInterface
    public interface GeneratorHandler {
        void run(Job job, Yield yield) throws Exception;
    }

    @FunctionalInterface
    public interface Yield {
        void accept(Object partial) throws Exception;
    }

    /** The job as the handler sees it: the whole job dict the platform sent. */
    public final class Job {
        private final JsonNode raw;

        Job(JsonNode raw) {
            this.raw = raw;
        }

        public String id() {
            return raw.get("id").asString();
        }

        public JsonNode raw() {
            return raw;
        }

        public JsonNode input() {
            return raw.get("input");
        }

        /** runpod.serverless.progress_update(job, x): a job-done post with status IN_PROGRESS, from a new session. */
        public void progress(Object update) throws IOException {
            ObjectNode body = JSON.createObjectNode();
            body.put("status", "IN_PROGRESS");
            body.set("output", node(update));
            String url = doneTemplate.replace("$ID", id()) + "&isStream=false";
            RawHttp.Connection fresh = track(new RawHttp.Connection(URI.create(url)));
            try {
                send(fresh, "POST", url, resultHeaders(false), PyJson.dumps(body, false).getBytes(StandardCharsets.UTF_8), 30_000);
            } finally {
                fresh.close();
                open.remove(fresh);
            }
        }

        /** Work that takes wall time; a job-stop for this job interrupts it. */
        public void sleep(long wallMs) throws InterruptedException {
            Thread.sleep(wallMs);
        }
    }

    // ---------------------------------------------------------------- configuration

    private final String podId;
    private final String key;
    private final String getJobUrl;
    private final String stopUrl;
    private final String doneTemplate;
    private final String streamTemplate;
    private final String pingUrl;
    private final long pingIntervalMs;
    private final int concurrency;
    private final Handler handler;
    private final GeneratorHandler generator;
    private final boolean aggregate;
    private final boolean refreshWorker;
    private final long[] retryDelaysMs;

    // ---------------------------------------------------------------- state

    private volatile boolean running;
    private volatile boolean dead;
    private volatile boolean exited;
    private volatile String requestId;
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final Map<String, Future<?>> tasks = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final List<String> taken = new CopyOnWriteArrayList<>();
    private final List<String> finished = new CopyOnWriteArrayList<>();
    private final List<RawHttp.Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<RawHttp.Connection> open = new CopyOnWriteArrayList<>();
    private final ThreadLocal<RawHttp.Connection> postConnection = new ThreadLocal<>();
    private final RawHttp.Connection takeConnection;
    private final RawHttp.Connection stopConnection;
    private final RawHttp.Connection pingConnection;
    private ExecutorService jobs;
    private final List<Thread> threads = new ArrayList<>();

    private PythonWorker(Builder b) {
        Map<String, String> env = b.env;
        this.podId = env.getOrDefault("RUNPOD_POD_ID", java.util.UUID.randomUUID().toString());
        this.key = env.get("RUNPOD_AI_API_KEY");
        String getJob = require(env, "RUNPOD_WEBHOOK_GET_JOB");
        // the substitutions runpod-python makes (worker_state, rp_http, rp_ping)
        this.getJobUrl = getJob.replace("$ID", podId);
        this.stopUrl = getJobUrl.replace("/job-take/", "/job-stop/");
        this.doneTemplate = require(env, "RUNPOD_WEBHOOK_POST_OUTPUT").replace("$RUNPOD_POD_ID", podId);
        this.streamTemplate = require(env, "RUNPOD_WEBHOOK_POST_STREAM").replace("$RUNPOD_POD_ID", podId);
        this.pingUrl = env.containsKey("RUNPOD_WEBHOOK_PING") ? env.get("RUNPOD_WEBHOOK_PING").replace("$RUNPOD_POD_ID", podId) : null;
        // rp_ping.Heartbeat: int(RUNPOD_PING_INTERVAL) // 1000 whole seconds (0 for a value under 1000)
        this.pingIntervalMs = Long.parseLong(env.getOrDefault("RUNPOD_PING_INTERVAL", "10000")) / 1000 * 1000;
        this.concurrency = b.concurrency;
        this.handler = b.handler;
        this.generator = b.generator;
        this.aggregate = b.aggregate;
        this.refreshWorker = b.refreshWorker;
        this.retryDelaysMs = b.retryDelaysMs;
        URI any = URI.create(getJobUrl);
        this.takeConnection = track(new RawHttp.Connection(any));
        this.stopConnection = track(new RawHttp.Connection(any));
        this.pingConnection = track(new RawHttp.Connection(any));
    }

    private static String require(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return v;
    }

    public static Builder builder(Map<String, String> env) {
        return new Builder(env);
    }

    public static final class Builder {
        private final Map<String, String> env;
        private int concurrency = 1;
        private Handler handler = job -> job.input();
        private GeneratorHandler generator;
        private boolean aggregate;
        private boolean refreshWorker;
        private long[] retryDelaysMs = {2_000, 3_000};

        private Builder(Map<String, String> env) {
            this.env = Map.copyOf(env);
        }

        public Builder handler(Handler h) {
            this.handler = h;
            this.generator = null;
            return this;
        }

        /** A generator handler; {@code returnAggregateStream} as in runpod.serverless.start(...). */
        public Builder generator(GeneratorHandler g, boolean returnAggregateStream) {
            this.generator = g;
            this.aggregate = returnAggregateStream;
            return this;
        }

        /** A concurrency_modifier returning n: with two or more free slots the worker uses job-take-batch. */
        public Builder concurrency(int n) {
            this.concurrency = Math.max(1, n);
            return this;
        }

        /** runpod.serverless.start({"refresh_worker": True}): stopPod on every result, then the worker exits. */
        public Builder refreshWorker(boolean on) {
            this.refreshWorker = on;
            return this;
        }

        /** Delays between the 3 attempts of a result post (captured: about 2 s and 3 s). */
        public Builder retryDelays(long... ms) {
            this.retryDelaysMs = ms.clone();
            return this;
        }

        public PythonWorker start() {
            PythonWorker w = new PythonWorker(this);
            w.begin();
            return w;
        }
    }

    // ---------------------------------------------------------------- the loops

    private void begin() {
        running = true;
        jobs = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "worker-" + podId + "-job");
            t.setDaemon(true);
            return t;
        });
        thread("take", this::takeLoop);
        thread("stop", this::stopLoop);
        if (key != null && pingUrl != null) { // rp_ping: no heartbeat without RUNPOD_AI_API_KEY and RUNPOD_POD_ID
            thread("ping", this::pingLoop);
        }
    }

    private void thread(String name, Runnable body) {
        Thread t = new Thread(body, "worker-" + podId + "-" + name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** rp_scale.get_jobs: ask for as many jobs as there are free slots; 204 and 400 mean none, 429 waits 5 s. */
    private void takeLoop() {
        while (running) {
            int free = concurrency - inProgress.size();
            if (free <= 0) {
                pause(10);
                continue;
            }
            String url = free == 1 ? getJobUrl : getJobUrl.replace("/job-take/", "/job-take-batch/") + "&batch_size=" + free;
            url += "&job_in_progress=" + (inProgress.isEmpty() ? "0" : "1");
            RawHttp.Response r;
            long started = System.nanoTime();
            try {
                r = send(takeConnection, "GET", url, sessionHeaders(), null, TAKE_TIMEOUT_MS);
            } catch (SocketTimeoutException e) {
                takeConnection.reset();
                log("job-take timed out after 90 s; asking again");
                continue;
            } catch (IOException e) {
                if (running) {
                    log("job-take failed: " + e.getMessage());
                    takeConnection.reset();
                    pause(100);
                }
                continue;
            }
            switch (r.status()) {
                case 204, 400 -> {
                    // no job: ask again at once (a gentler loop only when the server does not hold at all)
                    if (System.nanoTime() - started < 2_000_000) {
                        pause(5);
                    }
                }
                case 429 -> pause(5_000);
                case 200 -> accept(r, free > 1);
                default -> {
                    log("job-take answered " + r.status());
                    pause(50);
                }
            }
        }
    }

    private void accept(RawHttp.Response r, boolean batch) {
        String type = r.header("content-type");
        if (type == null || !type.toLowerCase().startsWith("application/json") || r.body().length == 0) {
            log("job-take answered 200 without a JSON body; ignored");
            return;
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (RuntimeException e) {
            log("job-take answered malformed JSON; ignored");
            return;
        }
        List<JsonNode> got = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(got::add);
        } else {
            got.add(body);
        }
        for (JsonNode job : got) {
            if (!job.isObject() || !job.has("id") || !job.has("input")) {
                log("Job has missing field(s): id or input.");
                continue;
            }
            String id = job.get("id").asString();
            inProgress.add(id);
            taken.add(id);
            tasks.put(id, jobs.submit(() -> runJob(job)));
        }
    }

    /** The per-job stop channel (runpod-python 1.10+): 200 {"jobsToStop": [...]} cancels those jobs' tasks. */
    private void stopLoop() {
        while (running) {
            RawHttp.Response r;
            try {
                r = send(stopConnection, "GET", stopUrl, sessionHeaders(), null, TAKE_TIMEOUT_MS);
            } catch (SocketTimeoutException e) {
                stopConnection.reset();
                continue;
            } catch (IOException e) {
                if (running) {
                    stopConnection.reset();
                    pause(1_000);
                }
                continue;
            }
            if (r.status() == 200) {
                try {
                    for (JsonNode id : JSON.readTree(r.body()).path("jobsToStop")) {
                        String jobId = id.asString();
                        cancelled.add(jobId);
                        Future<?> task = tasks.get(jobId);
                        if (task != null) {
                            task.cancel(true);
                        }
                        log("job " + jobId + " stopped by the platform");
                    }
                } catch (RuntimeException e) {
                    log("job-stop answered malformed JSON");
                }
            } else if (r.status() == 429) {
                pause(5_000);
            } else if (r.status() != 204) {
                pause(1_000);
            }
        }
    }

    /** rp_ping: GET {ping}&job_id=a%2Cb&runpod_version=1.12.0 every RUNPOD_PING_INTERVAL // 1000 seconds, with requests. */
    private void pingLoop() {
        if (pingIntervalMs <= 0) {
            // requests refuses the 0 s timeout (2 x 0 s) with a ValueError the ping loop does not catch: the ping
            // process dies before its first ping
            log("Heartbeat: RUNPOD_PING_INTERVAL under 1000 is 0 s; the ping process died (ValueError: timeout 0)");
            return;
        }
        while (running) {
            StringBuilder url = new StringBuilder(pingUrl);
            if (!inProgress.isEmpty()) {
                url.append("&job_id=").append(URLEncoder.encode(String.join(",", inProgress), StandardCharsets.UTF_8));
            }
            url.append("&runpod_version=").append(SDK_VERSION);
            try {
                send(pingConnection, "GET", url.toString(), RawHttp.headers(
                        "User-Agent", PING_USER_AGENT,
                        "Accept-Encoding", "gzip, deflate",
                        "Accept", "*/*",
                        "Connection", "keep-alive",
                        "Authorization", key), null, (int) (2 * pingIntervalMs));
            } catch (IOException e) {
                pingConnection.reset();
            }
            pause(pingIntervalMs);
        }
    }

    // ---------------------------------------------------------------- running a job (rp_job)

    private void runJob(JsonNode raw) {
        Job job = new Job(raw);
        String id = job.id();
        try {
            if (generator != null) {
                runGenerator(job);
            } else {
                ObjectNode result = runHandler(job);
                if (refreshWorker) {
                    result.put("stopPod", true);
                }
                if (!isCancelled(id)) {
                    postResult(job, result, false);
                }
            }
        } catch (InterruptedException e) {
            log("job " + id + " cancelled");
        } finally {
            inProgress.remove(id);
            tasks.remove(id);
            finished.add(id);
        }
    }

    /** rp_job.run_job: the body of the final job-done for a plain handler. */
    private ObjectNode runHandler(Job job) throws InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        Object returned;
        try {
            returned = handler.handle(job);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (isCancelled(job.id())) {
                throw new InterruptedException("cancelled");
            }
            body.put("error", PyJson.dumps(errorReport(e), true));
            return body;
        }
        JsonNode output = node(returned);
        if (output.isObject()) {
            ObjectNode rest = ((ObjectNode) output).deepCopy();
            JsonNode error = rest.remove("error");
            JsonNode refresh = rest.remove("refresh_worker");
            body.set("output", rest);
            if (truthy(error)) {
                body.set("error", error);
            }
            if (truthy(refresh)) {
                body.put("stopPod", true);
            }
            if (rest.isEmpty()) {
                body.remove("output");
            }
        } else {
            body.set("output", output);
        }
        return body;
    }

    /** rp_job.run_job_generator + handle_job: one job-stream per yield, then job-done with isStream=true. */
    private void runGenerator(Job job) throws InterruptedException {
        ArrayNode collected = JSON.createArrayNode();
        ObjectNode result = JSON.createObjectNode();
        result.set("output", collected);
        try {
            generator.run(job, partial -> {
                if (isCancelled(job.id()) || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("cancelled");
                }
                JsonNode p = node(partial);
                if (aggregate) {
                    collected.add(p);
                }
                ObjectNode chunk = JSON.createObjectNode();
                chunk.set("output", p);
                post(streamTemplate.replace("$ID", job.id()) + "&isStream=false", job.id(), chunk);
            });
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (isCancelled(job.id())) {
                throw new InterruptedException("cancelled");
            }
            result = JSON.createObjectNode();
            result.put("error", "handler: " + e.getMessage() + " \ntraceback: " + traceback(e));
        }
        if (refreshWorker) {
            result.put("stopPod", true);
        }
        if (!isCancelled(job.id())) {
            postResult(job, result, true);
        }
    }

    private void postResult(Job job, ObjectNode body, boolean isStream) {
        post(doneTemplate.replace("$ID", job.id()) + "&isStream=" + (isStream ? "true" : "false"), job.id(), body);
        if (body.path("stopPod").asBoolean(false)) {
            log("stopPod sent: the worker exits after this job");
            exited = true;
            running = false;
            takeConnection.close();
            stopConnection.close();
        }
    }

    /** rp_http._transmit: 3 attempts on 5xx or a broken connection, then "Failed to return job results". */
    private void post(String url, String jobId, ObjectNode body) {
        requestId = jobId; // set on the shared session: it sticks to every later request of the session
        byte[] bytes = PyJson.dumps(body, false).getBytes(StandardCharsets.UTF_8);
        RawHttp.Connection c = postConnection.get();
        if (c == null) {
            c = track(new RawHttp.Connection(URI.create(url)));
            postConnection.set(c);
        }
        for (int attempt = 1; attempt <= 1 + retryDelaysMs.length; attempt++) {
            try {
                RawHttp.Response r = send(c, "POST", url, resultHeaders(true), bytes, 600_000);
                if (r.status() < 500) {
                    if (r.status() >= 400) {
                        log(jobId + " | Client response error while transmitting job. | " + r.status());
                    }
                    return;
                }
            } catch (IOException e) {
                if (dead) {
                    return;
                }
                c.reset();
            }
            if (attempt <= retryDelaysMs.length) {
                pause(retryDelaysMs[attempt - 1]);
            }
        }
        log("Failed to return job results. | " + jobId);
    }

    // ---------------------------------------------------------------- wire

    /** The aiohttp session's headers (http_client.AsyncClientSession), plus X-Request-ID once a result was posted. */
    private List<RawHttp.Header> sessionHeaders() {
        List<RawHttp.Header> h = RawHttp.headers(
                "Content-Type", "application/json",
                "Authorization", key,
                "User-Agent", USER_AGENT,
                "Accept-Encoding", "gzip, deflate",
                "Accept", "*/*");
        String rid = requestId;
        if (rid != null) {
            h.add(new RawHttp.Header("X-Request-ID", rid));
        }
        return h;
    }

    /** rp_http._transmit's per-request headers: a form content type for a JSON body, and a literal charset header. */
    private List<RawHttp.Header> resultHeaders(boolean session) {
        List<RawHttp.Header> h = RawHttp.headers(
                "Content-Type", "application/x-www-form-urlencoded",
                "Authorization", key,
                "User-Agent", USER_AGENT,
                "Accept-Encoding", "gzip, deflate",
                "Accept", "*/*");
        String rid = requestId;
        if (session && rid != null) {
            h.add(new RawHttp.Header("X-Request-ID", rid));
        }
        h.add(new RawHttp.Header("charset", "utf-8"));
        return h;
    }

    private RawHttp.Response send(RawHttp.Connection c, String method, String url, List<RawHttp.Header> headers,
                                  byte[] body, int timeoutMs) throws IOException {
        if (dead) {
            throw new IOException("the worker process is dead");
        }
        URI uri = URI.create(url);
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        sent.add(new RawHttp.Sent(method, target, List.copyOf(headers), body == null ? new byte[0] : body));
        return c.exchange(method, target, headers, body, timeoutMs);
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode node(Object value) {
        if (value instanceof JsonNode n) {
            return n;
        }
        return JSON.valueToTree(value);
    }

    private static boolean truthy(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isNumber()) {
            return n.doubleValue() != 0;
        }
        if (n.isTextual()) {
            return !n.stringValue().isEmpty();
        }
        return !n.isEmpty();
    }

    /** The dict rp_job.run_job reports when a handler raises, json.dumps'd into the error string. */
    private ObjectNode errorReport(Exception e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error_type", "<class '" + pythonType(e) + "'>");
        o.put("error_message", String.valueOf(e.getMessage()));
        o.put("error_traceback", traceback(e));
        o.put("hostname", "unknown");
        o.put("worker_id", podId);
        o.put("runpod_version", SDK_VERSION);
        return o;
    }

    private static String pythonType(Exception e) {
        if (e instanceof IllegalArgumentException) {
            return "ValueError";
        }
        return e instanceof RuntimeException ? "RuntimeError" : "Exception";
    }

    private static String traceback(Exception e) {
        return "Traceback (most recent call last):\n  File \"/handler.py\", line 7, in handler\n    raise "
                + pythonType(e) + "(\"" + e.getMessage() + "\")\n" + pythonType(e) + ": " + e.getMessage() + "\n";
    }

    private boolean isCancelled(String id) {
        return cancelled.contains(id);
    }

    private RawHttp.Connection track(RawHttp.Connection c) {
        open.add(c);
        return c;
    }

    private void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void log(String line) {
        log.add(line);
    }

    // ---------------------------------------------------------------- what a test looks at

    public String podId() {
        return podId;
    }

    /** Ids of the jobs this worker took, in order. */
    public List<String> taken() {
        return List.copyOf(taken);
    }

    /** Ids of the jobs whose handler has ended (posted, cancelled or failed to post). */
    public List<String> finished() {
        return List.copyOf(finished);
    }

    /** Ids of the jobs the platform stopped through job-stop. */
    public Set<String> stopped() {
        return Set.copyOf(cancelled);
    }

    public Set<String> inProgress() {
        return Set.copyOf(inProgress);
    }

    /** Every request sent, with its exact headers and body. */
    public List<RawHttp.Sent> sent() {
        return List.copyOf(sent);
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    /** True once the worker has posted a stopPod result and stopped its loops. */
    public boolean exited() {
        return exited;
    }

    /** The process dies: loops and handlers stop where they are, open connections drop, nothing more is sent. */
    public void kill() {
        dead = true;
        running = false;
        for (RawHttp.Connection c : open) {
            c.close();
        }
        if (jobs != null) {
            jobs.shutdownNow();
        }
        threads.forEach(Thread::interrupt);
    }

    @Override
    public void close() {
        kill();
    }
}
