package dev.runpodkit.mock.config;

import static dev.runpodkit.mock.testing.MockHarness.await;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Every deliberate defect really breaks what it names. Each probe runs twice on the same kind of mock, without the
 * defect and with it (switched at run time through the admin API), and must see the documented behaviour first and
 * the broken one second; a sample is also checked on servers started with the defect, as {@code --defect} does. The
 * conformance suite's self-test relies on this: a check "caught" a defect only if the defect changes something.
 */
class DefectTest {

    /** What one probe does and what it must see: {@code clean} without the defect, {@code broken} with it. */
    private record Probe(Consumer<Settings> tweak, Function<MockHarness, Object> look, Object clean, Object broken) {
    }

    private static final Map<Defect, Probe> PROBES = new EnumMap<>(Defect.class);
    /**
     * Long-lived servers, one per settings tweak; each probe switches the defect on or off at run time and resets
     * them (starting a server per probe would cost most of this module's test time).
     */
    private static final Map<Consumer<Settings>, MockHarness> SHARED = new java.util.HashMap<>();
    private static final Consumer<Settings> DEFAULTS = s -> { };

    @AfterAll
    static void closeServers() {
        SHARED.values().forEach(MockHarness::close);
    }

    private static void probe(Defect d, Function<MockHarness, Object> look, Object clean, Object broken) {
        probe(d, DEFAULTS, look, clean, broken);
    }

    private static void probe(Defect d, Consumer<Settings> tweak, Function<MockHarness, Object> look, Object clean, Object broken) {
        PROBES.put(d, new Probe(tweak, look, clean, broken));
    }

    // ---------------------------------------------------------------- helpers the probes share

    private static final Consumer<Settings> SCALING = s -> {
        s.workersMin = 1;
        s.workersMax = 3;
        s.coldStartMs = 5_000;
        s.idleTimeoutMs = 1_000;
    };

    /** A /run job with mock_delay 0 that has already ended. */
    /** A valid /run body of about {@code bytes} bytes. */
    private static String bigBody(int bytes) {
        return "{\"input\": {\"pad\": \"" + "a".repeat(bytes) + "\"}}";
    }

    private static String ended(MockHarness m, String input) {
        String id = m.run(input);
        m.advance(0);
        return id;
    }

    private static Reply runsync(MockHarness m, String query, String input, long advanceMs) {
        CompletableFuture<Reply> f = m.sendHeld("POST", ep("/runsync" + query), "{\"input\": " + input + "}", 3);
        m.advance(advanceMs);
        return await(f);
    }

    /** Sends a request that may be held, reports whether it was, and lets it go by moving the clock on. */
    private static boolean held(MockHarness m, String method, String path, long releaseMs) {
        CompletableFuture<Reply> f = m.sendHeld(method, path, null, 1);
        boolean held = MockHarness.stillHeld(f);
        m.advance(releaseMs);
        await(f);
        return held;
    }

    private static JsonNode health(MockHarness m) {
        return m.get(ep("/health")).json();
    }

    private static int workers(MockHarness m) {
        JsonNode w = health(m).get("workers");
        return w.get("idle").asInt() + w.get("running").asInt() + w.path("initializing").asInt();
    }

    private static int streamSize(Reply r) {
        JsonNode stream = r.json().get("stream");
        return stream == null ? -1 : stream.size();
    }

    private static final String S3 = "\"s3Config\": {\"accessId\": \"AKIA-PROBE\", \"accessSecret\": \"probe-secret-value\","
            + " \"bucketName\": \"b\", \"endpointUrl\": \"http://127.0.0.1:9000\"}";

