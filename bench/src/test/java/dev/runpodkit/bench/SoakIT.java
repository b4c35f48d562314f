package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The soak: N jobs at concurrency C against the mock jar on a clock 50 times faster than the wall clock, with
 * random delays, failures, execution timeouts, cancels and retries, every job with a webhook to a receiver that
 * answers 500 now and then. It ends by itself and checks: zero jobs lost, zero duplicated, every webhook
 * attempted as specified (until a 200, at most 3 attempts, one delivery per terminal state, none for a cancelled
 * job), and the endpoint's /health counters adding up to what the clients saw.
 *
 * <p>Short (every {@code mvn verify}): 5,000 jobs at concurrency 32. Long: {@code -Psoak} (100,000 at 64).
 */
class SoakIT {

    private static final double TIME_SCALE = 50;
    private static final double WEBHOOK_FAILURE_RATE = 0.15;
    private static final int ATTEMPTS = 3;
    /** Journal entries kept per job: up to 3 attempts per episode, and a retried job has several episodes. */
    private static final int JOURNAL_SIZE_PER_JOB = 8;

    /** One terminal state of a job that should bring a webhook: job id and its retries count at the time. */
    private record Episode(String jobId, int retries) {
        String key() {
            return jobId + "#" + retries;
        }
    }

    /** What the receiver got and answered for one episode, in arrival order. */
    private record Delivery(String status, int answer) { }

    /** What a client saw of one job from start to end. */
    private record Outcome(String jobId, String finalStatus, int retries, List<String> episodeStatuses, boolean lost, String note) { }

    private final Map<String, List<Delivery>> deliveries = new ConcurrentHashMap<>();
    private final AtomicLong webhookPosts = new AtomicLong();
    private final AtomicLong secretHits = new AtomicLong();
    private final AtomicLong responsesSeen = new AtomicLong();
    private final ConcurrentLinkedQueue<String> hitSamples = new ConcurrentLinkedQueue<>();
    private List<String> secrets;
    private Path responsesFile;
    private Path webhooksFile;
    private final AtomicInteger recordedResponses = new AtomicInteger();
    private final AtomicInteger recordedWebhooks = new AtomicInteger();
    private static final int RECORD_CAP = 60_000;
    /**
     * Recorded bodies wait here and are written once the jobs are done: opening the file for every webhook made the
     * receiver so slow under the 100,000-job load that the mock's attempts timed out and were rightly sent again.
     */
    private final ConcurrentLinkedQueue<String> responseLines = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> webhookLines = new ConcurrentLinkedQueue<>();

