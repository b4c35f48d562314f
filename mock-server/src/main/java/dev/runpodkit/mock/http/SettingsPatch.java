package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import java.util.EnumSet;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/** One key of a PATCH /__admin/settings body, checked and applied. Server-level keys (port, keys) are fixed at start. */
final class SettingsPatch {

    private SettingsPatch() {
    }

    static void apply(Settings s, String key, JsonNode v) {
        switch (key) {
            case "workersMin" -> s.workersMin = (int) count(key, v, 10_000);
            case "workersMax" -> s.workersMax = (int) count(key, v, 10_000);
            case "coldStartMs" -> s.coldStartMs = millis(key, v);
            case "idleTimeoutMs" -> s.idleTimeoutMs = millis(key, v);
            case "executionTimeoutDefaultMs" -> s.executionTimeoutDefaultMs = millis(key, v);
            case "ttlDefaultMs" -> s.ttlDefaultMs = millis(key, v);
            case "retentionRunMs" -> s.retentionRunMs = millis(key, v);
            case "retentionSyncMs" -> s.retentionSyncMs = millis(key, v);
            case "retainedBytesMax" -> s.retainedBytesMax = count(key, v, Long.MAX_VALUE);
            case "runsyncWaitDefaultMs" -> s.runsyncWaitDefaultMs = millis(key, v);
            case "streamWaitDefaultMs" -> s.streamWaitDefaultMs = millis(key, v);
            case "waitMinMs" -> s.waitMinMs = millis(key, v);
            case "waitMaxMs" -> s.waitMaxMs = millis(key, v);
            case "timeScale" -> {
                if (!v.isNumber() || !dev.runpodkit.mock.clock.ControllableClock.isValidScale(v.doubleValue())) {
                    throw ApiError.badRequest("'timeScale' must be a number > 0 and at most 1000000.");
                }
                s.timeScale = v.doubleValue();
            }
            case "ttlMode" -> s.ttlMode = enumValue(Settings.TtlMode.class, key, v);
            case "timeoutStatus" -> s.timeoutStatus = enumValue(Settings.TimeoutStatus.class, key, v);
            case "strictInput" -> s.strictInput = bool(key, v);
            case "policyMaxEnforced" -> s.policyMaxEnforced = bool(key, v);
            case "healthWorkerKeys" -> s.healthWorkerKeys = enumValue(Settings.HealthWorkerKeys.class, key, v);
            case "readPost" -> s.readPost = bool(key, v);
            case "streamShape" -> s.streamShape = enumValue(Settings.StreamShape.class, key, v);
            case "runsyncWaitMeaning" -> s.runsyncWaitMeaning = enumValue(Settings.RunsyncWaitMeaning.class, key, v);
            case "purgedJobs" -> s.purgedJobs = enumValue(Settings.PurgedJobs.class, key, v);
            case "statusTtl" -> s.statusTtl = enumValue(Settings.StatusTtl.class, key, v);
            case "webhookPayload" -> s.webhookPayload = enumValue(Settings.WebhookPayload.class, key, v);
            case "executionTimeoutMinInclusive" -> s.executionTimeoutMinInclusive = bool(key, v);
            case "generator" -> s.generator = bool(key, v);
            case "aggregateStream" -> s.aggregateStream = bool(key, v);
            case "requestLog" -> s.requestLog = bool(key, v);
            case "runMaxBytes" -> s.runMaxBytes = bytes(key, v);
            case "runsyncMaxBytes" -> s.runsyncMaxBytes = bytes(key, v);
            case "streamChunkMaxBytes" -> s.streamChunkMaxBytes = bytes(key, v);
            case "oversizedResult" -> s.oversizedResult = enumValue(Settings.OversizedResult.class, key, v);
            case "payloadTooLargeStatus" -> {
                if (!v.isInt() || (v.intValue() != 400 && v.intValue() != 413)) {
                    throw ApiError.badRequest("'payloadTooLargeStatus' must be 400 or 413.");
                }
                s.payloadTooLargeStatus = v.intValue();
            }
            case "rateLimits" -> s.rateLimits = bool(key, v);
            case "rateLimitRule" -> s.rateLimitRule = enumValue(Settings.RateLimitRule.class, key, v);
            case "rateWindowMs" -> s.rateWindowMs = positiveMillis(key, v);
            case "requestsPerWorker" -> s.requestsPerWorker = (int) count(key, v, 1_000_000);
            case "mode" -> s.mode = enumValue(Settings.Mode.class, key, v);
            case "endpointModes" -> {
                if (!v.isObject()) {
                    throw ApiError.badRequest("'endpointModes' must be an object of endpoint id to \"builtin\" or \"external\".");
                }
                java.util.Map<String, Settings.Mode> modes = new java.util.LinkedHashMap<>();
                for (java.util.Map.Entry<String, JsonNode> e : v.properties()) {
                    if (!s.endpoints.contains(e.getKey())) {
                        throw ApiError.badRequest("'endpointModes' names '" + e.getKey() + "', which is not one of the endpoints " + s.endpoints + ".");
                    }
                    modes.put(e.getKey(), enumValue(Settings.Mode.class, "endpointModes." + e.getKey(), e.getValue()));
                }
                s.endpointModes = modes;
            }
            case "workerTakeWaitMs" -> {
                if (!isWholeIn(v, 0, 89_999)) {
                    throw ApiError.badRequest("'workerTakeWaitMs' must be an integer number of milliseconds from 0 to 89999"
                            + " (below 90000: the worker gives up on a job-take after 90 s).");
                }
                s.workerTakeWaitMs = v.longValue();
            }
            case "workerPingIntervalMs" -> s.workerPingIntervalMs = positiveMillis(key, v);
            case "workerLostAfterPings" -> s.workerLostAfterPings = (int) count(key, v, 1, 1_000);
            case "lostWorkerRetries" -> s.lostWorkerRetries = (int) count(key, v, 100);
            case "stripEmptyInput" -> s.stripEmptyInput = bool(key, v);
            case "webhookAttempts" -> s.webhookAttempts = (int) count(key, v, 1, 100);
            case "webhookRetryDelayMs" -> s.webhookRetryDelayMs = millis(key, v);
            case "webhookAttemptTimeoutMs" -> s.webhookAttemptTimeoutMs = millis(key, v);
            case "webhookAccept2xx" -> s.webhookAccept2xx = bool(key, v);
            case "webhookOnCancelled" -> s.webhookOnCancelled = bool(key, v);
            case "webhookAllow" -> s.webhookAllow = patterns(key, v);
            case "webhookDeny" -> s.webhookDeny = patterns(key, v);
            case "defects" -> {
                if (!v.isArray()) {
                    throw ApiError.badRequest("'defects' must be an array of defect names.");
                }
                EnumSet<Defect> defects = EnumSet.noneOf(Defect.class);
                for (JsonNode d : v) {
                    if (!d.isString()) {
                        throw ApiError.badRequest("'defects' must be an array of defect names (strings), not one with "
                                + kind(d) + " in it.");
                    }
                    try {
                        defects.add(Defect.fromFlag(d.asString()));
                    } catch (IllegalArgumentException e) {
                        throw ApiError.badRequest(e.getMessage());
                    }
                }
                s.defects = defects;
            }
            default -> throw ApiError.badRequest("Unknown or read-only setting '" + key + "'. Changeable: workersMin, workersMax, "
                    + "coldStartMs, idleTimeoutMs, executionTimeoutDefaultMs, ttlDefaultMs, retentionRunMs, retentionSyncMs, retainedBytesMax, "
                    + "runsyncWaitDefaultMs, streamWaitDefaultMs, waitMinMs, waitMaxMs, timeScale, ttlMode, timeoutStatus, strictInput, policyMaxEnforced, healthWorkerKeys, readPost, streamShape, runsyncWaitMeaning, purgedJobs, statusTtl, webhookPayload, "
                    + "executionTimeoutMinInclusive, generator, aggregateStream, mode, endpointModes, workerTakeWaitMs, "
                    + "workerPingIntervalMs, workerLostAfterPings, lostWorkerRetries, stripEmptyInput, requestLog, webhookAttempts, webhookRetryDelayMs, "
                    + "runMaxBytes, runsyncMaxBytes, streamChunkMaxBytes, oversizedResult, payloadTooLargeStatus, rateLimits, rateLimitRule, rateWindowMs, requestsPerWorker, "
                    + "webhookAttemptTimeoutMs, webhookAccept2xx, webhookOnCancelled, webhookAllow, webhookDeny, defects.");
        }
    }

