package dev.runpodkit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The benchmark of bench/bench.sh: in one run on one machine it starts the mock (request log off, a webhook-free,
 * zero-delay workload), WireMock standalone with static stubs that answer the mock's own bodies, and a bare
 * Javalin route answering the same bodies (the ceiling); it drives each with wrk at identical settings after a
 * warm-up, in interleaved rounds (so a change in machine load hits all three alike), and writes
 * reports/bench/bench.json and bench.md. Every server it starts is stopped when it ends, and its PID is written
 * to a file for the shell script's trap.
 *
 * <p>Warm-up runs until the server's JIT has settled, not for a fixed time: on 2 cores its C2 compiler was still
 * busy a quarter of the time after 20 s of /run load, and a fixed warm-up then measures a half-compiled server.
 * Each warm-up lasts at least BENCH_WARMUP seconds, then goes on in 5 s slices while the server's compilers were
 * busy more than BENCH_JIT_SETTLED of a slice (read with {@code jcmd PerfCounter.print}), at most
 * BENCH_WARMUP_MAX seconds; the report gives each warm-up's length and last share.
 *
 * <p>Settings (environment): BENCH_DURATION (s per measurement, 8), BENCH_WARMUP (s, 20), BENCH_WARMUP_MAX
 * (s, 120), BENCH_JIT_SETTLED (0.05), BENCH_ROUNDS (5), BENCH_THREADS (wrk threads, 2), BENCH_CONNECTIONS (32),
 * BENCH_JVM_FLAGS (for all three servers, "-Xms1g -Xmx1g").
 */
public final class Benchmark {

    static final String API_KEY = "bench-key";
    static final String ENDPOINT = "bench-endpoint";
    static final String JOB_BODY = "{\"input\":{\"prompt\":\"hello\"}}";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One load shape: a route, its request, and the wrk settings. */
    record Scenario(String name, String method, String path, String body, int threads, int connections, String note) { }

    /**
     * One wrk run's figures, and the server process's own CPU time per request over the run ({@code serverCpuUs},
     * NaN where /proc cannot be read): on a machine whose cores wrk and the server share, what the server itself
     * costs per request, whatever the scheduler did with wrk.
     */
    record Figures(double rps, long requests, long p50us, long p90us, long p99us, long maxUs, long non2xx, long socketErrors,
                   double serverCpuUs) { }

