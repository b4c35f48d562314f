package dev.runpodkit.mock.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every knob of the mock, with the documented defaults. Precedence: defaults &lt; environment &lt; flags
 * ({@link SettingsParser}). Where the documentation disagrees with itself the newest reading is the
 * default and the other reading is a setting here; spec/requirements.yaml records each decision (DEC-*).
 */
public final class Settings {

    /** What the job becomes when its execution timeout hits (DEC: TIMED_OUT per docs:states; FAILED per docs:config). */
    public enum TimeoutStatus { TIMED_OUT, FAILED }

    /** What {@code policy.ttl} bounds (DEC: whole lifetime since 2026-02; queue time only before). */
    public enum TtlMode { LIFETIME, QUEUE }

    /**
     * Who runs an endpoint's jobs: the mock's built-in workers, or only workers connected over the worker
     * protocol (job-take, job-done, ...), such as a real runpod-python handler (issue #7).
     */
    public enum Mode { BUILTIN, EXTERNAL }

    /**
     * What becomes of a job whose worker reports a result over the job's payload limit (DEC-018): FAILED with an error
     * naming the limit (the default), or COMPLETED without output, as runpod-python#309 saw the platform do.
     */
    public enum OversizedResult { FAILED, COMPLETED_EMPTY }

    /** The workers keys of /health (DEC-010): the SDKs' extended set, or only {idle, running} as docs:opref shows. */
    public enum HealthWorkerKeys { EXTENDED, BASIC }

    /** The webhook body (DEC-012): what the cloud sends (/status plus input and webhook), or the /status payload only. */
    public enum WebhookPayload { CLOUD, STATUS }

    /** The /stream answer (DEC-008): the envelope every SDK reads, or the bare array of chunks the API reference shows. */
    public enum StreamShape { ENVELOPE, ARRAY }

    /**
     * What {@code ?wait} on /runsync sets (DEC-006): how long the request holds (HOLD, the newest docs), or how long the
     * result is kept (RETENTION, the docs before 2026-02), the hold then being runsyncWaitDefaultMs.
     */
    public enum RunsyncWaitMeaning { HOLD, RETENTION }

    /**
     * Which rate-limit rule applies (DEC-029): the per-operation figures of the docs since 2025-10 (DOCUMENTED), or the
     * rule of 2024-12 to 2025-10 (QUEUE_SIZE): a submission is a 429 while the queue holds more than 50 jobs and
     * more than workersMax × 500.
     */
    public enum RateLimitRule { DOCUMENTED, QUEUE_SIZE }

    /** What becomes of a job /purge-queue removes (DEC-028): gone (404 from then on), or kept as CANCELLED. */
    public enum PurgedJobs { GONE, CANCELLED }

    /** {@code ?ttl=ms} on /status (DEC-030): sets the job's remaining lifetime, or is accepted and ignored. */
    public enum StatusTtl { APPLY, IGNORE }

    // server
    public String host = "127.0.0.1";
    public int port = 8080;
    public List<String> apiKeys = new ArrayList<>(List.of("test-key"));
    public List<String> endpoints = new ArrayList<>(List.of("test-endpoint"));
    public boolean requestLog = true;

    // clock
    public double timeScale = 1.0;
    public boolean clockFrozen = false;

    // workers (per endpoint)
    public int workersMin = 2;
    public int workersMax = 2;
    public long coldStartMs = 0;
    public long idleTimeoutMs = 5_000;
    public boolean generator = false;
    public boolean aggregateStream = false;

    // connected workers: the worker protocol (runpod-api.md §6.2; DEC-021, DEC-022)
    /** The mode of every endpoint not named in {@link #endpointModes}. */
    public Mode mode = Mode.BUILTIN;
    /** Per-endpoint modes, overriding {@link #mode}. */
    public Map<String, Mode> endpointModes = new LinkedHashMap<>();
    /** How long an empty job-take (and job-stop) holds before answering 204; below the worker's 90 s timeout. */
    public long workerTakeWaitMs = 30_000;
    /** The ping interval workers are told to use (RUNPOD_PING_INTERVAL; runpod-python's default is 10 s). */
    public long workerPingIntervalMs = 10_000;
    /** A worker silent for this many ping intervals is lost; its jobs follow the lost-worker rule (DEC-022). */
    public int workerLostAfterPings = 3;
    /** How many times a job whose worker was lost is requeued before it ends FAILED (DEC-022). */
    public int lostWorkerRetries = 1;
    /** Reproduce the observed platform quirk: an empty {@code input: {}} is left out of the job a worker takes (DEC-021). */
    public boolean stripEmptyInput = false;

