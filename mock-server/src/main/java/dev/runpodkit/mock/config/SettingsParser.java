package dev.runpodkit.mock.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Reads {@link Settings} from the environment and then from command-line flags (flags win). Every flag has an
 * environment variable, so the mock can be configured the same way in a shell, a CI job or a container.
 */
public final class SettingsParser {

    /** One option: its flag, its environment variable, whether it takes a value, and what it sets. */
    private record Option(String flag, String env, boolean takesValue, boolean repeatable, String help,
                          BiConsumer<Settings, String> apply) {
    }

    private static final Map<String, Option> OPTIONS = new LinkedHashMap<>();

    private static void option(String flag, String env, String help, BiConsumer<Settings, String> apply) {
        OPTIONS.put(flag, new Option(flag, env, true, false, help, apply));
    }

    private static void list(String flag, String env, String help, BiConsumer<Settings, String> add) {
        OPTIONS.put(flag, new Option(flag, env, true, true, help, add));
    }

    private static void toggle(String flag, String env, String help, BiConsumer<Settings, String> apply) {
        OPTIONS.put(flag, new Option(flag, env, false, false, help, apply));
    }

    static {
        option("--port", "RUNPOD_MOCK_PORT", "port to listen on; 0 picks a free one (default 8080)",
                (s, v) -> s.port = intValue("--port", v, 0, 65535));
        option("--host", "RUNPOD_MOCK_HOST", "address to bind (default 127.0.0.1)", (s, v) -> s.host = v);
        list("--api-key", "RUNPOD_MOCK_API_KEYS", "an accepted API key; repeat for more (env: comma-separated; default test-key)",
                (s, v) -> s.apiKeys.add(apiKey(v)));
        list("--endpoint", "RUNPOD_MOCK_ENDPOINTS", "an endpoint id to serve; repeat for more (env: comma-separated; default test-endpoint)",
                (s, v) -> {
                    String id = endpointId(v);
                    if (!s.endpoints.contains(id)) { // named twice: served once, listed once
                        s.endpoints.add(id);
                    }
                });
        option("--workers", "RUNPOD_MOCK_WORKERS", "built-in workers per endpoint, a fixed pool (sets min and max; default 2)",
                (s, v) -> s.workersMin = s.workersMax = intValue("--workers", v, 0, 10_000));
        option("--workers-min", "RUNPOD_MOCK_WORKERS_MIN", "workers kept even when idle (raises the maximum if that is not given)", (s, v) -> s.workersMin = intValue("--workers-min", v, 0, 10_000));
        option("--workers-max", "RUNPOD_MOCK_WORKERS_MAX", "most workers a queue scales up to (lowers the minimum if that is not given)", (s, v) -> s.workersMax = intValue("--workers-max", v, 0, 10_000));
        option("--cold-start-ms", "RUNPOD_MOCK_COLD_START_MS", "how long a new worker initializes (default 0)", (s, v) -> s.coldStartMs = longValue("--cold-start-ms", v));
        option("--idle-timeout-ms", "RUNPOD_MOCK_IDLE_TIMEOUT_MS", "idle time before a worker above the minimum stops (default 5000)", (s, v) -> s.idleTimeoutMs = longValue("--idle-timeout-ms", v));
        option("--time-scale", "RUNPOD_MOCK_TIME_SCALE", "run the clock X times faster than the wall clock (default 1; at most 1000000)", (s, v) -> {
            double x;
            try {
                x = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--time-scale needs a number > 0 and at most 1000000, got '" + v + "'");
            }
            if (!dev.runpodkit.mock.clock.ControllableClock.isValidScale(x)) {
                throw new IllegalArgumentException("--time-scale needs a number > 0 and at most 1000000, got '" + v + "'");
            }
            s.timeScale = x;
        });
        toggle("--frozen-clock", "RUNPOD_MOCK_FROZEN_CLOCK", "start with the clock frozen; move it with POST /__admin/clock/advance", (s, v) -> s.clockFrozen = true);
        option("--execution-timeout-ms", "RUNPOD_MOCK_EXECUTION_TIMEOUT_MS", "endpoint default executionTimeout (default 600000)", (s, v) -> s.executionTimeoutDefaultMs = longValue("--execution-timeout-ms", v));
        option("--ttl-ms", "RUNPOD_MOCK_TTL_MS", "default job ttl (default 86400000)", (s, v) -> s.ttlDefaultMs = longValue("--ttl-ms", v));
        option("--ttl-mode", "RUNPOD_MOCK_TTL_MODE", "lifetime (default) or queue: what ttl bounds", (s, v) -> s.ttlMode = enumValue(Settings.TtlMode.class, "--ttl-mode", v));
        option("--timeout-status", "RUNPOD_MOCK_TIMEOUT_STATUS", "TIMED_OUT (default) or FAILED when executionTimeout hits", (s, v) -> s.timeoutStatus = enumValue(Settings.TimeoutStatus.class, "--timeout-status", v));
        option("--retention-run-ms", "RUNPOD_MOCK_RETENTION_RUN_MS", "how long /run results stay (default 1800000)", (s, v) -> s.retentionRunMs = longValue("--retention-run-ms", v));
        option("--retained-bytes-max", "RUNPOD_MOCK_RETAINED_BYTES_MAX", "memory budget of stored jobs in bytes; over it the oldest finished jobs go early (default 0: 40% of the heap)", (s, v) -> s.retainedBytesMax = longValue("--retained-bytes-max", v));
        option("--retention-sync-ms", "RUNPOD_MOCK_RETENTION_SYNC_MS", "how long /runsync results stay (default 60000)", (s, v) -> s.retentionSyncMs = longValue("--retention-sync-ms", v));
        option("--runsync-wait-ms", "RUNPOD_MOCK_RUNSYNC_WAIT_MS", "how long /runsync and /status-sync hold without ?wait (default 90000; 30000 is the older reading); within --wait-min-ms..--wait-max-ms (when not given, moved within)",
                (s, v) -> s.runsyncWaitDefaultMs = longValue("--runsync-wait-ms", v));
        option("--wait-min-ms", "RUNPOD_MOCK_WAIT_MIN_MS", "the least a ?wait on /runsync or /status-sync holds (default 1000)",
                (s, v) -> s.waitMinMs = longValue("--wait-min-ms", v));
        option("--wait-max-ms", "RUNPOD_MOCK_WAIT_MAX_MS", "the most a ?wait on /runsync, /status-sync or /stream holds (default 300000)",
                (s, v) -> s.waitMaxMs = longValue("--wait-max-ms", v));
        option("--stream-wait-ms", "RUNPOD_MOCK_STREAM_WAIT_MS", "how long an empty /stream holds without ?wait (default 10000); at most --wait-max-ms", (s, v) -> s.streamWaitDefaultMs = longValue("--stream-wait-ms", v));
        toggle("--lenient-input", "RUNPOD_MOCK_LENIENT_INPUT", "accept bodies without 'input', as the cloud has been seen to", (s, v) -> s.strictInput = false);
        toggle("--execution-timeout-min-exclusive", "RUNPOD_MOCK_EXECUTION_TIMEOUT_MIN_EXCLUSIVE", "reject executionTimeout = 5000 ('must be greater than 5 s')", (s, v) -> s.executionTimeoutMinInclusive = false);
        toggle("--generator", "RUNPOD_MOCK_GENERATOR", "built-in worker streams mock_return item by item (mock-worker --generator)", (s, v) -> s.generator = true);
        toggle("--return-aggregate-stream", "RUNPOD_MOCK_RETURN_AGGREGATE_STREAM", "a streaming job's output is the list of its chunks", (s, v) -> s.aggregateStream = true);
        option("--mode", "RUNPOD_MOCK_MODE", "builtin (default): built-in workers run the jobs; external: only workers connected over the worker protocol (your own handler) get them",
                (s, v) -> s.mode = enumValue(Settings.Mode.class, "--mode", v));
        list("--endpoint-mode", "RUNPOD_MOCK_ENDPOINT_MODES", "ID=builtin|external: the mode of one endpoint; repeatable (env: comma-separated)",
                (s, v) -> {
                    int eq = v.indexOf('=');
                    if (eq <= 0 || eq == v.length() - 1) {
                        throw new IllegalArgumentException("--endpoint-mode needs ID=builtin|external, got '" + v + "'");
                    }
                    s.endpointModes.put(v.substring(0, eq).trim(), enumValue(Settings.Mode.class, "--endpoint-mode", v.substring(eq + 1)));
                });
        option("--worker-take-wait-ms", "RUNPOD_MOCK_WORKER_TAKE_WAIT_MS", "how long an empty job-take or job-stop holds before 204 (default 30000; below the worker's 90 s timeout)",
                (s, v) -> s.workerTakeWaitMs = workerWait("--worker-take-wait-ms", v));
        option("--worker-ping-interval-ms", "RUNPOD_MOCK_WORKER_PING_INTERVAL_MS", "the ping interval workers are told to use (RUNPOD_PING_INTERVAL; default 10000)",
                (s, v) -> s.workerPingIntervalMs = atLeastOne("--worker-ping-interval-ms", v));
        option("--worker-lost-after-pings", "RUNPOD_MOCK_WORKER_LOST_AFTER_PINGS", "a worker silent for this many ping intervals is lost (default 3)",
                (s, v) -> s.workerLostAfterPings = intValue("--worker-lost-after-pings", v, 1, 1_000));
        option("--lost-worker-retries", "RUNPOD_MOCK_LOST_WORKER_RETRIES", "how often a lost worker's job is requeued before it ends FAILED (default 1; 0 fails at once)",
                (s, v) -> s.lostWorkerRetries = intValue("--lost-worker-retries", v, 0, 100));
        toggle("--strip-empty-input", "RUNPOD_MOCK_STRIP_EMPTY_INPUT", "leave an empty input {} out of the job a worker takes, as the platform has been seen to", (s, v) -> s.stripEmptyInput = true);
        toggle("--quiet", "RUNPOD_MOCK_QUIET", "no per-request log lines", (s, v) -> s.requestLog = false);
        option("--run-max-bytes", "RUNPOD_MOCK_RUN_MAX_BYTES", "largest /run body (default 10485760)",
                (s, v) -> s.runMaxBytes = longValue("--run-max-bytes", v));
        option("--runsync-max-bytes", "RUNPOD_MOCK_RUNSYNC_MAX_BYTES", "largest /runsync body (default 20971520)",
                (s, v) -> s.runsyncMaxBytes = longValue("--runsync-max-bytes", v));
        option("--stream-chunk-max-bytes", "RUNPOD_MOCK_STREAM_CHUNK_MAX_BYTES", "largest job-stream chunk a worker may post (default 1048576)",
                (s, v) -> s.streamChunkMaxBytes = longValue("--stream-chunk-max-bytes", v));
        option("--oversized-result", "RUNPOD_MOCK_OVERSIZED_RESULT", "FAILED (default) or COMPLETED_EMPTY: a job whose result is over its payload limit",
                (s, v) -> s.oversizedResult = enumValue(Settings.OversizedResult.class, "--oversized-result", v));
        option("--payload-too-large-status", "RUNPOD_MOCK_PAYLOAD_TOO_LARGE_STATUS", "400 (default) or 413 for an oversized body",
                (s, v) -> {
                    String t = v.trim();
                    if (!t.equals("400") && !t.equals("413")) {
                        throw new IllegalArgumentException("--payload-too-large-status must be 400 or 413, got '" + v + "'");
                    }
                    s.payloadTooLargeStatus = Integer.parseInt(t);
                });
        option("--policy-max-enforced", "RUNPOD_MOCK_POLICY_MAX_ENFORCED", "on (default: policy timeouts above 7 days are refused) or off",
                (s, v) -> s.policyMaxEnforced = onOff("--policy-max-enforced", v));
        option("--health-worker-keys", "RUNPOD_MOCK_HEALTH_WORKER_KEYS", "EXTENDED (default: idle, initializing, ready, running, throttled) or BASIC (idle, running)",
                (s, v) -> s.healthWorkerKeys = enumValue(Settings.HealthWorkerKeys.class, "--health-worker-keys", v));
        option("--read-post", "RUNPOD_MOCK_READ_POST", "on (default: /status, /status-sync and /stream answer POST as GET) or off (405)",
                (s, v) -> s.readPost = onOff("--read-post", v));
        option("--runsync-wait-meaning", "RUNPOD_MOCK_RUNSYNC_WAIT_MEANING", "HOLD (default: ?wait on /runsync is how long it holds) or RETENTION (how long the result is kept)",
                (s, v) -> s.runsyncWaitMeaning = enumValue(Settings.RunsyncWaitMeaning.class, "--runsync-wait-meaning", v));
        option("--purged-jobs", "RUNPOD_MOCK_PURGED_JOBS", "GONE (default: a purged job answers 404) or CANCELLED (kept as CANCELLED)",
                (s, v) -> s.purgedJobs = enumValue(Settings.PurgedJobs.class, "--purged-jobs", v));
        option("--status-ttl", "RUNPOD_MOCK_STATUS_TTL", "APPLY (default: ?ttl=ms on /status sets the job's remaining lifetime) or IGNORE",
                (s, v) -> s.statusTtl = enumValue(Settings.StatusTtl.class, "--status-ttl", v));
        option("--stream-shape", "RUNPOD_MOCK_STREAM_SHAPE", "ENVELOPE (default: {id, status, stream: [...]}) or ARRAY (the bare array of chunks the API reference shows)",
                (s, v) -> s.streamShape = enumValue(Settings.StreamShape.class, "--stream-shape", v));
        option("--webhook-payload", "RUNPOD_MOCK_WEBHOOK_PAYLOAD", "CLOUD (default: the /status payload plus input and webhook) or STATUS (the /status payload only)",
                (s, v) -> s.webhookPayload = enumValue(Settings.WebhookPayload.class, "--webhook-payload", v));
        option("--rate-limit-rule", "RUNPOD_MOCK_RATE_LIMIT_RULE", "DOCUMENTED (default: per-operation limits) or QUEUE_SIZE (429 while the queue holds over 50 and workersMax x 500 jobs)",
                (s, v) -> s.rateLimitRule = enumValue(Settings.RateLimitRule.class, "--rate-limit-rule", v));
        option("--rate-limits", "RUNPOD_MOCK_RATE_LIMITS", "on (default: the documented per-operation limits) or off",
                (s, v) -> s.rateLimits = onOff("--rate-limits", v));
        option("--requests-per-worker", "RUNPOD_MOCK_REQUESTS_PER_WORKER", "dynamic rate limit per running worker (default 50)",
                (s, v) -> s.requestsPerWorker = intValue("--requests-per-worker", v, 0, 1_000_000));
        option("--webhook-attempts", "RUNPOD_MOCK_WEBHOOK_ATTEMPTS", "webhook attempts in all (default 3)",
                (s, v) -> s.webhookAttempts = intValue("--webhook-attempts", v, 1, 100));
        option("--webhook-retry-delay-ms", "RUNPOD_MOCK_WEBHOOK_RETRY_DELAY_MS", "delay before a webhook is tried again (default 10000)",
                (s, v) -> s.webhookRetryDelayMs = longValue("--webhook-retry-delay-ms", v));
        option("--webhook-attempt-timeout-ms", "RUNPOD_MOCK_WEBHOOK_ATTEMPT_TIMEOUT_MS", "how long one webhook attempt waits for an answer (default 10000)",
                (s, v) -> s.webhookAttemptTimeoutMs = longValue("--webhook-attempt-timeout-ms", v));
        toggle("--webhook-accept-2xx", "RUNPOD_MOCK_WEBHOOK_ACCEPT_2XX", "any 2xx answer is a delivered webhook, not only 200", (s, v) -> s.webhookAccept2xx = true);
        toggle("--webhook-on-cancelled", "RUNPOD_MOCK_WEBHOOK_ON_CANCELLED", "webhook CANCELLED jobs too", (s, v) -> s.webhookOnCancelled = true);
        option("--webhook-journal-size", "RUNPOD_MOCK_WEBHOOK_JOURNAL_SIZE", "webhook attempts kept in the journal (default 10000)",
                (s, v) -> s.webhookJournalSize = intValue("--webhook-journal-size", v, 1, 10_000_000));
        list("--webhook-allow", "RUNPOD_MOCK_WEBHOOK_ALLOW", "only send webhooks to these hosts, *.domains, addresses or CIDR ranges; repeatable",
                (s, v) -> {
                    dev.runpodkit.mock.webhooks.DestinationGuard.validate(v);
                    s.webhookAllow.add(v);
                });
        list("--webhook-deny", "RUNPOD_MOCK_WEBHOOK_DENY", "never send webhooks to these hosts, *.domains, addresses or CIDR ranges; repeatable",
                (s, v) -> {
                    dev.runpodkit.mock.webhooks.DestinationGuard.validate(v);
                    s.webhookDeny.add(v);
                });
        list("--defect", "RUNPOD_MOCK_DEFECTS", "break one behaviour on purpose (see --list-defects); repeatable",
                (s, v) -> s.defects.add(Defect.fromFlag(v)));
    }