    static {
        // /run and /runsync
        probe(Defect.RUN_RETURNS_IN_PROGRESS, m -> m.post(ep("/run"), "{\"input\": {}}").text("status"), "IN_QUEUE", "IN_PROGRESS");
        probe(Defect.RUN_RETURNS_202, m -> m.post(ep("/run"), "{\"input\": {}}").status(), 200, 202);
        probe(Defect.RUN_MISSING_ID, m -> m.post(ep("/run"), "{\"input\": {}}").has("id"), true, false);
        probe(Defect.RUNSYNC_IGNORES_WAIT, m -> runsync(m, "", "{}", 0).text("status"), "COMPLETED", "IN_QUEUE");
        probe(Defect.RUNSYNC_WAIT_UNCLAMPED, m -> runsync(m, "?wait=1", "{\"mock_delay\": 0.5}", 1_000).text("status"),
                "COMPLETED", "IN_PROGRESS");
        probe(Defect.RUNSYNC_TIMEOUT_IS_ERROR, m -> runsync(m, "?wait=1000", "{\"mock_delay\": 5}", 1_000).status(), 200, 408);
        // /status
        probe(Defect.STATUS_MISSING_ID, m -> m.status(ended(m, "{}")).has("id"), true, false);
        probe(Defect.STATUS_GET_ONLY, m -> m.post(ep("/status/" + ended(m, "{}")), null).status(), 200, 405);
        probe(Defect.STATUS_NO_TIMINGS, m -> m.status(ended(m, "{}")).has("executionTime"), true, false);
        probe(Defect.STATUS_NO_WORKER_ID, m -> m.status(ended(m, "{}")).has("workerId"), true, false);
        probe(Defect.STATUS_RUNNING, m -> m.status(m.run("{\"mock_delay\": 10}")).text("status"), "IN_PROGRESS", "RUNNING");
        probe(Defect.ECHO_WRONG_OUTPUT, m -> m.status(ended(m, "{\"mock_return\": \"pong\"}")).text("output"), "pong", "Hello World!");
        probe(Defect.FAILED_ERROR_OBJECT, m -> m.status(ended(m, "{\"mock_error\": \"x\"}")).json().get("error").isString(), true, false);
        probe(Defect.MOCK_ERROR_COMPLETES, m -> m.status(ended(m, "{\"mock_error\": \"x\"}")).text("status"), "FAILED", "COMPLETED");
        probe(Defect.FAILED_HTTP_500, m -> m.status(ended(m, "{\"mock_error\": \"x\"}")).status(), 200, 500);
        probe(Defect.LEAK_S3CONFIG, m -> m.post(ep("/run"), "{\"input\": {}, " + S3 + "}").body().contains("probe-secret-value"),
                false, true);
        // limits and the admin view
        probe(Defect.LIMIT_NOT_ENFORCED, m -> m.post(ep("/run"), bigBody(11 * 1024 * 1024)).status(), 400, 200);
        probe(Defect.LIMIT_OLD_2MB, m -> m.post(ep("/run"), bigBody(3 * 1024 * 1024)).status(), 200, 400);
        probe(Defect.RATE_LIMITS_OFF, m -> {
            m.post(ep("/purge-queue"), null);
            m.post(ep("/purge-queue"), null);
            return m.post(ep("/purge-queue"), null).status();
        }, 429, 200);
        probe(Defect.WEBHOOK_URL_UNCHECKED, m -> m.post(ep("/run"), "{\"input\": {}, \"webhook\": \"ftp://x/y\"}").status(), 400, 200);
        // request bodies
        probe(Defect.ACCEPT_MISSING_INPUT, m -> m.post(ep("/run"), "{}").status(), 400, 200);
        probe(Defect.ACCEPT_NON_OBJECT_INPUT, m -> m.post(ep("/run"), "{\"input\": \"text\"}").status(), 400, 200);
        probe(Defect.ACCEPT_WRONG_TYPES, m -> m.post(ep("/run"), "{\"input\": {}, \"webhook\": 5}").status(), 400, 200);
        probe(Defect.KEEP_UNKNOWN_KEYS, m -> {
            String id = m.post(ep("/run"), "{\"input\": {}, \"stray\": \"zzz-stray\"}").text("id");
            return m.get("/__admin/jobs/" + id).json().get("delivered").toString().contains("zzz-stray");
        }, false, true);
        probe(Defect.MALFORMED_JSON_500, m -> m.post(ep("/run"), "{\"input\": ").status(), 400, 500);
        probe(Defect.ERROR_NOT_NAMING_FIELD, m -> m.post(ep("/run"), "{}").text("error").contains("input"), true, false);
        // auth
        probe(Defect.NO_AUTH, m -> m.send("GET", ep("/health"), null, "Authorization", null).status(), 401, 200);
        probe(Defect.REJECT_BEARER, m -> m.send("GET", ep("/health"), null, "Authorization", "Bearer test-key").status(), 200, 401);
        probe(Defect.REJECT_RAW_KEY, m -> m.send("GET", ep("/health"), null, "Authorization", "test-key").status(), 200, 401);
        // errors and routing
        probe(Defect.UNKNOWN_JOB_200, m -> m.status("no-such-job").status(), 404, 200);
        probe(Defect.UNKNOWN_ENDPOINT_200, m -> m.get("/v2/no-such-endpoint/health").status(), 404, 200);
        probe(Defect.ERROR_BODY_TEXT, m -> m.status("no-such-job").jsonOrNull() != null, true, false);
        probe(Defect.NO_405, m -> m.get(ep("/run")).status(), 405, 404);
        probe(Defect.NO_ALLOW_HEADER, m -> m.get(ep("/run")).header("Allow"), "POST", null);
        probe(Defect.INJECTED_FAULT_AS_TEXT, m -> {
            m.post("/__admin/faults?count=1", null);
            Reply r = m.get(ep("/health"));
            return r.status() + " " + (r.jsonOrNull() != null);
        }, "500 true", "500 false");
        // /stream and streaming jobs
        probe(Defect.STREAM_NOT_DRAINED, m -> {
            String id = ended(m, "{\"mock_generator\": true, \"mock_return\": [1]}");
            m.get(ep("/stream/" + id));
            return streamSize(m.get(ep("/stream/" + id)));
        }, 0, 1);
        probe(Defect.STREAM_MISSING_ARRAY, m -> streamSize(m.get(ep("/stream/" + ended(m, "{}")))), 0, -1);
        probe(Defect.STREAM_IGNORES_WAIT, m -> held(m, "GET",
                ep("/stream/" + m.run("{\"mock_generator\": true, \"mock_delay\": 60}") + "?wait=5000"), 5_000), true, false);
        probe(Defect.STREAM_HOLDS_AFTER_END, m -> held(m, "GET", ep("/stream/" + ended(m, "{}") + "?wait=5000"), 5_000), false, true);
        probe(Defect.STREAM_GET_ONLY, m -> m.post(ep("/stream/" + ended(m, "{}")), null).status(), 200, 405);
        probe(Defect.GENERATOR_NO_CHUNKS, m -> streamSize(m.get(ep("/stream/" + ended(m,
                "{\"mock_generator\": true, \"mock_return\": [1, 2]}")))), 2, 0);
        probe(Defect.AGGREGATE_ALWAYS, m -> m.status(ended(m, "{\"mock_generator\": true, \"mock_return\": [1, 2]}"))
                .json().get("output").toString(), "[]", "[1,2]");
        // /status-sync, progress, timings
        probe(Defect.STATUS_SYNC_IGNORES_WAIT, m -> held(m, "GET",
                ep("/status-sync/" + m.run("{\"mock_delay\": 60}") + "?wait=5000"), 5_000), true, false);
        probe(Defect.STATUS_HOLDS, m -> held(m, "GET", ep("/status/" + m.run("{\"mock_delay\": 60}")), 90_000), false, true);
        probe(Defect.PROGRESS_HIDDEN, m -> {
            String id = m.run("{\"mock_progress\": {\"updates\": [\"half\"]}, \"mock_delay\": 10}");
            m.advance(0);
            return m.status(id).has("output");
        }, true, false);
        probe(Defect.TIMINGS_WALL_CLOCK, m -> {
            String id = m.run("{\"mock_delay\": 5}");
            m.advance(5_000);
            return m.status(id).json().get("executionTime").asLong() == 5_000;
        }, true, false);
        probe(Defect.STATUS_TTL_IGNORED, m -> {
            String id = ended(m, "{}");
            m.get(ep("/status/" + id + "?ttl=1000"));
            m.advance(1_000);
            return m.status(id).status();
        }, 404, 200);
        // /cancel, /retry, /purge-queue
        probe(Defect.CANCEL_IGNORED, m -> {
            String id = m.run("{\"mock_delay\": 10}");
            m.post(ep("/cancel/" + id), null);
            return m.status(id).text("status");
        }, "CANCELLED", "IN_PROGRESS");
        probe(Defect.CANCEL_OVERWRITES_TERMINAL, m -> {
            String id = ended(m, "{}");
            m.post(ep("/cancel/" + id), null);
            return m.status(id).text("status");
        }, "COMPLETED", "CANCELLED");
        probe(Defect.CONTROL_REQUIRES_BODY, m -> m.post(ep("/purge-queue"), null).status(), 200, 400);
        probe(Defect.RETRY_ANY_STATUS, m -> m.post(ep("/retry/" + ended(m, "{}")), null).status(), 400, 200);
        probe(Defect.RETRY_NEW_ID, m -> {
            String id = ended(m, "{\"mock_error\": \"x\"}");
            return id.equals(m.post(ep("/retry/" + id), null).text("id"));
        }, true, false);
        probe(Defect.RETRY_KEEPS_RESULT, m -> {
            String id = ended(m, "{\"mock_error\": \"x\"}");
            m.post(ep("/retry/" + id), null);
            return m.status(id).has("error");
        }, false, true);
        probe(Defect.RETRY_LOSES_INPUT, m -> {
            String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 10}, \"policy\": {\"executionTimeout\": 5000}}").text("id");
            m.advance(5_000);
            m.post(ep("/retry/" + id), null);
            m.advance(0);
            return m.status(id).text("status");
        }, "IN_PROGRESS", "COMPLETED");
        probe(Defect.PURGE_STOPS_RUNNING, m -> {
            String id = m.run("{\"mock_delay\": 10}");
            m.post(ep("/purge-queue"), null);
            return m.status(id).text("status");
        }, "IN_PROGRESS", "CANCELLED");
        probe(Defect.PURGE_COUNT_ZERO, m -> {
            m.run("{\"mock_delay\": 10}");
            m.run("{\"mock_delay\": 10}");
            m.run("{}");
            return m.post(ep("/purge-queue"), null).json().get("removed").asInt();
        }, 1, 0);
        probe(Defect.PURGE_KEEPS_JOBS, m -> {
            m.run("{\"mock_delay\": 10}");
            m.run("{\"mock_delay\": 10}");
            String queued = m.run("{}");
            m.post(ep("/purge-queue"), null);
            return m.status(queued).status();
        }, 404, 200);
        // /health
        probe(Defect.HEALTH_STALE, m -> {
            m.run("{\"mock_delay\": 10}");
            return health(m).get("jobs").get("inProgress").asInt();
        }, 1, 0);
        probe(Defect.HEALTH_BASIC_KEYS, m -> health(m).get("workers").has("initializing"), true, false);
        probe(Defect.HEALTH_COUNTERS_FROZEN, m -> {
            ended(m, "{}");
            return health(m).get("jobs").get("completed").asInt();
        }, 1, 0);
        // retention and ids
        probe(Defect.RETAIN_FOREVER, m -> {
            String id = ended(m, "{}");
            m.advance(30 * 60_000);
            return m.status(id).status();
        }, 404, 200);
        probe(Defect.RETAIN_SYNC_AS_RUN, m -> {
            String id = runsync(m, "", "{}", 0).text("id");
            m.advance(60_000);
            return m.status(id).status();
        }, 404, 200);
        probe(Defect.RETAIN_WAIT_EXTENDS, m -> {
            String id = runsync(m, "?wait=120000", "{}", 0).text("id");
            m.advance(60_000);
            return m.status(id).status();
        }, 404, 200);
        probe(Defect.ID_PLAIN_UUID, m -> m.run("{}").endsWith("-u1"), true, false);
        probe(Defect.ID_REUSED, m -> m.run("{\"same\": 1}").equals(m.run("{\"same\": 1}")), false, true);
        // policy and workers
        probe(Defect.POLICY_RANGE_UNCHECKED, m -> m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 1000}}").status(),
                400, 200);
        probe(Defect.POLICY_MIN_EXCLUSIVE, m -> m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 5000}}").status(),
                200, 400);
        probe(Defect.POLICY_UNKNOWN_KEYS_REJECTED, m -> m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"priority\": 1}}").status(),
                200, 400);
        probe(Defect.EXECUTION_TIMEOUT_IGNORED, m -> {
            String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 10}, \"policy\": {\"executionTimeout\": 5000}}").text("id");
            m.advance(5_000);
            return m.status(id).text("status");
        }, "TIMED_OUT", "IN_PROGRESS");
        probe(Defect.DEFAULT_TIMEOUT_24H, m -> {
            String id = m.run("{\"mock_delay\": 3600}");
            m.advance(600_000);
            return m.status(id).text("status");
        }, "TIMED_OUT", "IN_PROGRESS");
        probe(Defect.TIMEOUT_KEEPS_WORKER, m -> {
            String body = "{\"input\": {\"mock_delay\": 10}, \"policy\": {\"executionTimeout\": 5000}}";
            m.post(ep("/run"), body);
            m.post(ep("/run"), body);
            String next = m.run("{\"mock_delay\": 10}");
            m.advance(5_000);
            return m.status(next).text("status");
        }, "IN_PROGRESS", "IN_QUEUE");
        probe(Defect.TTL_IGNORED, m -> {
            String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 60}, \"policy\": {\"ttl\": 10000}}").text("id");
            m.advance(10_000);
            return m.status(id).status();
        }, 404, 200);
        probe(Defect.TTL_QUEUE_ONLY, m -> {
            String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 60}, \"policy\": {\"ttl\": 10000}}").text("id");
            m.advance(10_000);
            return m.status(id).status();
        }, 404, 200);
        probe(Defect.TTL_DEFAULT_1H, m -> {
            String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 7200}, \"policy\": {\"executionTimeout\": 9000000}}").text("id");
            m.advance(3_600_000);
            return m.status(id).status();
        }, 200, 404);
        probe(Defect.LOW_PRIORITY_FIFO, m -> {
            m.run("{\"mock_delay\": 1}");
            m.run("{\"mock_delay\": 10}");
            String low = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 10}, \"policy\": {\"lowPriority\": true}}").text("id");
            m.run("{\"mock_delay\": 10}");
            m.advance(1_000);
            return m.status(low).text("status");
        }, "IN_QUEUE", "IN_PROGRESS");
        probe(Defect.LOW_PRIORITY_SCALES, SCALING, m -> {
            m.run("{\"mock_delay\": 10}");
            m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"lowPriority\": true}}");
            return workers(m);
        }, 1, 2);
        probe(Defect.NO_SCALE_UP, SCALING, m -> {
            m.run("{\"mock_delay\": 10}");
            m.run("{\"mock_delay\": 10}");
            return workers(m);
        }, 2, 1);
        probe(Defect.NO_COLD_START, SCALING, m -> {
            m.run("{\"mock_delay\": 10}");
            m.run("{\"mock_delay\": 10}");
            return health(m).get("workers").get("initializing").asInt();
        }, 1, 0);
        probe(Defect.NO_SCALE_DOWN, SCALING, m -> {
            m.run("{}");
            m.run("{}");
            m.advance(5_000); // the second worker's cold start; it runs the second job and goes idle
            m.advance(1_000);
            return workers(m);
        }, 1, 2);
    }

    // ---------------------------------------------------------------- the tests

    /** Switches the shared server to exactly these defects and forgets every job, worker and armed fault. */
    private static MockHarness prepared(Probe p, Defect... defects) {
        MockHarness m = SHARED.computeIfAbsent(p.tweak(), MockHarness::frozen);
        StringBuilder names = new StringBuilder();
        for (Defect d : defects) {
            names.append(names.length() == 0 ? "\"" : ", \"").append(d.flagName()).append('"');
        }
        m.guardStackTraces = true;
        Reply patched = m.send("PATCH", "/__admin/settings", "{\"defects\": [" + names + "]}");
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(200, m.post("/__admin/faults?count=0", null).status());
        Reply reset = m.post("/__admin/reset", null);
        assertEquals(200, reset.status(), reset::toString);
        m.guardStackTraces = defects.length == 0; // some defects write stack traces on purpose
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Defect.class)
    void eachDefectVisiblyChangesTheMocksBehaviour(Defect defect) {
        Probe p = PROBES.get(defect);
        // defects of the later layers (webhooks, worker protocol, storage, rate windows) need a receiver, a worker
        // or a store to show; each is proven end to end by the conformance suite's self-test (DefectSelfTestIT,
        // which also checks that every defect is caught by some check)
        org.junit.jupiter.api.Assumptions.assumeTrue(p != null, "no unit probe for " + defect + "; covered by DefectSelfTestIT");
        assertNotEquals(p.clean(), p.broken(), "a probe must tell the two apart");

        Object clean = p.look().apply(prepared(p));
        assertEquals(p.clean(), clean, () -> "the clean mock does not behave as documented for " + defect);
        Object broken = p.look().apply(prepared(p, defect));
        assertEquals(p.broken(), broken, () -> defect + " (" + defect.description() + ") did not change what the probe sees");
    }

    /** The same probes on servers started with the defect in their settings, as --defect does: one per layer. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Defect.class, names = {"RUN_MISSING_ID", "NO_AUTH", "MALFORMED_JSON_500", "MOCK_ERROR_COMPLETES",
            "AGGREGATE_ALWAYS", "PURGE_KEEPS_JOBS", "STREAM_NOT_DRAINED", "NO_COLD_START"})
    void aDefectGivenAtStartWorksLikeOneSwitchedOnLater(Defect defect) {
        Probe p = PROBES.get(defect);
        try (MockHarness m = MockHarness.frozen(s -> {
            p.tweak().accept(s);
            s.defects.add(defect);
        })) {
            m.guardStackTraces = false;
            assertEquals(p.broken(), p.look().apply(m), () -> defect + " given at start did not take effect");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Defect.class)
    void eachDefectHasAFlagNameThatMapsBackToIt(Defect defect) {
        String flag = defect.flagName();
        assertTrue(flag.matches("[a-z0-9]+(-[a-z0-9]+)*"), flag);
        assertEquals(defect, Defect.fromFlag(flag));
        assertEquals(defect, Defect.fromFlag("  " + flag.toUpperCase() + " "));
        assertTrue(!defect.description().isBlank());
    }

    @Test
    void anUnknownDefectNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Defect.fromFlag("no-such-defect"));
        assertTrue(e.getMessage().contains("no-such-defect"));
        for (Defect d : Defect.values()) {
            assertTrue(e.getMessage().contains(d.flagName()), d.flagName());
        }
    }

    @Test
    void defectsCanBeSwitchedAtRunTimeThroughTheAdminApi() {
        try (MockHarness m = MockHarness.frozen()) {
            assertEquals(401, m.send("GET", ep("/health"), null, "Authorization", null).status());
            Reply patched = m.send("PATCH", "/__admin/settings", "{\"defects\": [\"no-auth\"]}");
            assertEquals(200, patched.status(), patched::toString);
            assertEquals(200, m.send("GET", ep("/health"), null, "Authorization", null).status());
            m.send("PATCH", "/__admin/settings", "{\"defects\": []}");
            assertEquals(401, m.send("GET", ep("/health"), null, "Authorization", null).status());
            assertTrue(Objects.requireNonNull(m.send("PATCH", "/__admin/settings", "{\"defects\": [\"nope\"]}").text("error"))
                    .contains("no-auth"), "an unknown name lists the known ones");
        }
    }
}