    private final Map<String, String> env;
    private final Path kitRoot;
    private final Path out;
    private final Path work;
    private final Path pidFile;
    private final int duration;
    private final int warmup;
    private final int warmupMax;
    private final double jitSettled;
    private final int rounds;
    private final int threads;
    private final int connections;
    private final List<String> jvmFlags;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Benchmark(Map<String, String> env, Path kitRoot) {
        this.env = env;
        this.kitRoot = kitRoot;
        this.out = kitRoot.resolve("reports/bench");
        this.work = kitRoot.resolve("bench/target/bench-run");
        this.pidFile = Path.of(env.getOrDefault("BENCH_PID_FILE", work.resolve("servers.pid").toString()));
        this.duration = intEnv("BENCH_DURATION", 8);
        this.warmup = intEnv("BENCH_WARMUP", 20);
        this.warmupMax = Math.max(warmup, intEnv("BENCH_WARMUP_MAX", 120));
        this.jitSettled = Double.parseDouble(env.getOrDefault("BENCH_JIT_SETTLED", "0.05").trim());
        this.rounds = intEnv("BENCH_ROUNDS", 5);
        this.threads = intEnv("BENCH_THREADS", 2);
        this.connections = intEnv("BENCH_CONNECTIONS", 32);
        this.jvmFlags = Arrays.stream(env.getOrDefault("BENCH_JVM_FLAGS", "-Xms1g -Xmx1g").trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
    }

    private int intEnv(String name, int dflt) {
        String v = env.get(name);
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        new Benchmark(System.getenv(), root).run();
    }

    void run() throws Exception {
        Files.createDirectories(out);
        Files.createDirectories(work);
        Files.deleteIfExists(pidFile);
        Path mockJar = kitRoot.resolve("mock-server/target/runpod-mock.jar");
        Path wiremockJar = kitRoot.resolve("bench/target/baseline/wiremock-standalone.jar");
        String ownClasspath = System.getProperty("java.class.path");
        String loadBefore = loadAverage();
        Instant started = Instant.now();

        List<ServerProcess> servers = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> servers.forEach(ServerProcess::close), "stop-servers"));
        try {
            System.out.println("bench: starting the mock (" + mockJar + ")");
            ServerProcess mock = ServerProcess.start("mock", ServerProcess.javaJar(jvmFlags, mockJar, List.of(
                    // the documented rate limits (1000 /run per 10 s) would turn a load test into a 429 test
                    "--quiet", "--rate-limits", "off", "--port", "0", "--api-key", API_KEY, "--endpoint", ENDPOINT)),
                    work.resolve("mock.log"), null, pidFile, 60_000);
            servers.add(mock);

            // the mock's own answers become the static bodies of the baseline and the ceiling
            Path bodies = work.resolve("bodies");
            Files.createDirectories(bodies);
            String runBody = send(mock.baseUrl(), "POST", "/v2/" + ENDPOINT + "/run", JOB_BODY).body();
            String jobId = JSON.readTree(runBody).get("id").asString();
            String statusBody = awaitCompleted(mock.baseUrl(), jobId);
            String runsyncBody = send(mock.baseUrl(), "POST", "/v2/" + ENDPOINT + "/runsync", JOB_BODY).body();
            Files.writeString(bodies.resolve("run.json"), runBody);
            Files.writeString(bodies.resolve("status.json"), statusBody);
            Files.writeString(bodies.resolve("runsync.json"), runsyncBody);
            Path wmRoot = work.resolve("wiremock");
            writeStubs(wmRoot, runBody, statusBody, runsyncBody);

            System.out.println("bench: starting WireMock standalone (" + wiremockJar.getFileName() + ")");
            ServerProcess wiremock = ServerProcess.start("wiremock", ServerProcess.javaJar(jvmFlags, wiremockJar, List.of(
                    "--port", "0", "--bind-address", "127.0.0.1", "--root-dir", wmRoot.toString(), "--no-request-journal")),
                    work.resolve("wiremock.log"), Pattern.compile("^port:\\s+(\\d+)"), pidFile, 120_000);
            servers.add(wiremock);
            System.out.println("bench: starting the bare Javalin ceiling");
            ServerProcess bare = ServerProcess.start("bare-javalin", ServerProcess.javaMain(jvmFlags, ownClasspath,
                    BareJavalin.class.getName(), List.of("--port", "0", "--api-key", API_KEY, "--bodies", bodies.toString())),
                    work.resolve("bare-javalin.log"), null, pidFile, 60_000);
            servers.add(bare);

            Map<String, ServerProcess> targets = new LinkedHashMap<>();
            targets.put("mock", mock);
            targets.put("wiremock", wiremock);
            targets.put("bare-javalin", bare);

            // /status first: the job it reads must still be stored, and the /run flood after it fills the mock's
            // job store until its memory budget forgets the oldest finished jobs (DEC-034)
            List<Scenario> scenarios = List.of(
                    new Scenario("GET /status/{id}", "GET", "/v2/" + ENDPOINT + "/status/" + jobId, null, threads, connections,
                            "a completed job"),
                    new Scenario("POST /run", "POST", "/v2/" + ENDPOINT + "/run", JOB_BODY, threads, connections,
                            "queues a zero-delay job (the mock stores it; its workers run it)"),
                    new Scenario("POST /runsync", "POST", "/v2/" + ENDPOINT + "/runsync", JOB_BODY, threads, connections,
                            "a zero-delay job, held until it completes"),
                    new Scenario("POST /runsync (1 connection)", "POST", "/v2/" + ENDPOINT + "/runsync", JOB_BODY, 1, 1,
                            "latency of one client, no queueing in front of the server"));

            ObjectNode equivalence = checkEquivalence(targets, scenarios);

            Map<String, Map<String, List<Figures>>> results = new LinkedHashMap<>();
            Map<String, Map<String, Warmup>> warmups = new LinkedHashMap<>();
            for (Scenario s : scenarios) {
                Map<String, List<Figures>> perTarget = new LinkedHashMap<>();
                for (Map.Entry<String, ServerProcess> t : targets.entrySet()) {
                    Warmup w = warmUp(t.getValue(), s);
                    System.out.printf(Locale.ROOT, "bench: warm-up %-30s %-13s %d s, JIT busy %.0f %% of the last slice%s%n",
                            s.name(), t.getKey(), w.seconds(), w.lastJitShare() * 100, w.settled() ? "" : " (not settled)");
                    warmups.computeIfAbsent(s.name(), k -> new LinkedHashMap<>()).put(t.getKey(), w);
                    perTarget.put(t.getKey(), new ArrayList<>());
                }
                for (int r = 1; r <= rounds; r++) {
                    for (Map.Entry<String, ServerProcess> t : targets.entrySet()) {
                        Figures f = wrk(t.getValue(), s, duration);
                        perTarget.get(t.getKey()).add(f);
                        System.out.printf(Locale.ROOT, "bench: round %d %-30s %-13s %,10.0f req/s  p50 %s  p99 %s  server %.0f µs/req%s%n",
                                r, s.name(), t.getKey(), f.rps(), ms(f.p50us()), ms(f.p99us()), f.serverCpuUs(),
                                f.non2xx() + f.socketErrors() > 0 ? "  (" + f.non2xx() + " non-2xx, " + f.socketErrors() + " socket errors)" : "");
                    }
                }
                results.put(s.name(), perTarget);
            }
            String health = send(mock.baseUrl(), "GET", "/v2/" + ENDPOINT + "/health", null).body();
            ObjectNode report = report(scenarios, results, warmups, equivalence, health, loadBefore, loadAverage(), started);
            Files.writeString(out.resolve("bench.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
            String md = markdown(report);
            Files.writeString(out.resolve("bench.md"), md);
            System.out.println();
            System.out.println(md);
            System.out.println("bench: wrote " + kitRoot.relativize(out.resolve("bench.json")) + " and " + kitRoot.relativize(out.resolve("bench.md")));
        } finally {
            for (ServerProcess s : servers) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------- servers and stubs

    private HttpResponse<String> send(String base, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String awaitCompleted(String base, String jobId) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            String body = send(base, "GET", "/v2/" + ENDPOINT + "/status/" + jobId, null).body();
            if (body.contains("\"COMPLETED\"") || System.currentTimeMillis() > deadline) {
                return body;
            }
            Thread.sleep(50);
        }
    }

    /** WireMock stubs for the three routes: method, path and the same Authorization the mock checks, the mock's body. */
    private static void writeStubs(Path root, String run, String status, String runsync) throws IOException {
        Path mappings = root.resolve("mappings");
        Files.createDirectories(mappings);
        Files.createDirectories(root.resolve("__files"));
        Files.writeString(mappings.resolve("run.json"), stub("POST", "/v2/[^/]+/run", run));
        Files.writeString(mappings.resolve("status.json"), stub("GET", "/v2/[^/]+/status/[^/]+", status));
        Files.writeString(mappings.resolve("runsync.json"), stub("POST", "/v2/[^/]+/runsync", runsync));
    }

    private static String stub(String method, String pathPattern, String body) {
        ObjectNode m = JSON.createObjectNode();
        ObjectNode req = m.putObject("request");
        req.put("method", method);
        req.put("urlPathPattern", pathPattern);
        req.putObject("headers").putObject("Authorization").put("equalTo", "Bearer " + API_KEY);
        ObjectNode res = m.putObject("response");
        res.put("status", 200);
        res.putObject("headers").put("Content-Type", "application/json");
        res.put("body", body);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m);
    }

    /** One request per scenario and target before measuring: each answers 200, with the same body or the same keys. */
    private ObjectNode checkEquivalence(Map<String, ServerProcess> targets, List<Scenario> scenarios) throws Exception {
        ObjectNode eq = JSON.createObjectNode();
        for (Scenario s : scenarios.subList(0, 3)) {
            ObjectNode perScenario = eq.putObject(s.name());
            String reference = null;
            for (Map.Entry<String, ServerProcess> t : targets.entrySet()) {
                HttpResponse<String> r = send(t.getValue().baseUrl(), s.method(), s.path(), s.body());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(t.getKey() + " answered " + r.statusCode() + " to " + s.name() + ": " + r.body());
                }
                String shape = keys(r.body());
                if (reference == null) {
                    reference = shape;
                } else if (!reference.equals(shape)) {
                    throw new IllegalStateException(t.getKey() + " answers " + s.name() + " with keys " + shape + ", the mock with " + reference);
                }
                perScenario.put(t.getKey(), r.body());
            }
        }
        return eq;
    }