    @Test
    @DisplayName("N jobs at concurrency C: none lost, none duplicated, webhooks as specified, /health adds up")
    void soak() throws Exception {
        int jobs = (int) Reliability.longProperty("bench.soak.jobs", 5_000);
        int concurrency = (int) Reliability.longProperty("bench.soak.concurrency", 32);
        Path reports = Reliability.reportsDir("soak");
        responsesFile = reports.resolve("responses.ndjson");
        webhooksFile = reports.resolve("webhooks.ndjson");
        Files.deleteIfExists(responsesFile);
        Files.deleteIfExists(webhooksFile);

        String apiKey = Reliability.randomKey("soak-key");
        String s3AccessId = "AKIASOAK" + Long.toHexString(ThreadLocalRandom.current().nextLong()).toUpperCase(Locale.ROOT);
        String s3Secret = Reliability.randomKey("soak-s3secret");
        // a password in the endpoint URL's user-info is as secret as accessSecret (the mock refuses such an upload)
        String s3UrlPassword = Reliability.randomKey("soak-s3urlpw");
        secrets = List.of(apiKey, s3AccessId, s3Secret, s3UrlPassword);
        Reliability.recordSecrets("soak", secrets);

        HttpServer receiver = startReceiver();
        String hook = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        String endpoint = "soak-ep";
        long started = System.nanoTime();
        try (ServerProcess mock = Reliability.startMock("soak-mock", List.of("-Xmx1g"), List.of(
                "--port", "0", "--api-key", apiKey, "--endpoint", endpoint, "--workers", "16", "--rate-limits", "off",
                "--time-scale", String.valueOf(TIME_SCALE),
                // an attempt that gets no answer within 10 min of mock time (12 s of wall time) has failed; a
                // receiver that falls behind under load can still answer later, which is why the journal judges
                "--webhook-attempt-timeout-ms", "600000",
                // room for every attempt: the journal is the mock's own account of each attempt and its outcome,
                // which the checks below hold to the rule (its cap is unit-tested in WebhookDeliveryTest)
                "--webhook-journal-size", String.valueOf(JOURNAL_SIZE_PER_JOB * jobs)))) {
            Reliability.Client client = new Reliability.Client(mock.baseUrl(), apiKey, this::seen);
            String base = "/v2/" + endpoint;

            Set<String> ids = ConcurrentHashMap.newKeySet();
            AtomicLong duplicates = new AtomicLong();
            AtomicInteger next = new AtomicInteger();
            List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
            AtomicLong cancels = new AtomicLong();
            AtomicLong retries = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        Outcome o = runOneJob(client, base, hook, i, s3AccessId, s3Secret, s3UrlPassword, ids, duplicates, cancels, retries);
                        outcomes.add(o);
                    }
                    return null;
                }));
            }
            long bound = Math.max(180, jobs / 40L);
            for (Future<?> f : workers) {
                f.get(bound, TimeUnit.SECONDS);
            }
            pool.shutdown();
            double jobsSeconds = (System.nanoTime() - started) / 1e9;

            // expected webhook episodes, from what the clients saw
            Map<String, String> expected = new LinkedHashMap<>();
            Map<String, Long> finals = new LinkedHashMap<>();
            for (Outcome o : outcomes) {
                finals.merge(o.finalStatus(), 1L, Long::sum);
                for (int e = 0; e < o.episodeStatuses().size(); e++) {
                    String st = o.episodeStatuses().get(e);
                    if (!st.equals("CANCELLED")) {
                        expected.put(new Episode(o.jobId(), e).key(), st);
                    }
                }
            }
            // webhooks settle: the mock reports no delivery under way (each ended delivered or after its last
            // attempt; retries are 10 s of mock time apart). The receiver's view can lag behind the mock's under
            // load (an answer that came after the attempt's timeout), so it is not what the wait watches.
            long settleDeadline = System.currentTimeMillis() + 120_000;
            long settleStarted = System.nanoTime();
            while (System.currentTimeMillis() < settleDeadline && pendingDeliveries(client) > 0) {
                Thread.sleep(100);
            }
            double settleSeconds = (System.nanoTime() - settleStarted) / 1e9;
            long stillPending = pendingDeliveries(client);
            boolean receiverSettled = allSettled(expected.keySet());
            Thread.sleep((long) (2 * 10_000 / TIME_SCALE) + 500); // any late, unexpected attempt would arrive by now
            Files.write(responsesFile, responseLines, StandardCharsets.UTF_8);
            Files.write(webhooksFile, webhookLines, StandardCharsets.UTF_8);

            // checks
            List<String> problems = new ArrayList<>();
            long lost = outcomes.stream().filter(Outcome::lost).count();
            outcomes.stream().filter(Outcome::lost).limit(5).forEach(o -> problems.add("lost: " + o.jobId() + " " + o.note()));
            if (outcomes.size() != jobs) {
                problems.add("only " + outcomes.size() + " of " + jobs + " jobs reported back");
            }
            if (duplicates.get() > 0) {
                problems.add(duplicates.get() + " job ids given out twice");
            }
            int[] attemptsHistogram = new int[ATTEMPTS + 2];
            long unexpected = 0;
            long missing = 0;
            long wrongStatus = 0;
            long receiverSaw200Twice = 0;
            for (Map.Entry<String, String> e : expected.entrySet()) {
                List<Delivery> got = deliveries.get(e.getKey());
                if (got == null || got.isEmpty()) {
                    missing++;
                    if (missing <= 5) {
                        problems.add("no webhook for " + e.getKey() + " (" + e.getValue() + ")");
                    }
                    continue;
                }
                List<Delivery> seq;
                synchronized (got) {
                    seq = List.copyOf(got);
                }
                attemptsHistogram[Math.min(seq.size(), ATTEMPTS + 1)]++;
                for (Delivery d : seq) {
                    if (!d.status().equals(e.getValue())) {
                        wrongStatus++;
                    }
                }
                // the receiver's view, for the record: a 200 it answered may still have reached the mock as a
                // failure (answered after the attempt's timeout, connection lost), and the mock then rightly
                // tries again; whether the mock kept the rule is judged on its journal below
                long receiver200 = seq.stream().filter(d -> d.answer() == 200).count();
                if (receiver200 > 1) {
                    receiverSaw200Twice++;
                }
            }
            for (String key : deliveries.keySet()) {
                if (!expected.containsKey(key)) {
                    unexpected++;
                    if (unexpected <= 5) {
                        problems.add("webhook nobody expected: " + key + " " + deliveries.get(key));
                    }
                }
            }
            if (wrongStatus > 0) {
                problems.add(wrongStatus + " webhook bodies with a status other than the one the client saw");
            }

            // /health must add up to what the clients saw
            JsonNode health = client.send("GET", base + "/health", null).json().get("jobs");
            long completed = finals.getOrDefault("COMPLETED", 0L);
            long failedFinal = finals.getOrDefault("FAILED", 0L) + finals.getOrDefault("TIMED_OUT", 0L);
            Map<String, Long> expectedHealth = new LinkedHashMap<>();
            expectedHealth.put("completed", completed);
            expectedHealth.put("failed", failedFinal + retries.get()); // each retried run had failed first
            expectedHealth.put("retried", retries.get());
            expectedHealth.put("inQueue", 0L);
            expectedHealth.put("inProgress", 0L);
            for (Map.Entry<String, Long> e : expectedHealth.entrySet()) {
                if (health.get(e.getKey()).asLong() != e.getValue()) {
                    problems.add("/health jobs." + e.getKey() + " = " + health.get(e.getKey()).asLong() + ", the clients saw " + e.getValue());
                }
            }

            // the mock's own journal: bounded, and it counted every attempt the receiver got
            JsonNode journal = client.send("GET", "/__admin/webhooks", null).json();
            Files.writeString(reports.resolve("journal.json"), journal.toString());
            long journalTotal = journal.get("count").asLong() + journal.get("dropped").asLong();
            if (stillPending > 0) {
                problems.add("the mock still had " + stillPending + " webhook deliveries under way after 120 s");
            }
            if (journal.get("dropped").asLong() > 0) {
                problems.add("the journal dropped " + journal.get("dropped").asLong() + " attempts: it must hold all of them here");
            }
            if (journalTotal < webhookPosts.get()) {
                problems.add("journal counted " + journalTotal + " attempts, fewer than the " + webhookPosts.get() + " the receiver got");
            }
            JournalVerdict verdict = judgeJournal(journal.get("attempts"), outcomes);
            long badSequences = verdict.notAsSpecified();
            long gaveUp = verdict.gaveUp();
            problems.addAll(verdict.problems());
            if (secretHits.get() > 0) {
                problems.add(secretHits.get() + " responses or webhook bodies contain an API key or s3Config secret: " + hitSamples);
            }

            ObjectNode summary = Reliability.JSON.createObjectNode();
            summary.put("jobs", jobs);
            summary.put("concurrency", concurrency);
            summary.put("timeScale", TIME_SCALE);
            summary.put("seconds", Math.round(jobsSeconds * 10) / 10.0);
            summary.put("jobsPerSecond", Math.round(jobs / jobsSeconds));
            summary.putPOJO("finalStatuses", finals);
            summary.put("cancels", cancels.get());
            summary.put("retries", retries.get());
            summary.put("lost", lost);
            summary.put("duplicated", duplicates.get());
            summary.put("webhookEpisodesExpected", expected.size());
            summary.put("webhookPosts", webhookPosts.get());
            summary.put("webhookEpisodesMissing", missing);
            summary.put("webhookEpisodesUnexpected", unexpected);
            summary.put("webhookSequencesNotAsSpecified", badSequences);
            summary.put("webhookGaveUpAfter3", gaveUp);
            ObjectNode hist = summary.putObject("webhookAttemptsPerEpisode");
            for (int k = 1; k <= ATTEMPTS; k++) {
                hist.put(String.valueOf(k), attemptsHistogram[k]);
            }
            summary.put("receiverFailureRate", WEBHOOK_FAILURE_RATE);
            summary.set("health", health);
            summary.put("healthAddsUp", problems.stream().noneMatch(p -> p.startsWith("/health")));
            summary.put("webhookAttemptsJournaled", journalTotal);
            summary.put("webhookAttemptsNotReceived", journalTotal - webhookPosts.get());
            summary.put("webhookEpisodesReceiverAnswered200Twice", receiverSaw200Twice);
            summary.put("webhookSettleSeconds", Math.round(settleSeconds * 10) / 10.0);
            summary.put("webhookDeliveriesPendingAtEnd", stillPending);
            summary.put("receiverSawEveryEpisodeSettle", receiverSettled);
            summary.put("journalCount", journal.get("count").asLong());
            summary.put("journalDropped", journal.get("dropped").asLong());
            summary.put("responsesScanned", responsesSeen.get());
            summary.put("secretHits", secretHits.get());
            summary.putPOJO("problems", problems);
            Files.writeString(reports.resolve("soak.json"), Reliability.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary) + "\n");
            System.out.println("soak: " + summary);
            assertTrue(problems.isEmpty(), String.join("\n", problems));
            assertEquals(0, lost);
        } finally {
            receiver.stop(0);
        }
    }

    /** What the journal says of the mock's webhook attempts, held to the rule. */
    private record JournalVerdict(long notAsSpecified, long gaveUp, List<String> problems) { }

    /**
     * Rebuilds each delivery from the mock's journal and holds it to the rule: attempt 1, then one more attempt
     * after each failure (a non-200 or no answer), never one after a delivery, at most 3. Deliveries of one job may
     * overlap (a retried job's new delivery starts while the old one is still retrying), so an attempt k > 1 joins
     * the oldest open delivery of that job whose attempt k-1 failed. Each job must have one delivery per episode the
     * client saw end in a status other than CANCELLED.
     */
    private static JournalVerdict judgeJournal(JsonNode attempts, List<Outcome> outcomes) {
        Map<String, List<List<JsonNode>>> byJob = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long bad = 0;
        for (JsonNode a : attempts) {
            List<List<JsonNode>> deliveriesOfJob = byJob.computeIfAbsent(a.get("jobId").asString(), k -> new ArrayList<>());
            int attempt = a.get("attempt").asInt();
            if (attempt == 1) {
                deliveriesOfJob.add(new ArrayList<>(List.of(a)));
                continue;
            }
            List<JsonNode> open = deliveriesOfJob.stream().filter(d -> d.size() == attempt - 1
                    && d.get(d.size() - 1).get("outcome").asString().equals("failed")).findFirst().orElse(null);
            if (open == null) {
                if (++bad <= 5) {
                    problems.add("journal: attempt " + attempt + " for " + a.get("jobId").asString() + " follows no failed attempt " + (attempt - 1));
                }
                continue;
            }
            open.add(a);
        }
        long gaveUp = 0;
        Map<String, Long> expectedDeliveries = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            expectedDeliveries.put(o.jobId(), o.episodeStatuses().stream().filter(st -> !st.equals("CANCELLED")).count());
        }
        for (Map.Entry<String, List<List<JsonNode>>> e : byJob.entrySet()) {
            for (List<JsonNode> d : e.getValue()) {
                String last = d.get(d.size() - 1).get("outcome").asString();
                if (last.equals("failed") && d.size() == ATTEMPTS) {
                    gaveUp++;
                } else if (!last.equals("delivered") || d.size() > ATTEMPTS) {
                    if (++bad <= 5) {
                        problems.add("journal: delivery for " + e.getKey() + " not as specified: " + d);
                    }
                }
            }
            Long want = expectedDeliveries.get(e.getKey());
            if (want == null || want != e.getValue().size()) {
                if (++bad <= 5) {
                    problems.add("journal: " + e.getValue().size() + " deliveries for " + e.getKey() + ", the client saw " + want + " episodes needing one");
                }
            }
        }
        for (Map.Entry<String, Long> e : expectedDeliveries.entrySet()) {
            if (e.getValue() > 0 && !byJob.containsKey(e.getKey()) && ++bad <= 5) {
                problems.add("journal: no delivery for " + e.getKey() + " (" + e.getValue() + " expected)");
            }
        }
        if (bad > 0) {
            problems.add(bad + " webhook deliveries not as specified in the mock's journal");
        }
        return new JournalVerdict(bad, gaveUp, problems);
    }

    /** Webhook deliveries the mock still has under way (GET /__admin/webhooks "pending"). */
    private static long pendingDeliveries(Reliability.Client client) throws Exception {
        return client.send("GET", "/__admin/webhooks?jobId=-", null).json().get("pending").asLong();
    }

    private boolean allSettled(Set<String> expected) {
        for (String key : expected) {
            List<Delivery> got = deliveries.get(key);
            if (got == null) {
                return false;
            }
            synchronized (got) {
                if (got.isEmpty() || (got.get(got.size() - 1).answer() != 200 && got.size() < ATTEMPTS)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One job's life as a client drives it: run, maybe cancel, wait for the end, maybe retry and wait again. */
    private Outcome runOneJob(Reliability.Client client, String base, String hook, int i, String s3Id, String s3Secret,
                              String s3UrlPassword, Set<String> ids, AtomicLong duplicates, AtomicLong cancels, AtomicLong retries) throws Exception {
        Random rnd = new Random(i * 7919L + 17);
        ObjectNode body = Reliability.JSON.createObjectNode();
        ObjectNode input = body.putObject("input");
        input.put("n", i);
        double r = rnd.nextDouble();
        double delay = r < 0.6 ? 0 : r < 0.8 ? 0.05 : r < 0.95 ? 0.2 : 1.0;
        input.put("mock_delay", delay);
        if (rnd.nextDouble() < 0.10) {
            input.put("mock_error", "soak failure " + i);
        }
        if (rnd.nextDouble() < 0.03) {
            input.put("mock_delay", 6);
            body.putObject("policy").put("executionTimeout", 5_000); // ends TIMED_OUT
        }
        if (rnd.nextDouble() < 0.05) {
            ObjectNode s3 = body.putObject("s3Config");
            s3.put("accessId", s3Id);
            s3.put("accessSecret", s3Secret);
            s3.put("bucketName", "soak-bucket");
            s3.put("endpointUrl", "http://soak:" + s3UrlPassword + "@127.0.0.1:9");
            input.put("mock_s3_upload", true); // the upload fails, and its error must not name the URL's password
        }
        body.put("webhook", hook + "/" + i);
        Reliability.Reply run = client.send("POST", base + "/run", body.toString());
        if (run.status() != 200) {
            return new Outcome("job-" + i, "NONE", 0, List.of(), true, "/run answered " + run.status() + " " + run.body());
        }
        String id = run.field("id");
        if (!ids.add(id)) {
            duplicates.incrementAndGet();
        }
        List<String> episodes = new ArrayList<>();
        if (rnd.nextDouble() < 0.10) {
            if (rnd.nextBoolean()) {
                Thread.sleep(rnd.nextInt(5));
            }
            Reliability.Reply c = client.send("POST", base + "/cancel/" + id, null);
            if (c.status() != 200) {
                return new Outcome(id, "NONE", 0, episodes, true, "/cancel answered " + c.status());
            }
            cancels.incrementAndGet();
        }
        int retried = 0;
        while (true) {
            if (rnd.nextDouble() < 0.3) {
                Reliability.Reply st = client.send("GET", base + "/status/" + id, null);
                if (st.status() != 200) {
                    return new Outcome(id, "NONE", retried, episodes, true, "/status answered " + st.status());
                }
            }
            String status = awaitTerminal(client, base, id);
            if (status == null) {
                return new Outcome(id, "NONE", retried, episodes, true, "never reached a terminal state");
            }
            episodes.add(status);
            boolean retryable = status.equals("FAILED") || status.equals("TIMED_OUT");
            if (retryable && retried < 2 && rnd.nextDouble() < 0.7) {
                Reliability.Reply rt = client.send("POST", base + "/retry/" + id, null);
                if (rt.status() != 200) {
                    return new Outcome(id, status, retried, episodes, true, "/retry answered " + rt.status() + " " + rt.body());
                }
                retried++;
                retries.incrementAndGet();
                continue;
            }
            return new Outcome(id, status, retried, episodes, false, "");
        }
    }

    /** Holds on /status-sync until the job ends (each hold up to 60 s of mock time); null if it never does or is gone. */
    private static String awaitTerminal(Reliability.Client client, String base, String id) throws Exception {
        for (int k = 0; k < 20; k++) {
            Reliability.Reply r = client.send("GET", base + "/status-sync/" + id + "?wait=60000", null);
            if (r.status() != 200) {
                return null;
            }
            String status = r.field("status");
            if (Set.of("COMPLETED", "FAILED", "TIMED_OUT", "CANCELLED").contains(status)) {
                return status;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- what was seen

    private void seen(String method, String path, int status, String body) {
        responsesSeen.incrementAndGet();
        scan("response to " + method + " " + path.replaceAll("/[^/]{30,}", "/…"), body);
        if (recordedResponses.incrementAndGet() <= RECORD_CAP) {
            responseLines.add(status + " " + body);
        }
    }

    private void scan(String where, String text) {
        for (String s : secrets) {
            if (text.contains(s)) {
                secretHits.incrementAndGet();
                if (hitSamples.size() < 5) {
                    hitSamples.add(where);
                }
            }
        }
    }

    private HttpServer startReceiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "soak-webhooks");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/hook", this::receive);
        server.start();
        return server;
    }

    private void receive(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        webhookPosts.incrementAndGet();
        scan("webhook body", body);
        if (recordedWebhooks.incrementAndGet() <= RECORD_CAP) {
            webhookLines.add(body);
        }
        int answer = ThreadLocalRandom.current().nextDouble() < WEBHOOK_FAILURE_RATE ? 500 : 200;
        try {
            JsonNode json = Reliability.JSON.readTree(body);
            String id = json.get("id").asString();
            int retries = json.has("retries") ? json.get("retries").asInt() : 0;
            List<Delivery> list = deliveries.computeIfAbsent(new Episode(id, retries).key(), k -> new ArrayList<>());
            synchronized (list) {
                list.add(new Delivery(json.get("status").asString(), answer));
            }
        } catch (RuntimeException e) {
            answer = 200;
            deliveries.computeIfAbsent("unparseable", k -> new ArrayList<>()).add(new Delivery(body, 200));
        }
        byte[] reply = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }
}
