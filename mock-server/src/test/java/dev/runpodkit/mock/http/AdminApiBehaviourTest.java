package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The admin API over HTTP on a real server (port 0, frozen clock): reset, the job views and their filters,
 * settings read and changed at run time, the clock, and injected faults.
 */
class AdminApiBehaviourTest {

    private static final String SECRET = "s3-secret-never-shown";
    private static final String ACCESS_ID = "AKIA-NEVER-SHOWN";

    private MockHarness h = MockHarness.frozen(s -> s.endpoints = new ArrayList<>(List.of("ep-a", "ep-b")));

    @AfterEach
    void close() {
        h.close();
    }

    private String run(String endpoint, String input) {
        Reply r = h.post("/v2/" + endpoint + "/run", "{\"input\": " + input + "}");
        assertEquals(200, r.status(), r::toString);
        return r.text("id");
    }

    private List<String> listedIds(String query) {
        Reply r = h.get("/__admin/jobs" + query);
        assertEquals(200, r.status(), r::toString);
        List<String> ids = new ArrayList<>();
        for (JsonNode j : r.json().get("jobs")) {
            ids.add(j.get("delivered").get("id").asString());
        }
        assertEquals(ids.size(), r.json().get("count").asInt(), "count is the number of jobs listed: " + r);
        return ids;
    }

    private JsonNode settings() {
        return h.get("/__admin/settings").json();
    }

    private JsonNode health(String endpoint) {
        return h.get("/v2/" + endpoint + "/health").json();
    }

    // ---------------------------------------------------------------- reset

    @Test
    void resetForgetsEveryJobAndRestartsThePoolsKeepingTheSettings() {
        h.send("PATCH", "/__admin/settings", "{\"coldStartMs\": 1234}");
        String running = run("ep-a", "{\"mock_delay\": 10}");
        run("ep-a", "{\"mock_delay\": 10}");
        String queued = run("ep-a", "{\"mock_delay\": 10}");
        run("ep-b", "{}");
        assertEquals(2, health("ep-a").get("workers").get("running").asInt());
        assertEquals(1, health("ep-a").get("jobs").get("inQueue").asInt());

        Reply reset = h.post("/__admin/reset", null);
        assertEquals(200, reset.status(), reset::toString);
        assertEquals("reset", reset.text("status"));

        assertEquals(List.of(), listedIds(""));
        assertError(404, h.get("/v2/ep-a/status/" + running));
        assertError(404, h.get("/v2/ep-a/status/" + queued));
        JsonNode after = health("ep-a");
        assertEquals(2, after.get("workers").get("idle").asInt(), "the pool restarted, idle: " + after);
        assertEquals(0, after.get("workers").get("running").asInt(), after::toString);
        assertEquals(0, after.get("workers").get("initializing").asInt(), "a restarted pool is ready at once: " + after);
        assertEquals(0, after.get("jobs").get("inQueue").asInt(), after::toString);
        assertEquals(1234, settings().get("coldStartMs").asInt(), "reset keeps the settings");
    }

    // ---------------------------------------------------------------- jobs

    @Test
    void jobsAreListedAndFilteredByEndpointAndStatus() {
        String a1 = run("ep-a", "{\"mock_delay\": 10}");
        String a2 = run("ep-a", "{\"mock_delay\": 10}");
        String a3 = run("ep-a", "{}");
        String b1 = run("ep-b", "{}");
        h.advance(0); // b1 completes; a1 and a2 run, a3 waits

        assertEquals(List.of(a1, a2, a3, b1), listedIds(""));
        assertEquals(List.of(a1, a2, a3), listedIds("?endpoint=ep-a"));
        assertEquals(List.of(b1), listedIds("?endpoint=ep-b"));
        assertError(404, h.get("/__admin/jobs?endpoint=no-such-endpoint"));
        assertEquals(List.of(a1, a2), listedIds("?status=IN_PROGRESS"));
        assertEquals(List.of(a3), listedIds("?status=in_queue"), "the status filter ignores case");
        assertEquals(List.of(b1), listedIds("?endpoint=ep-b&status=COMPLETED"));
        assertEquals(List.of(), listedIds("?endpoint=ep-a&status=COMPLETED"));

        String error = assertError(400, h.get("/__admin/jobs?status=RUNNING"));
        assertTrue(error.contains("RUNNING") && error.contains("IN_PROGRESS"), "names the bad value and the good ones: " + error);
    }