    private static String keys(String json) {
        List<String> names = new ArrayList<>();
        JSON.readTree(json).propertyNames().forEach(names::add);
        return names.toString();
    }

    // ---------------------------------------------------------------- wrk

    /** How one server was warmed for one scenario. */
    record Warmup(int seconds, double lastJitShare, boolean settled) { }

    private static final int WARMUP_SLICE_SECONDS = 5;

    /**
     * Drives {@code target} with the scenario's load until its JIT has settled (see the class comment). Without
     * jcmd (a JRE) the JIT cannot be read and the warm-up is the fixed minimum.
     */
    private Warmup warmUp(ServerProcess target, Scenario s) throws IOException, InterruptedException {
        int spent = 0;
        double[] before = jitBusySeconds(target.pid());
        int slice = warmup;
        while (true) {
            wrk(target, s, slice);
            spent += slice;
            double[] after = jitBusySeconds(target.pid());
            if (before == null || after == null) {
                return new Warmup(spent, Double.NaN, false);
            }
            // compile time over the slice, per compiler thread: 1.0 = every compiler busy throughout
            double share = (after[0] - before[0]) / (slice * after[1]);
            before = after;
            if (share <= jitSettled) {
                return new Warmup(spent, share, true);
            }
            if (spent >= warmupMax) {
                return new Warmup(spent, share, false);
            }
            slice = Math.min(WARMUP_SLICE_SECONDS, warmupMax - spent);
        }
    }