    /** Thrown for a bad flag or value; the message says what is wrong. */
    public static final class BadArguments extends RuntimeException {
        BadArguments(String message) {
            super(message);
        }
    }

    private static final int FROM_ENVIRONMENT = 1;
    private static final int FROM_COMMAND_LINE = 2;

    public static Settings parse(String[] args, Map<String, String> env) {
        Settings s = new Settings();
        // where each flag was set: 1 the environment, 2 the command line (which wins); absent, its default
        Map<String, Integer> given = new java.util.HashMap<>();
        // environment first
        for (Option o : OPTIONS.values()) {
            String value = env.get(o.env());
            if (value == null || value.isBlank()) {
                continue;
            }
            given.put(o.flag(), FROM_ENVIRONMENT);
            try {
                if (o.repeatable()) {
                    clearDefaults(s, o.flag());
                    for (String part : value.split(",")) {
                        if (!part.isBlank()) {
                            o.apply().accept(s, part.trim());
                        }
                    }
                } else if (o.takesValue()) {
                    o.apply().accept(s, value.trim());
                } else if (isTrue(value)) {
                    o.apply().accept(s, value);
                } else if (!isFalse(value)) {
                    throw new IllegalArgumentException("expected true or false (also 1/0, yes/no), got '" + value + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new BadArguments(o.env() + ": " + e.getMessage());
            }
        }
        // then flags; a repeatable flag given on the command line replaces what the environment said
        List<String> seenLists = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                value = arg.substring(eq + 1);
                arg = arg.substring(0, eq);
            }
            Option o = OPTIONS.get(arg);
            if (o == null) {
                throw new BadArguments("unknown option '" + args[i] + "' (try --help)");
            }
            if (!o.takesValue() && value != null) {
                throw new BadArguments(arg + " takes no value (got '" + args[i] + "')");
            }
            if (o.takesValue() && value == null) {
                if (i + 1 >= args.length) {
                    throw new BadArguments(arg + " needs a value");
                }
                value = args[++i];
            }
            given.put(arg, FROM_COMMAND_LINE);
            try {
                if (o.repeatable() && !seenLists.contains(arg)) {
                    seenLists.add(arg);
                    clearDefaults(s, arg);
                }
                o.apply().accept(s, value);
            } catch (IllegalArgumentException e) {
                throw new BadArguments(e.getMessage());
            }
        }
        if (s.apiKeys.isEmpty()) {
            throw new BadArguments("at least one API key is needed");
        }
        if (s.endpoints.isEmpty()) {
            throw new BadArguments("at least one endpoint id is needed");
        }
        for (String ep : s.endpointModes.keySet()) {
            if (!s.endpoints.contains(ep)) {
                throw new BadArguments("--endpoint-mode names '" + ep + "', which is not one of the endpoints " + s.endpoints
                        + " (add it with --endpoint " + ep + ")");
            }
        }
        int fixedPool = given.getOrDefault("--workers", 0);
        String workers = s.workersProblem("--workers-min", "--workers-max",
                Math.max(fixedPool, given.getOrDefault("--workers-min", 0)), Math.max(fixedPool, given.getOrDefault("--workers-max", 0)));
        if (workers != null) {
            throw new BadArguments(workers);
        }
        String waits = s.waitProblem("--wait-min-ms", "--wait-max-ms", "--runsync-wait-ms", "--stream-wait-ms",
                given.containsKey("--runsync-wait-ms"), given.containsKey("--stream-wait-ms"));
        if (waits != null) {
            throw new BadArguments(waits);
        }
        return s;
    }