    private static java.util.List<String> patterns(String key, JsonNode v) {
        if (!v.isArray()) {
            throw ApiError.badRequest("'" + key + "' must be an array of host, address or CIDR patterns.");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode p : v) {
            if (!p.isString()) {
                throw ApiError.badRequest("'" + key + "' must be an array of host, address or CIDR patterns (strings), not one with "
                        + kind(p) + " in it.");
            }
            try {
                dev.runpodkit.mock.webhooks.DestinationGuard.validate(p.asString());
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("'" + key + "': " + e.getMessage());
            }
            out.add(p.asString());
        }
        return out;
    }

    /**
     * A duration whose least is 1 ms: 0 is refused, as on the command line, not raised to 1 behind the caller's
     * back; -1 and 0 get the same message, which states the real least.
     */
    private static long positiveMillis(String key, JsonNode v) {
        if (!isWholeIn(v, 1, Long.MAX_VALUE)) {
            throw ApiError.badRequest("'" + key + "' must be an integer number of milliseconds, at least 1.");
        }
        return v.longValue();
    }

    private static long count(String key, JsonNode v, long max) {
        return count(key, v, 0, max);
    }

    /** An integer from {@code min} to {@code max}: the message states that range, whichever side a value misses. */
    private static long count(String key, JsonNode v, long min, long max) {
        if (!isWholeIn(v, min, max)) {
            throw ApiError.badRequest("'" + key + "' must be an integer from " + min + " to " + max + ".");
        }
        return v.longValue();
    }