    /** {seconds the JIT compilers have spent compiling, number of compiler threads} of a JVM, or null if unreadable. */
    static double[] jitBusySeconds(long pid) {
        try {
            Path jcmd = Path.of(ServerProcess.javaBinary()).resolveSibling("jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "PerfCounter.print")
                    .redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (p.waitFor() != 0) {
                return null;
            }
            return parseJitCounters(out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Parses jcmd PerfCounter.print output: compile time (standard + OSR) in seconds, and compiler threads. */
    static double[] parseJitCounters(String perfCounters) {
        Map<String, String> c = new java.util.HashMap<>();
        perfCounters.lines().forEach(l -> {
            int eq = l.indexOf('=');
            if (eq > 0) {
                c.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
            }
        });
        String freq = c.get("sun.os.hrt.frequency");
        String standard = c.get("sun.ci.standardTime");
        String osr = c.get("sun.ci.osrTime");
        String threads = c.get("sun.ci.threads");
        if (freq == null || standard == null || osr == null || threads == null) {
            return null;
        }
        try {
            double ticks = Long.parseLong(standard) + Long.parseLong(osr);
            return new double[] {ticks / Long.parseLong(freq), Math.max(1, Integer.parseInt(threads))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Figures wrk(ServerProcess target, Scenario s, int seconds) throws IOException, InterruptedException {
        Path script = kitRoot.resolve("bench/wrk/bench.lua");
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t" + s.threads(), "-c" + s.connections(), "-d" + seconds + "s",
                "--timeout", "10s", "-s", script.toString(), target.baseUrl() + s.path()).redirectErrorStream(true);
        pb.environment().put("BENCH_METHOD", s.method());
        pb.environment().put("BENCH_AUTH", "Bearer " + API_KEY);
        if (s.body() != null) {
            pb.environment().put("BENCH_BODY", s.body());
        }
        long ticksBefore = cpuTicks(target.pid());
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new IOException("wrk failed: " + output);
        }
        long ticksAfter = cpuTicks(target.pid());
        String line = output.lines().filter(l -> l.startsWith("BENCH-JSON ")).findFirst()
                .orElseThrow(() -> new IOException("no BENCH-JSON line in wrk's output: " + output));
        JsonNode j = JSON.readTree(line.substring("BENCH-JSON ".length()));
        long requests = j.get("requests").asLong();
        double cpuUs = ticksBefore < 0 || ticksAfter < 0 || requests == 0 ? Double.NaN
                : (ticksAfter - ticksBefore) * (1_000_000.0 / CLOCK_TICKS_PER_SECOND) / requests;
        return new Figures(j.get("rps").asDouble(), requests, j.get("p50_us").asLong(),
                j.get("p90_us").asLong(), j.get("p99_us").asLong(), j.get("max_us").asLong(), j.get("errors_status").asLong(),
                j.get("errors_connect").asLong() + j.get("errors_read").asLong() + j.get("errors_write").asLong()
                        + j.get("errors_timeout").asLong(), cpuUs);
    }

    /** Linux's USER_HZ, the unit of /proc/PID/stat's CPU times: 100 on every mainstream architecture. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    /** User plus system CPU time of a process so far, in clock ticks; -1 if it cannot be read (no /proc). */
    static long cpuTicks(long pid) {
        try {
            return parseCpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime (fields 14 and 15) of a /proc/PID/stat line; the command name in parentheses may hold spaces. */
    static long parseCpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    // ---------------------------------------------------------------- the report

    private ObjectNode report(List<Scenario> scenarios, Map<String, Map<String, List<Figures>>> results,
                              Map<String, Map<String, Warmup>> warmups, ObjectNode equivalence,
                              String mockHealth, String loadBefore, String loadAfter, Instant started) throws IOException, InterruptedException {
        ObjectNode r = JSON.createObjectNode();
        r.put("command", "bench/bench.sh");
        r.put("provisional", "figures from one machine at one time; compare ratios, not absolute numbers");
        r.put("started", started.toString());
        r.put("finished", Instant.now().toString());
        ObjectNode machine = r.putObject("machine");
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("cpuModel", cpuModel());
        machine.put("loadAverageBefore", loadBefore);
        machine.put("loadAverageAfter", loadAfter);
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("wrk", wrkVersion());
        ObjectNode settings = r.putObject("settings");
        settings.put("jvmFlags", String.join(" ", jvmFlags));
        settings.put("wrkThreads", threads);
        settings.put("wrkConnections", connections);
        settings.put("durationSeconds", duration);
        settings.put("warmupSeconds", warmup);
        settings.put("warmupMaxSeconds", warmupMax);
        settings.put("warmup", "at least warmupSeconds, then 5 s slices until the server's JIT compilers were busy at most "
                + jitSettled + " of a slice, at most warmupMaxSeconds");
        settings.put("rounds", rounds);
        settings.put("figure", "median of the rounds; targets measured in turn within each round");
        settings.put("mock", "runpod-mock.jar --quiet --rate-limits off (request log and rate limits off), defaults otherwise: 2 workers, retention 30 min; jobs without webhook or delay");
        settings.put("wiremock", "wiremock-standalone " + wiremockVersion() + " --no-request-journal, 3 static stubs (method, path pattern, Authorization) with the mock's bodies");
        settings.put("bareJavalin", "Javalin routes checking Authorization and answering the same bytes (dev.runpodkit.bench.BareJavalin)");
        ArrayNode rows = r.putArray("scenarios");
        for (Scenario s : scenarios) {
            ObjectNode row = rows.addObject();
            row.put("scenario", s.name());
            row.put("note", s.note());
            row.put("wrk", "-t" + s.threads() + " -c" + s.connections() + " -d" + duration + "s");
            Map<String, List<Figures>> perTarget = results.get(s.name());
            ObjectNode targets = row.putObject("targets");
            for (Map.Entry<String, List<Figures>> e : perTarget.entrySet()) {
                ObjectNode t = targets.putObject(e.getKey());
                List<Figures> fs = e.getValue();
                t.put("rps", Math.round(median(fs.stream().mapToDouble(Figures::rps).toArray())));
                t.put("p50Ms", round3(median(fs.stream().mapToDouble(f -> f.p50us() / 1000.0).toArray())));
                t.put("p99Ms", round3(median(fs.stream().mapToDouble(f -> f.p99us() / 1000.0).toArray())));
                t.put("requests", fs.stream().mapToLong(Figures::requests).sum());
                double cpu = median(fs.stream().mapToDouble(Figures::serverCpuUs).filter(v -> !Double.isNaN(v)).toArray());
                if (cpu > 0) {
                    t.put("serverCpuUsPerRequest", round3(cpu));
                }
                t.put("non2xx", fs.stream().mapToLong(Figures::non2xx).sum());
                t.put("socketErrors", fs.stream().mapToLong(Figures::socketErrors).sum());
                Warmup w = warmups.get(s.name()).get(e.getKey());
                ObjectNode wo = t.putObject("warmup");
                wo.put("seconds", w.seconds());
                wo.put("lastSliceJitShare", round3(w.lastJitShare()));
                wo.put("settled", w.settled());
                ArrayNode raw = t.putArray("rounds");
                for (Figures f : fs) {
                    ObjectNode o = raw.addObject();
                    o.put("rps", Math.round(f.rps()));
                    o.put("p50Ms", f.p50us() / 1000.0);
                    o.put("p99Ms", f.p99us() / 1000.0);
                    if (!Double.isNaN(f.serverCpuUs())) {
                        o.put("serverCpuUs", round3(f.serverCpuUs()));
                    }
                }
            }
            double mock = targets.get("mock").get("rps").asDouble();
            row.put("mockOverWiremock", round3(mock / targets.get("wiremock").get("rps").asDouble()));
            row.put("mockOverBareJavalin", round3(mock / targets.get("bare-javalin").get("rps").asDouble()));
            // the same ratio within each round: how far one run of the command can stray from the median
            ArrayNode overWiremock = row.putArray("mockOverWiremockByRound");
            roundRatios(perTarget.get("mock"), perTarget.get("wiremock")).forEach(v -> overWiremock.add(round3(v)));
            ArrayNode overBare = row.putArray("mockOverBareJavalinByRound");
            roundRatios(perTarget.get("mock"), perTarget.get("bare-javalin")).forEach(v -> overBare.add(round3(v)));
            if (targets.get("mock").has("serverCpuUsPerRequest") && targets.get("bare-javalin").has("serverCpuUsPerRequest")) {
                row.put("mockCpuOverBareJavalinCpu", round3(targets.get("mock").get("serverCpuUsPerRequest").asDouble()
                        / targets.get("bare-javalin").get("serverCpuUsPerRequest").asDouble()));
            }
        }
        ObjectNode goals = r.putObject("targets");
        for (JsonNode row : rows) {
            String name = row.get("scenario").asString();
            // a figure earned with errors (a 404, a 429, a broken socket) is no figure: the goal is not met
            JsonNode mockRow = row.get("targets").get("mock");
            boolean clean = mockRow.get("non2xx").asLong() + mockRow.get("socketErrors").asLong() == 0;
            if (name.equals("POST /run") || name.equals("GET /status/{id}")) {
                goal(goals, name + ": mock >= 1.5x WireMock", row.get("mockOverWiremock").asDouble(), 1.5, true, clean)
                        .set("byRound", row.get("mockOverWiremockByRound"));
                goal(goals, name + ": mock >= 0.8x bare Javalin", row.get("mockOverBareJavalin").asDouble(), 0.8, true, clean)
                        .set("byRound", row.get("mockOverBareJavalinByRound"));
            }
            if (name.equals("POST /runsync (1 connection)")) {
                ArrayNode byRound = JSON.createArrayNode();
                mockRow.get("rounds").forEach(o -> byRound.add(o.get("p50Ms").asDouble()));
                goal(goals, "POST /runsync zero-delay job p50 < 2 ms (1 connection)",
                        mockRow.get("p50Ms").asDouble(), 2.0, false, clean).set("byRound", byRound);
            }
        }
        r.set("equivalence", equivalence);
        r.put("mockHealthAfter", mockHealth);
        return r;
    }

    private static ObjectNode goal(ObjectNode goals, String name, double value, double bound, boolean atLeast, boolean clean) {
        ObjectNode g = goals.putObject(name);
        g.put("value", value);
        g.put("bound", bound);
        g.put("atLeast", atLeast);
        g.put("met", clean && meets(value, bound, atLeast));
        if (!clean) {
            g.put("why", "the mock answered errors in this scenario");
        }
        return g;
    }

    private static boolean meets(double value, double bound, boolean atLeast) {
        return atLeast ? value >= bound : value < bound;
    }

    /** For each round, the mock's requests per second over the other server's in that same round. */
    static List<Double> roundRatios(List<Figures> mock, List<Figures> other) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(mock.size(), other.size()); i++) {
            ratios.add(mock.get(i).rps() / other.get(i).rps());
        }
        return ratios;
    }

    /**
     * A goal's figures round by round, e.g. "rounds 0.61–0.82, 2 of 5 met it": a rerun of the command lands
     * somewhere in that spread, so one run's median above or below the bound is read with it in view.
     */
    static String roundSpread(JsonNode goal) {
        JsonNode byRound = goal.get("byRound");
        if (byRound == null || byRound.isEmpty()) {
            return "";
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int met = 0;
        for (JsonNode v : byRound) {
            min = Math.min(min, v.asDouble());
            max = Math.max(max, v.asDouble());
            if (meets(v.asDouble(), goal.get("bound").asDouble(), goal.get("atLeast").asBoolean())) {
                met++;
            }
        }
        return String.format(Locale.ROOT, "; rounds %.3f–%.3f, %d of %d met it", min, max, met, byRound.size());
    }

    static String markdown(JsonNode r) {
        StringBuilder sb = new StringBuilder();
        sb.append("## Benchmark: mock vs WireMock static stubs vs bare Javalin\n\n");
        JsonNode m = r.get("machine");
        JsonNode s = r.get("settings");
        sb.append("`").append(r.get("command").asString()).append("` — ").append(r.get("started").asString())
                .append(", ").append(m.get("cpus").asInt()).append(" CPUs (").append(m.get("cpuModel").asString())
                .append("), load average before/after ").append(m.get("loadAverageBefore").asString()).append(" / ")
                .append(m.get("loadAverageAfter").asString()).append("\n\n");
        sb.append("JVM flags (all three servers): `").append(s.get("jvmFlags").asString()).append("`; ")
                .append(m.get("java").asString()).append("; ").append(m.get("wrk").asString()).append(", ")
                .append(s.get("durationSeconds").asInt()).append(" s per measurement after a warm-up of ")
                .append(warmupRange(r)).append(" (until the JIT settled), median of ").append(s.get("rounds").asInt())
                .append(" interleaved rounds. **Provisional**: ").append(r.get("provisional").asString()).append(".\n\n");
        sb.append("| scenario | wrk | mock req/s | WireMock req/s | bare Javalin req/s | mock / WireMock | mock / bare Javalin | mock p50 / p99 ms | WireMock p50 / p99 ms | bare p50 / p99 ms |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (JsonNode row : r.get("scenarios")) {
            JsonNode t = row.get("targets");
            sb.append("| ").append(row.get("scenario").asString()).append(" | `").append(row.get("wrk").asString()).append("` | ")
                    .append(String.format(Locale.ROOT, "%,d", t.get("mock").get("rps").asLong())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", t.get("wiremock").get("rps").asLong())).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", t.get("bare-javalin").get("rps").asLong())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f×", row.get("mockOverWiremock").asDouble())).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f %%", row.get("mockOverBareJavalin").asDouble() * 100)).append(" | ")
                    .append(latency(t.get("mock"))).append(" | ").append(latency(t.get("wiremock"))).append(" | ")
                    .append(latency(t.get("bare-javalin"))).append(" |\n");
        }
        sb.append("\nServer CPU per request (µs; user + system time of the server process over each run, median of the rounds;"
                + " the machine's other work, wrk's included, not counted):\n\n");
        sb.append("| scenario | mock | WireMock | bare Javalin | mock / bare Javalin |\n|---|---:|---:|---:|---:|\n");
        for (JsonNode row : r.get("scenarios")) {
            JsonNode t = row.get("targets");
            sb.append("| ").append(row.get("scenario").asString()).append(" | ").append(cpu(t.get("mock"))).append(" | ")
                    .append(cpu(t.get("wiremock"))).append(" | ").append(cpu(t.get("bare-javalin"))).append(" | ")
                    .append(row.has("mockCpuOverBareJavalinCpu")
                            ? String.format(Locale.ROOT, "%.2f×", row.get("mockCpuOverBareJavalinCpu").asDouble()) : "–")
                    .append(" |\n");
        }
        sb.append("\nTargets:\n\n");
        r.get("targets").properties().forEach(e -> sb.append("- ").append(e.getValue().get("met").asBoolean() ? "met" : "**NOT met**")
                .append(": ").append(e.getKey()).append(" (").append(String.format(Locale.ROOT, "%.3f", e.getValue().get("value").asDouble()))
                .append(roundSpread(e.getValue()))
                .append(e.getValue().has("why") ? "; " + e.getValue().get("why").asString() : "").append(")\n"));
        long errors = 0;
        for (JsonNode row : r.get("scenarios")) {
            for (JsonNode t : row.get("targets")) {
                errors += t.get("non2xx").asLong() + t.get("socketErrors").asLong();
            }
        }
        sb.append("\nNon-2xx answers and socket errors over all runs: ").append(errors).append(". Mock /health after the run: `")
                .append(r.get("mockHealthAfter").asString()).append("`\n");
        return sb.toString();
    }

    /** The shortest and longest warm-up of the run, e.g. "20–45 s". */
    private static String warmupRange(JsonNode r) {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (JsonNode row : r.get("scenarios")) {
            for (JsonNode t : row.get("targets")) {
                JsonNode w = t.get("warmup");
                if (w != null) {
                    min = Math.min(min, w.get("seconds").asInt());
                    max = Math.max(max, w.get("seconds").asInt());
                }
            }
        }
        if (max == 0) {
            return r.get("settings").get("warmupSeconds").asInt() + " s";
        }
        return min == max ? min + " s" : min + "–" + max + " s";
    }

    private static String cpu(JsonNode t) {
        return t.has("serverCpuUsPerRequest") ? String.format(Locale.ROOT, "%.1f", t.get("serverCpuUsPerRequest").asDouble()) : "–";
    }

    private static String latency(JsonNode t) {
        return String.format(Locale.ROOT, "%.2f / %.2f", t.get("p50Ms").asDouble(), t.get("p99Ms").asDouble());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n == 0 ? 0 : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static String ms(long us) {
        return String.format(Locale.ROOT, "%.2f ms", us / 1000.0);
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String wrkVersion() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
        String text;
        try (InputStream in = p.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        p.waitFor();
        return text.lines().findFirst().orElse("wrk").replaceAll("\\s*\\[.*", "").trim();
    }

    private String wiremockVersion() {
        return env.getOrDefault("BENCH_WIREMOCK_VERSION", "");
    }
}