    private static void clearDefaults(Settings s, String flag) {
        switch (flag) {
            case "--api-key" -> s.apiKeys.clear();
            case "--endpoint" -> s.endpoints.clear();
            case "--endpoint-mode" -> s.endpointModes.clear();
            default -> { }
        }
    }

    public static String usage() {
        StringBuilder sb = new StringBuilder("Usage: java -jar runpod-mock.jar [options]\n\nOptions (each also settable by the environment variable shown):\n");
        for (Option o : OPTIONS.values()) {
            String left = o.flag() + (o.takesValue() ? " VALUE" : "");
            sb.append(String.format(Locale.ROOT, "  %-36s %s%n  %-36s   [%s]%n", left, o.help(), "", o.env()));
        }
        sb.append("  --list-defects                       list the named deliberate breakages\n");
        sb.append("  --help                               this text\n");
        return sb.toString();
    }

    /**
     * A key the mock could never match is a mistake to point out: the Authorization header is read without the spaces
     * around the key, so an empty key, or one that starts or ends with a space, would let nobody in.
     */
    private static String apiKey(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("--api-key needs a non-empty key");
        }
        if (v.strip().length() != v.length() || v.trim().length() != v.length()) {
            throw new IllegalArgumentException("--api-key: a key cannot start or end with a space (the Authorization"
                    + " header is read without them, so no request could match it)");
        }
        return v;
    }

    /**
     * An endpoint id is one path segment of /v2/{id}/run as clients send it: an empty id, a '/', a space or a character
     * a client would percent-encode gave an endpoint no request could reach (and a banner URL that does not work).
     */
    private static String endpointId(String v) {
        if (!isUrlPathSegment(v)) {
            throw new IllegalArgumentException("--endpoint: '" + v + "' is not an endpoint id a URL path can carry"
                    + " (use letters, digits, '-', '_', '.' or '~')");
        }
        return v;
    }

    /**
     * One path segment a client or worker puts in a URL as it is (an endpoint id in /v2/{id}/run, a pod id in
     * job-take/{id}): letters, digits, '-', '_', '.' and '~', nothing it would have to percent-encode, no '/', and
     * not '.' or '..' alone, which a URL would resolve away.
     */
    public static boolean isUrlPathSegment(String id) {
        return !id.equals(".") && !id.equals("..") && id.matches("[A-Za-z0-9._~-]+");
    }

    /**
     * The worker gives up on a job-take after 90 s, so a hold must stay below that (runpod-api.md §6.2.3): 0 to
     * 89999 ms, and the message says so whichever side of it the value falls.
     */
    private static long workerWait(String name, String v) {
        long ms = parsedLong(v);
        if (ms < 0 || ms >= 90_000) {
            throw new IllegalArgumentException(name + " must be a whole number from 0 to 89999 (below 90000 ms, the worker's"
                    + " own job-take timeout), got '" + v + "'");
        }
        return ms;
    }

    private static boolean isTrue(String v) {
        String t = v.trim();
        return t.equalsIgnoreCase("true") || t.equals("1") || t.equalsIgnoreCase("yes");
    }

    private static boolean isFalse(String v) {
        String t = v.trim();
        return t.equalsIgnoreCase("false") || t.equals("0") || t.equalsIgnoreCase("no");
    }

    /**
     * A whole number from {@code min} to {@code max}; anything else (not a number, below, above) gets the one
     * message that states that range, so a value under a least of 1 is not told ">= 0".
     */
    private static int intValue(String name, String v, int min, int max) {
        long n = parsedLong(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
        return (int) n;
    }

    /** 0 is refused, not raised to 1 behind the user's back; -1 and 0 get the same message. */
    private static long atLeastOne(String name, String v) {
        long n = parsedLong(v);
        if (n < 1) {
            throw new IllegalArgumentException(name + " needs a whole number >= 1, got '" + v + "'");
        }
        return n;
    }

    private static long longValue(String name, String v) {
        long n = parsedLong(v);
        if (n < 0) {
            throw new IllegalArgumentException(name + " needs a whole number >= 0, got '" + v + "'");
        }
        return n;
    }

    /** The value as a long, or Long.MIN_VALUE when it is not a whole number (which every range check refuses). */
    private static long parsedLong(String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static boolean onOff(String name, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(name + " must be on or off, got '" + v + "'");
        };
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String v) {
        try {
            return Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": unknown value '" + v + "'");
        }
    }
}