    @Test
    void anEndpointTheMockDoesNotServeIsA404OnEveryAdminViewThatFiltersByEndpoint() {
        // /__admin/jobs, /__admin/workers and /__admin/webhooks answered 200 with an empty list, /__admin/worker-env 404
        run("ep-a", "{}");
        for (String path : List.of("/__admin/jobs?endpoint=nope", "/__admin/workers?endpoint=nope",
                "/__admin/worker-env?endpoint=nope", "/__admin/jobs?endpoint=nope&status=COMPLETED",
                "/__admin/webhooks?endpoint=nope", "/__admin/webhooks?endpoint=nope&jobId=x")) {
            String message = assertError(404, h.get(path));
            assertTrue(message.contains("'nope' not found") && message.contains("ep-a"), path + ": " + message);
        }
        assertEquals(1, listedIds("?endpoint=").size(), "an empty filter is no filter");
        assertEquals(List.of(), listedIds("?endpoint=ep-b"), "a known endpoint with no jobs is still an empty list");
        Reply workers = h.get("/__admin/workers?endpoint=ep-b");
        assertEquals(200, workers.status(), workers::toString);
        assertEquals(0, workers.json().get("count").asInt());
        Reply webhooks = h.get("/__admin/webhooks?endpoint=ep-b");
        assertEquals(200, webhooks.status(), webhooks::toString);
        assertEquals(0, webhooks.json().get("count").asInt());
    }

    @Test
    void oneJobIsShownAsItsWorkerGotItWithSecretsRedacted() {
        Reply r = h.post("/v2/ep-a/run", "{\"input\": {\"prompt\": \"hi\", \"mock_delay\": 1}, \"webhook\": \"https://example.com/hook\", "
                + "\"policy\": {\"executionTimeout\": 60000, \"ttl\": 120000, \"lowPriority\": true, \"unknownPolicyKey\": 1}, "
                + "\"s3Config\": {\"accessId\": \"" + ACCESS_ID + "\", \"accessSecret\": \"" + SECRET + "\", "
                + "\"bucketName\": \"bucket\", \"endpointUrl\": \"https://s3.example.com\"}, \"topLevelExtra\": true}");
        assertEquals(200, r.status(), r::toString);
        String id = r.text("id");

        Reply view = h.get("/__admin/jobs/" + id);
        assertEquals(200, view.status(), view::toString);
        JsonNode v = view.json();
        assertEquals("ep-a", v.get("endpointId").asString());
        assertFalse(v.get("sync").asBoolean());
        assertEquals(h.get("/__admin/clock").json().get("now").asLong(), v.get("submittedAt").asLong(), "the clock is frozen");
        assertEquals(id, v.get("status").get("id").asString());
        assertEquals("IN_PROGRESS", v.get("status").get("status").asString());

        JsonNode d = v.get("delivered");
        assertEquals(id, d.get("id").asString());
        assertEquals("hi", d.get("input").get("prompt").asString());
        assertEquals("https://example.com/hook", d.get("webhook").asString());
        assertEquals(60_000, d.get("policy").get("executionTimeout").asLong());
        assertEquals(120_000, d.get("policy").get("ttl").asLong());
        assertTrue(d.get("policy").get("lowPriority").asBoolean());
        assertFalse(d.get("policy").has("unknownPolicyKey"), "unknown policy keys are ignored: " + d);
        assertFalse(d.has("topLevelExtra"), "unknown top-level keys never reach the worker: " + d);
        assertEquals("***", d.get("s3Config").get("accessId").asString());
        assertEquals("***", d.get("s3Config").get("accessSecret").asString());
        assertEquals("bucket", d.get("s3Config").get("bucketName").asString());

        for (Reply any : List.of(view, h.get("/__admin/jobs"), h.get("/__admin/jobs?endpoint=ep-a"))) {
            assertFalse(any.body().contains(SECRET) || any.body().contains(ACCESS_ID), "a credential leaked: " + any);
        }
        assertFalse(v.get("status").has("s3Config"), view::toString);

        assertError(404, h.get("/__admin/jobs/no-such-job"));
    }

    // ---------------------------------------------------------------- settings