    // waits
    public long runsyncWaitDefaultMs = 90_000;
    public long waitMinMs = 1_000;
    public long waitMaxMs = 300_000;
    public long streamWaitDefaultMs = 10_000;

    // lifecycle
    public long retentionRunMs = 30 * 60_000L;
    public long retentionSyncMs = 60_000L;
    /**
     * The job store's memory budget in bytes (estimated: a fixed share per job plus its request body); over it,
     * the oldest finished jobs are forgotten before their retention ends (DEC-034). 0: 40 % of the JVM's heap.
     */
    public long retainedBytesMax = 0;
    public long executionTimeoutDefaultMs = 600_000L;
    public long ttlDefaultMs = 86_400_000L;
    public TtlMode ttlMode = TtlMode.LIFETIME;
    public TimeoutStatus timeoutStatus = TimeoutStatus.TIMED_OUT;
    public boolean executionTimeoutMinInclusive = true;
    public boolean strictInput = true;
    /** DEC-026: policy.executionTimeout and policy.ttl above 7 days are refused; off, only the minimums apply. */
    public boolean policyMaxEnforced = true;
    public HealthWorkerKeys healthWorkerKeys = HealthWorkerKeys.EXTENDED;
    /** DEC-009: /status, /status-sync and /stream answer POST as GET; false, POST is a 405 (Allow: GET, HEAD). */
    public boolean readPost = true;
    public StreamShape streamShape = StreamShape.ENVELOPE;
    public RunsyncWaitMeaning runsyncWaitMeaning = RunsyncWaitMeaning.HOLD;
    public PurgedJobs purgedJobs = PurgedJobs.GONE;
    public StatusTtl statusTtl = StatusTtl.APPLY;

    // limits (runpod-api.md §3, §4.3; DEC-018, DEC-029)
    public long runMaxBytes = 10L * 1024 * 1024;
    public long runsyncMaxBytes = 20L * 1024 * 1024;
    public int payloadTooLargeStatus = 400;
    /** The largest single job-stream chunk a worker may post (DEC-018: 1 MB, a MB being 1048576 bytes). */
    public long streamChunkMaxBytes = 1024L * 1024;
    public OversizedResult oversizedResult = OversizedResult.FAILED;
    public boolean rateLimits = true;
    public RateLimitRule rateLimitRule = RateLimitRule.DOCUMENTED;
    public long rateWindowMs = 10_000;
    public int requestsPerWorker = 50;

    // webhooks (runpod-api.md §5; DEC-012..014, DEC-031)
    public int webhookAttempts = 3;
    public long webhookRetryDelayMs = 10_000;
    public long webhookAttemptTimeoutMs = 10_000;
    public boolean webhookAccept2xx = false;
    public boolean webhookOnCancelled = false;
    public WebhookPayload webhookPayload = WebhookPayload.CLOUD;
    public int webhookJournalSize = 10_000;
    /** Destination guard (server-side request forgery): host names, *.domains, addresses or CIDR ranges. */
    public List<String> webhookAllow = new ArrayList<>();
    public List<String> webhookDeny = new ArrayList<>();

    public Set<Defect> defects = EnumSet.noneOf(Defect.class);

    public boolean has(Defect defect) {
        return defects.contains(defect);
    }

    /** The mode of one endpoint: its own entry in {@link #endpointModes}, else {@link #mode}. */
    public Mode modeOf(String endpointId) {
        return endpointModes.getOrDefault(endpointId, mode);
    }

    /** How long a worker may stay silent (no ping, job-take, job-done) before it is lost. */
    public long workerLostAfterMs() {
        return workerPingIntervalMs * Math.max(1, workerLostAfterPings);
    }

    /**
     * Worker bounds that cross, settled as the caller's sources rank them (0: a default or left alone; higher: given
     * with more weight, a flag over the environment): the bound with less weight follows the other, so
     * --workers-max 1 alone means one worker rather than the default minimum of 2 raising it back. Two given alike
     * that cross are a mistake to point out, not to guess at: the message, naming them as the caller knows them;
     * null when the bounds fit (after following).
     */
    public String workersProblem(String minName, String maxName, int minWeight, int maxWeight) {
        if (workersMax >= workersMin) {
            return null;
        }
        if (minWeight == maxWeight && minWeight != 0) {
            return maxName + " (" + workersMax + ") must be at least " + minName + " (" + workersMin + ")";
        }
        if (maxWeight > minWeight) {
            workersMin = workersMax;
        } else {
            workersMax = workersMin;
        }
        return null;
    }