    private static long millis(String key, JsonNode v) {
        return wholeNumber(key, v, "milliseconds");
    }

    private static long bytes(String key, JsonNode v) {
        return wholeNumber(key, v, "bytes");
    }

    private static long wholeNumber(String key, JsonNode v, String unit) {
        if (!isWholeIn(v, 0, Long.MAX_VALUE)) {
            throw ApiError.badRequest("'" + key + "' must be an integer number of " + unit + " >= 0.");
        }
        return v.longValue();
    }

    /** A JSON integer that fits a long and lies from {@code min} to {@code max}: what every numeric setting checks. */
    private static boolean isWholeIn(JsonNode v, long min, long max) {
        return v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= min && v.longValue() <= max;
    }

    private static boolean bool(String key, JsonNode v) {
        if (!v.isBoolean()) {
            throw ApiError.badRequest("'" + key + "' must be true or false.");
        }
        return v.booleanValue();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String key, JsonNode v) {
        if (v.isContainer()) {
            throw ApiError.badRequest("'" + key + "' must be one of " + names(type) + ", not " + kind(v) + ".");
        }
        try {
            return Enum.valueOf(type, v.asString().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (RuntimeException e) {
            throw ApiError.badRequest("'" + key + "': unknown value '" + v.asString() + "'; one of " + names(type) + ".");
        }
    }

    private static <E extends Enum<E>> java.util.List<String> names(Class<E> type) {
        return java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** What a JSON value is, for an error message: "an object", "a number", ... */
    private static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            default -> "a " + v.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