    @Test
    void settingsShowTheEffectiveValuesButNoKey() {
        Reply r = h.get("/__admin/settings");
        assertEquals(200, r.status(), r::toString);
        JsonNode s = r.json();
        assertEquals(2, s.get("workersMin").asInt());
        assertEquals(600_000, s.get("executionTimeoutDefaultMs").asLong());
        assertEquals(86_400_000, s.get("ttlDefaultMs").asLong());
        assertEquals("lifetime", s.get("ttlMode").asString());
        assertEquals("TIMED_OUT", s.get("timeoutStatus").asString());
        assertEquals(1_048_576, s.get("streamChunkMaxBytes").asLong());
        assertEquals("FAILED", s.get("oversizedResult").asString());
        assertTrue(s.get("policyMaxEnforced").asBoolean());
        assertEquals("EXTENDED", s.get("healthWorkerKeys").asString());
        assertTrue(s.get("readPost").asBoolean());
        assertEquals("CLOUD", s.get("webhookPayload").asString());
        assertEquals("ENVELOPE", s.get("streamShape").asString());
        assertEquals("HOLD", s.get("runsyncWaitMeaning").asString());
        assertEquals("DOCUMENTED", s.get("rateLimitRule").asString());
        assertEquals("GONE", s.get("purgedJobs").asString());
        assertEquals("APPLY", s.get("statusTtl").asString());
        assertTrue(s.get("strictInput").asBoolean());
        assertTrue(s.get("clockFrozen").asBoolean());
        assertEquals(List.of("ep-a", "ep-b"), List.of(s.get("endpoints").get(0).asString(), s.get("endpoints").get(1).asString()));
        assertEquals("1 configured (not shown)", s.get("apiKeys").asString());
        assertFalse(r.body().contains(MockHarness.KEY), "the API key is shown: " + r);
    }

    @Test
    void aValidPatchChangesTheSettingsAtRunTime() {
        Reply r = h.send("PATCH", "/__admin/settings", "{\"workersMax\": 3, \"coldStartMs\": 2000, \"ttlMode\": \"queue\"}");
        assertEquals(200, r.status(), r::toString);
        assertEquals(3, r.json().get("workersMax").asInt(), "the answer shows the new settings");
        assertEquals("queue", r.json().get("ttlMode").asString());
        assertEquals(3, settings().get("workersMax").asInt(), "and they stay");
        assertEquals(2, settings().get("workersMin").asInt(), "keys not named are left alone");

        // and they take effect: a third job starts a third worker, which cold-starts for 2 s
        run("ep-a", "{\"mock_delay\": 10}");
        run("ep-a", "{\"mock_delay\": 10}");
        run("ep-a", "{\"mock_delay\": 10}");
        JsonNode workers = health("ep-a").get("workers");
        assertEquals(2, workers.get("running").asInt(), workers::toString);
        assertEquals(1, workers.get("initializing").asInt(), workers::toString);
        h.advance(2_000);
        assertEquals(3, health("ep-a").get("workers").get("running").asInt());

        // the readings of DEC-018, DEC-026 and DEC-010 that are not the defaults
        Reply limits = h.send("PATCH", "/__admin/settings", "{\"streamChunkMaxBytes\": 2048, \"oversizedResult\": \"completed-empty\", "
                + "\"policyMaxEnforced\": false, \"healthWorkerKeys\": \"basic\", \"readPost\": false, \"webhookPayload\": \"status\", "
                + "\"streamShape\": \"array\", \"runsyncWaitMeaning\": \"retention\", "
                + "\"rateLimitRule\": \"queue_size\", \"purgedJobs\": \"cancelled\", \"statusTtl\": \"ignore\", "
                + "\"waitMaxMs\": 120000}");
        assertEquals(200, limits.status(), limits::toString);
        assertEquals(2048, settings().get("streamChunkMaxBytes").asLong());
        assertEquals("COMPLETED_EMPTY", settings().get("oversizedResult").asString());
        assertFalse(settings().get("policyMaxEnforced").asBoolean());
        assertFalse(settings().get("readPost").asBoolean());
        assertEquals("STATUS", settings().get("webhookPayload").asString());
        assertEquals("ARRAY", settings().get("streamShape").asString());
        assertEquals("RETENTION", settings().get("runsyncWaitMeaning").asString());
        assertEquals("QUEUE_SIZE", settings().get("rateLimitRule").asString());
        assertEquals("CANCELLED", settings().get("purgedJobs").asString());
        assertEquals("IGNORE", settings().get("statusTtl").asString());
        assertEquals(120_000, settings().get("waitMaxMs").asLong());
        assertEquals(java.util.List.of("idle", "running"),
                health("ep-a").get("workers").properties().stream().map(java.util.Map.Entry::getKey).toList(),
                "healthWorkerKeys takes effect at once");
    }