    /**
     * Why the waits do not fit together, naming them as the caller knows them (command-line flags or settings
     * keys); null when they fit. A hold without ?wait lies within what a ?wait may ask for (DEC-007, DEC-025):
     * /runsync and /status-sync within waitMinMs..waitMaxMs, /stream within 0..waitMaxMs. Otherwise a request
     * without ?wait would hold longer than one asking for the most, or shorter than one asking for the least.
     */
    public String waitProblem(String minName, String maxName, String runsyncName, String streamName) {
        return waitProblem(minName, maxName, runsyncName, streamName, true, true);
    }

    /**
     * As {@link #waitProblem(String, String, String, String)}, but a hold that was not given (its default, or left
     * alone by a settings patch) is first brought within the bounds instead of refused: --wait-max-ms 60000 alone
     * means the hold without ?wait is 60 s, as --workers-max 1 alone means one worker.
     */
    public String waitProblem(String minName, String maxName, String runsyncName, String streamName,
            boolean runsyncGiven, boolean streamGiven) {
        if (waitMaxMs >= waitMinMs) {
            if (!runsyncGiven) {
                runsyncWaitDefaultMs = Math.max(waitMinMs, Math.min(waitMaxMs, runsyncWaitDefaultMs));
            }
            if (!streamGiven) {
                streamWaitDefaultMs = Math.min(waitMaxMs, streamWaitDefaultMs);
            }
        }
        if (waitMaxMs < waitMinMs) {
            return maxName + " (" + waitMaxMs + ") must be at least " + minName + " (" + waitMinMs + ")";
        }
        if (runsyncWaitDefaultMs < waitMinMs || runsyncWaitDefaultMs > waitMaxMs) {
            boolean over = runsyncWaitDefaultMs > waitMaxMs;
            return runsyncName + " (" + runsyncWaitDefaultMs + ", the hold of /runsync and /status-sync without ?wait) must lie within "
                    + minName + " (" + waitMinMs + ") and " + maxName + " (" + waitMaxMs + "): it would hold "
                    + (over ? "longer than a ?wait asking for the most" : "shorter than a ?wait asking for the least")
                    + "; change " + runsyncName + " or " + (over ? maxName : minName);
        }
        if (streamWaitDefaultMs > waitMaxMs) {
            return streamName + " (" + streamWaitDefaultMs + ", the hold of an empty /stream without ?wait) must be at most "
                    + maxName + " (" + waitMaxMs + "), the most a ?wait on /stream holds; change " + streamName + " or " + maxName;
        }
        return null;
    }

    public Settings copy() {
        Settings s = new Settings();
        s.host = host;
        s.port = port;
        s.apiKeys = new ArrayList<>(apiKeys);
        s.endpoints = new ArrayList<>(endpoints);
        s.requestLog = requestLog;
        s.timeScale = timeScale;
        s.clockFrozen = clockFrozen;
        s.workersMin = workersMin;
        s.workersMax = workersMax;
        s.coldStartMs = coldStartMs;
        s.idleTimeoutMs = idleTimeoutMs;
        s.generator = generator;
        s.aggregateStream = aggregateStream;
        s.mode = mode;
        s.endpointModes = new LinkedHashMap<>(endpointModes);
        s.workerTakeWaitMs = workerTakeWaitMs;
        s.workerPingIntervalMs = workerPingIntervalMs;
        s.workerLostAfterPings = workerLostAfterPings;
        s.lostWorkerRetries = lostWorkerRetries;
        s.stripEmptyInput = stripEmptyInput;
        s.runsyncWaitDefaultMs = runsyncWaitDefaultMs;
        s.waitMinMs = waitMinMs;
        s.waitMaxMs = waitMaxMs;
        s.streamWaitDefaultMs = streamWaitDefaultMs;
        s.retentionRunMs = retentionRunMs;
        s.retentionSyncMs = retentionSyncMs;
        s.retainedBytesMax = retainedBytesMax;
        s.executionTimeoutDefaultMs = executionTimeoutDefaultMs;
        s.ttlDefaultMs = ttlDefaultMs;
        s.ttlMode = ttlMode;
        s.timeoutStatus = timeoutStatus;
        s.executionTimeoutMinInclusive = executionTimeoutMinInclusive;
        s.strictInput = strictInput;
        s.policyMaxEnforced = policyMaxEnforced;
        s.healthWorkerKeys = healthWorkerKeys;
        s.readPost = readPost;
        s.streamShape = streamShape;
        s.runsyncWaitMeaning = runsyncWaitMeaning;
        s.purgedJobs = purgedJobs;
        s.statusTtl = statusTtl;
        s.webhookPayload = webhookPayload;
        s.runMaxBytes = runMaxBytes;
        s.runsyncMaxBytes = runsyncMaxBytes;
        s.payloadTooLargeStatus = payloadTooLargeStatus;
        s.streamChunkMaxBytes = streamChunkMaxBytes;
        s.oversizedResult = oversizedResult;
        s.rateLimits = rateLimits;
        s.rateLimitRule = rateLimitRule;
        s.rateWindowMs = rateWindowMs;
        s.requestsPerWorker = requestsPerWorker;
        s.webhookAttempts = webhookAttempts;
        s.webhookRetryDelayMs = webhookRetryDelayMs;
        s.webhookAttemptTimeoutMs = webhookAttemptTimeoutMs;
        s.webhookAccept2xx = webhookAccept2xx;
        s.webhookOnCancelled = webhookOnCancelled;
        s.webhookJournalSize = webhookJournalSize;
        s.webhookAllow = new ArrayList<>(webhookAllow);
        s.webhookDeny = new ArrayList<>(webhookDeny);
        s.defects = defects.isEmpty() ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects);
        return s;
    }

    /** The effective settings as shown by the admin API and at start-up. API keys are never shown. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("apiKeys", apiKeys.size() + " configured (not shown)");
        m.put("endpoints", List.copyOf(endpoints));
        m.put("timeScale", timeScale);
        m.put("clockFrozen", clockFrozen);
        m.put("workersMin", workersMin);
        m.put("workersMax", workersMax);
        m.put("coldStartMs", coldStartMs);
        m.put("idleTimeoutMs", idleTimeoutMs);
        m.put("generator", generator);
        m.put("aggregateStream", aggregateStream);
        m.put("mode", mode.name().toLowerCase());
        Map<String, String> modes = new LinkedHashMap<>();
        endpointModes.forEach((k, v) -> modes.put(k, v.name().toLowerCase()));
        m.put("endpointModes", modes);
        m.put("workerTakeWaitMs", workerTakeWaitMs);
        m.put("workerPingIntervalMs", workerPingIntervalMs);
        m.put("workerLostAfterPings", workerLostAfterPings);
        m.put("lostWorkerRetries", lostWorkerRetries);
        m.put("stripEmptyInput", stripEmptyInput);
        m.put("runsyncWaitDefaultMs", runsyncWaitDefaultMs);
        m.put("waitMinMs", waitMinMs);
        m.put("waitMaxMs", waitMaxMs);
        m.put("streamWaitDefaultMs", streamWaitDefaultMs);
        m.put("retentionRunMs", retentionRunMs);
        m.put("retentionSyncMs", retentionSyncMs);
        m.put("retainedBytesMax", retainedBytesMax);
        m.put("executionTimeoutDefaultMs", executionTimeoutDefaultMs);
        m.put("ttlDefaultMs", ttlDefaultMs);
        m.put("ttlMode", ttlMode.name().toLowerCase());
        m.put("timeoutStatus", timeoutStatus.name());
        m.put("executionTimeoutMinInclusive", executionTimeoutMinInclusive);
        m.put("strictInput", strictInput);
        m.put("policyMaxEnforced", policyMaxEnforced);
        m.put("healthWorkerKeys", healthWorkerKeys.name());
        m.put("readPost", readPost);
        m.put("streamShape", streamShape.name());
        m.put("runsyncWaitMeaning", runsyncWaitMeaning.name());
        m.put("purgedJobs", purgedJobs.name());
        m.put("statusTtl", statusTtl.name());
        m.put("runMaxBytes", runMaxBytes);
        m.put("runsyncMaxBytes", runsyncMaxBytes);
        m.put("payloadTooLargeStatus", payloadTooLargeStatus);
        m.put("streamChunkMaxBytes", streamChunkMaxBytes);
        m.put("oversizedResult", oversizedResult.name());
        m.put("rateLimits", rateLimits);
        m.put("rateLimitRule", rateLimitRule.name());
        m.put("rateWindowMs", rateWindowMs);
        m.put("requestsPerWorker", requestsPerWorker);
        m.put("webhookAttempts", webhookAttempts);
        m.put("webhookRetryDelayMs", webhookRetryDelayMs);
        m.put("webhookAttemptTimeoutMs", webhookAttemptTimeoutMs);
        m.put("webhookAccept2xx", webhookAccept2xx);
        m.put("webhookOnCancelled", webhookOnCancelled);
        m.put("webhookPayload", webhookPayload.name());
        m.put("webhookJournalSize", webhookJournalSize);
        m.put("webhookAllow", List.copyOf(webhookAllow));
        m.put("webhookDeny", List.copyOf(webhookDeny));
        m.put("defects", defects.stream().map(Defect::flagName).toList());
        return m;
    }
}