    @Test
    void aPatchWithAnUnknownKeyOrABadValueIsRefusedWholeWith400() {
        JsonNode before = settings();
        String unknown = assertError(400, h.send("PATCH", "/__admin/settings", "{\"workersMax\": 5, \"noSuchSetting\": 1}"));
        assertTrue(unknown.contains("noSuchSetting"), unknown);
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"port\": 9999}"));
        for (String bad : List.of("{\"workersMin\": \"two\"}", "{\"workersMax\": 1.5}", "{\"coldStartMs\": -1}",
                "{\"strictInput\": \"no\"}", "{\"timeScale\": 0}", "{\"ttlMode\": \"forever\"}", "{\"defects\": [\"no-such-defect\"]}",
                "{\"defects\": \"no-scale-up\"}", "{\"workersMin\": 3, \"workersMax\": 2}", "{\"oversizedResult\": \"dropped\"}",
                "{\"streamChunkMaxBytes\": -1}", "{\"policyMaxEnforced\": \"no\"}", "{\"healthWorkerKeys\": \"all\"}",
                "{\"readPost\": 0}", "{\"webhookPayload\": \"full\"}", "{\"streamShape\": \"list\"}",
                "{\"runsyncWaitMeaning\": \"both\"}", "{\"rateLimitRule\": \"strict\"}",
                "{\"purgedJobs\": \"deleted\"}", "{\"statusTtl\": 5}", "{\"waitMinMs\": 400000}")) {
            assertError(400, h.send("PATCH", "/__admin/settings", bad));
        }
        assertError(400, h.send("PATCH", "/__admin/settings", "not json"));
        assertError(400, h.send("PATCH", "/__admin/settings", "[]"));
        assertEquals(before, settings(), "a refused patch changes nothing, not even its valid keys");
    }

    @Test
    void aPatchSettingAHoldWithoutWaitOutsideTheBoundsOfWaitIsRefusedOneLeavingItAloneMovesIt() {
        JsonNode before = settings();
        String over = assertError(400, h.send("PATCH", "/__admin/settings", "{\"runsyncWaitDefaultMs\": 400000}"));
        assertTrue(over.contains("runsyncWaitDefaultMs") && over.contains("waitMaxMs"), over);
        String crossed = assertError(400, h.send("PATCH", "/__admin/settings", "{\"waitMaxMs\": 60000, \"runsyncWaitDefaultMs\": 90000}"));
        assertTrue(crossed.contains("runsyncWaitDefaultMs (90000") && crossed.contains("waitMaxMs (60000)"), crossed);
        String stream = assertError(400, h.send("PATCH", "/__admin/settings", "{\"streamWaitDefaultMs\": 300001}"));
        assertTrue(stream.contains("streamWaitDefaultMs") && stream.contains("waitMaxMs"), stream);
        assertEquals(before, settings(), "refused patches change nothing");

        // a hold the patch leaves alone follows the bounds it sets, as a worker bound does
        Reply raised = h.send("PATCH", "/__admin/settings", "{\"waitMinMs\": 100000}");
        assertEquals(200, raised.status(), raised::toString);
        assertEquals(100_000, settings().get("runsyncWaitDefaultMs").asLong());
        Reply lowered = h.send("PATCH", "/__admin/settings", "{\"waitMinMs\": 1000, \"waitMaxMs\": 5000}");
        assertEquals(200, lowered.status(), lowered::toString);
        assertEquals(5_000, settings().get("runsyncWaitDefaultMs").asLong());
        assertEquals(5_000, settings().get("streamWaitDefaultMs").asLong());

        Reply both = h.send("PATCH", "/__admin/settings", "{\"waitMaxMs\": 60000, \"runsyncWaitDefaultMs\": 30000, \"streamWaitDefaultMs\": 0}");
        assertEquals(200, both.status(), both::toString);
        assertEquals(30_000, settings().get("runsyncWaitDefaultMs").asLong());
    }

    @Test
    void aPatchValueOfTheWrongJsonKindIsA400NotAnInternalError() {
        JsonNode before = settings();
        // each of these answered 500 'Internal error in the mock server' with a stack trace in the log
        for (String bad : List.of("{\"workersMin\": 100000000000000000000000}", "{\"requestsPerWorker\": -100000000000000000000000}",
                "{\"webhookAllow\": [{\"host\": \"a\"}]}", "{\"webhookDeny\": [[\"10.0.0.0/8\"]]}", "{\"webhookAllow\": [7]}",
                "{\"defects\": [{\"name\": \"no-auth\"}]}", "{\"defects\": [true]}",
                "{\"ttlMode\": {\"value\": \"queue\"}}", "{\"streamShape\": [\"array\"]}",
                "{\"endpointModes\": {\"ep-a\": {\"mode\": \"external\"}}}")) {
            String message = assertError(400, h.send("PATCH", "/__admin/settings", bad));
            String key = bad.substring(2, bad.indexOf('"', 2));
            assertTrue(message.contains(key), "the message names the setting: " + message);
        }
        assertTrue(assertError(400, h.send("PATCH", "/__admin/settings", "{\"ttlMode\": {\"value\": \"queue\"}}"))
                .contains("lifetime"), "an enum's message lists the values it takes");
        assertEquals(before, settings(), "nothing changed");
    }

    @Test
    void aZeroWhereTheLeastIsOneIsRefusedAsOnTheCommandLineNotRaisedToOne() {
        JsonNode before = settings();
        // --webhook-attempts 0 and --worker-lost-after-pings 0 are refused at start; the patch took them as 1
        for (String key : List.of("webhookAttempts", "workerLostAfterPings", "workerPingIntervalMs", "rateWindowMs")) {
            String message = assertError(400, h.send("PATCH", "/__admin/settings", "{\"" + key + "\": 0}"));
            assertTrue(message.contains(key) && (message.contains("at least 1") || message.contains("from 1 to")), message);
        }
        assertEquals(before, settings(), "nothing changed");
        assertEquals(1, h.send("PATCH", "/__admin/settings", "{\"webhookAttempts\": 1}").json().get("webhookAttempts").asInt());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            // key, least, most (empty: none), what every refusal says
            "webhookAttempts, 1, 100, 'from 1 to 100'",
            "workerLostAfterPings, 1, 1000, 'from 1 to 1000'",
            "workerPingIntervalMs, 1, , 'at least 1'",
            "rateWindowMs, 1, , 'at least 1'",
            "workerTakeWaitMs, 0, 89999, 'from 0 to 89999'",
            "lostWorkerRetries, 0, 100, 'from 0 to 100'",
            "requestsPerWorker, 0, 1000000, 'from 0 to 1000000'",
            "workersMax, 0, 10000, 'from 0 to 10000'",
            "coldStartMs, 0, , '>= 0'"})
    void aRefusedValueIsToldTheRangeThatIsReallyAccepted(String key, long least, Long most, String range) {
        // {"webhookAttempts": -1} said 'from 0 to 100' while 0 was refused ('at least 1'); -1 and 0 now say the same
        List<Long> refused = new ArrayList<>(List.of(least - 1, -1L));
        if (most != null) {
            refused.add(most + 1);
        }
        for (long bad : refused) {
            String message = assertError(400, h.send("PATCH", "/__admin/settings", "{\"" + key + "\": " + bad + "}"));
            assertTrue(message.contains(key) && message.contains(range), bad + ": " + message);
        }
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"" + key + "\": \"x\"}"));
        for (Long good : most == null ? List.of(least) : List.of(least, most)) {
            Reply r = h.send("PATCH", "/__admin/settings", "{\"" + key + "\": " + good + "}");
            assertEquals(200, r.status(), key + " " + good + ", within the range the message states: " + r);
            assertEquals(good.longValue(), r.json().get(key).asLong());
        }
    }

    // ---------------------------------------------------------------- clock

    @Test
    void theClockIsReadAdvancedFrozenResumedAndRescaled() {
        JsonNode c0 = h.get("/__admin/clock").json();
        assertTrue(c0.get("frozen").asBoolean());
        long t0 = c0.get("now").asLong();

        String id = run("ep-a", "{\"mock_delay\": 3}");
        JsonNode c1 = h.advance(2_999).json();
        assertEquals(t0 + 2_999, c1.get("now").asLong(), "advance moves a frozen clock exactly");
        assertEquals("IN_PROGRESS", h.get("/v2/ep-a/status/" + id).text("status"));
        JsonNode c2 = h.post("/__admin/clock/advance", "{\"ms\": 1}").json();
        assertEquals(t0 + 3_000, c2.get("now").asLong(), "ms may come in the body too");
        assertEquals("COMPLETED", h.get("/v2/ep-a/status/" + id).text("status"), "timers due in the window fired");

        JsonNode scaled = h.post("/__admin/clock/scale?value=1000", null).json();
        assertEquals(1000.0, scaled.get("scale").asDouble());
        assertTrue(scaled.get("frozen").asBoolean(), "rescaling does not resume the clock");

        JsonNode resumed = h.post("/__admin/clock/resume", null).json();
        assertFalse(resumed.get("frozen").asBoolean());
        MockHarness.awaitCondition(() -> h.get("/__admin/clock").json().get("now").asLong() > t0 + 3_000 + 1_000,
                "the resumed clock runs (1000x: a second of mock time in about a millisecond)");

        JsonNode frozen = h.post("/__admin/clock/freeze", null).json();
        assertTrue(frozen.get("frozen").asBoolean());
        long held = frozen.get("now").asLong();
        assertEquals(held, h.get("/__admin/clock").json().get("now").asLong(), "a frozen clock stands still");

        assertError(400, h.post("/__admin/clock/advance?ms=-5", null));
        assertError(400, h.post("/__admin/clock/advance?ms=soon", null));
        assertError(400, h.post("/__admin/clock/scale?value=-1", null));
        assertError(400, h.post("/__admin/clock/scale", null));
        assertEquals(held, h.get("/__admin/clock").json().get("now").asLong(), "refused moves change nothing");
    }

    @Test
    void theSettingsShowTheClockAsTheClockRoutesLeftItAndAPatchOfTheScaleAlwaysTakes() {
        assertEquals(1.0, settings().get("timeScale").asDouble());
        assertTrue(settings().get("clockFrozen").asBoolean());

        h.post("/__admin/clock/scale?value=10", null);
        assertEquals(10.0, settings().get("timeScale").asDouble(), "GET /__admin/settings showed 1.0 after /clock/scale");
        h.post("/__admin/clock/resume", null);
        assertFalse(settings().get("clockFrozen").asBoolean(), "it showed the clock frozen after /clock/resume");

        // the patch names the scale the settings used to show: it was taken as no change, the clock stayed at 10
        Reply back = h.send("PATCH", "/__admin/settings", "{\"timeScale\": 1}");
        assertEquals(200, back.status(), back::toString);
        assertEquals(1.0, back.json().get("timeScale").asDouble());
        assertEquals(1.0, h.get("/__admin/clock").json().get("scale").asDouble(), "the clock runs at the patched scale");

        h.post("/__admin/clock/freeze", null);
        Reply other = h.send("PATCH", "/__admin/settings", "{\"coldStartMs\": 5}");
        assertTrue(other.json().get("clockFrozen").asBoolean(), "a patch's answer shows the clock as it is: " + other);
        assertTrue(settings().get("clockFrozen").asBoolean());
    }

    @Test
    void aScaleSoFastTheClockWouldLeapPastItsLastMillisecondIsRefused() {
        long now = h.get("/__admin/clock").json().get("now").asLong();
        // 1e300 was taken: the resumed clock read Long.MAX_VALUE at once, a job just submitted answered 404, and
        // setting the scale back left the clock there for good
        assertError(400, h.post("/__admin/clock/scale?value=1e300", null));
        assertError(400, h.post("/__admin/clock/scale?value=1000001", null));
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"timeScale\": 1e300}"));
        JsonNode clock = h.get("/__admin/clock").json();
        assertEquals(1.0, clock.get("scale").asDouble(), "the scale is unchanged: " + clock);
        assertEquals(now, clock.get("now").asLong());
        assertEquals(1_000_000.0, h.post("/__admin/clock/scale?value=1000000", null).json().get("scale").asDouble(), "the most it takes");
    }

    // ---------------------------------------------------------------- faults

    @Test
    void armedFaultsFailTheNextClientRequestsWithA500JsonError() {
        Reply armed = h.post("/__admin/faults?count=2", null);
        assertEquals(200, armed.status(), armed::toString);
        assertEquals(2, armed.json().get("remaining").asInt());
        assertEquals(200, h.get("/__admin/settings").status(), "admin requests are never faulted");

        String first = assertError(500, h.get("/v2/ep-a/health"));
        assertTrue(first.contains("fault"), first);
        assertError(500, h.post("/v2/ep-a/run", "{\"input\": {}}"));
        assertEquals(List.of(), listedIds(""), "the faulted /run queued nothing");
        assertEquals(200, h.get("/v2/ep-a/health").status(), "two faults, then normal service");
        assertEquals(0, h.post("/__admin/faults", "{\"count\": 0}").json().get("remaining").asInt());

        h.post("/__admin/faults?count=5", null);
        h.post("/__admin/faults?count=0", null);
        assertEquals(200, h.get("/v2/ep-a/health").status(), "count=0 disarms");
        assertError(400, h.post("/__admin/faults?count=-1", null));
        assertError(400, h.post("/__admin/faults", null));
    }
}
