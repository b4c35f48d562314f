package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The mock's own control surface: the clock, the jobs as delivered, settings, defects, reset. */
class AdminApiTest {

    private MockHarness m = MockHarness.frozen();

    @AfterEach
    void stop() {
        m.close();
    }

    private JsonNode clock() {
        Reply r = m.get("/__admin/clock");
        assertEquals(200, r.status());
        return r.json();
    }

    @Test
    void aFrozenClockStandsStillUntilAdvanced() {
        JsonNode c = clock();
        assertTrue(c.get("frozen").asBoolean());
        long now = c.get("now").asLong();
        assertEquals(now, clock().get("now").asLong());

        JsonNode advanced = m.advance(1_500).json();
        assertEquals(now + 1_500, advanced.get("now").asLong());
        assertEquals(now + 1_500, clock().get("now").asLong());
    }

    @Test
    void advanceTakesMsFromTheQueryOrTheBody() {
        long now = clock().get("now").asLong();
        Reply r = m.post("/__admin/clock/advance", "{\"ms\": 250}");
        assertEquals(200, r.status(), r::toString);
        assertEquals(now + 250, r.json().get("now").asLong());
    }

    @Test
    void advanceRunsTheJobsThatFallDueBeforeItAnswers() {
        String id = m.run("{\"mock_delay\": 10}");
        m.advance(10_000);
        assertEquals("COMPLETED", m.status(id).text("status"));
    }

    @Test
    void aBadAdvanceIsRejectedWith400() {
        long now = clock().get("now").asLong();
        assertError(400, m.post("/__admin/clock/advance?ms=-1", null));
        assertError(400, m.post("/__admin/clock/advance?ms=soon", null));
        assertError(400, m.post("/__admin/clock/advance", null));
        assertError(400, m.post("/__admin/clock/advance", "{\"ms\": \"x\"}"));
        assertError(400, m.post("/__admin/clock/advance", "{not json"));
        assertError(400, m.post("/__admin/clock/advance", "{\"ms\": \"10\"}"));
        assertEquals(now, clock().get("now").asLong(), "a refused advance moves nothing");
    }

    @Test
    void advanceTakesAnyJsonNumberWhoseValueIsWholeAndRefusesFractionsAndHugeValuesClearly() {
        long now = clock().get("now").asLong();
        // 1e3 and 1000.0 are JSON numbers, as the README asks for; they were refused as "not an integer"
        assertEquals(now + 1_000, m.post("/__admin/clock/advance", "{\"ms\": 1e3}").json().get("now").asLong());
        assertEquals(now + 2_000, m.post("/__admin/clock/advance", "{\"ms\": 1000.0}").json().get("now").asLong());
        assertEquals(now + 2_500, m.post("/__admin/clock/advance", "{\"ms\": 5E+2}").json().get("now").asLong());
        assertEquals(now + 2_500, m.post("/__admin/clock/advance", "{\"ms\": 0.0}").json().get("now").asLong());

        String fraction = assertError(400, m.post("/__admin/clock/advance", "{\"ms\": 1.5}"));
        assertTrue(fraction.contains("whole number") && fraction.contains("fraction"), fraction);
        String tiny = assertError(400, m.post("/__admin/clock/advance", "{\"ms\": 1e-3}"));
        assertTrue(tiny.contains("fraction"), tiny);
        for (String huge : new String[] {"100000000000000000000", "1e20", "1e400", "9223372036854775808"}) {
            String message = assertError(400, m.post("/__admin/clock/advance", "{\"ms\": " + huge + "}"));
            assertTrue(message.contains("out of range") && message.contains("at most"), huge + ": " + message);
        }
        String hugeQuery = assertError(400, m.post("/__admin/clock/advance?ms=100000000000000000000", null));
        assertTrue(hugeQuery.contains("out of range"), hugeQuery);
        String negative = assertError(400, m.post("/__admin/clock/advance", "{\"ms\": -1e3}"));
        assertTrue(negative.contains(">= 0"), negative);
        assertEquals(now + 2_500, clock().get("now").asLong(), "refused advances move nothing");

        String count = assertError(400, m.post("/__admin/faults", "{\"count\": 1e30}"));
        assertTrue(count.contains("out of range"), count);
        assertEquals(2, m.post("/__admin/faults", "{\"count\": 2.0}").json().get("remaining").asInt());
    }

    @Test
    void anAdvanceTooFarForTheClockIsRefusedAndTheClockKeepsWorking() {
        long now = clock().get("now").asLong();
        String message = assertError(400, m.post("/__admin/clock/advance?ms=" + Long.MAX_VALUE, null));
        assertTrue(message.contains("at most"), message);
        assertEquals(now, clock().get("now").asLong(), "a refused advance moves nothing");
        // time still moves by the millisecond afterwards, so delays and timings stay exact
        String id = m.run("{\"mock_delay\": 2}");
        m.advance(2_000);
        assertEquals("COMPLETED", m.status(id).text("status"));
        assertEquals(2_000, m.status(id).json().get("executionTime").asLong());
    }

    @Test
    void resumeFreezeAndScaleSwitchTheClock() {
        Reply scaled = m.post("/__admin/clock/scale?value=1000", null);
        assertEquals(200, scaled.status(), scaled::toString);
        assertEquals(1000.0, scaled.json().get("scale").asDouble());

        long before = clock().get("now").asLong();
        Reply resumed = m.post("/__admin/clock/resume", null);
        assertFalse(resumed.json().get("frozen").asBoolean());
        MockHarness.awaitCondition(() -> clock().get("now").asLong() > before + 1_000,
                "a resumed clock at scale 1000 moves on its own");

        Reply frozen = m.post("/__admin/clock/freeze", null);
        assertTrue(frozen.json().get("frozen").asBoolean());
        long at = frozen.json().get("now").asLong();
        assertTrue(at >= before, "freeze never moves time back");
        assertEquals(at, clock().get("now").asLong());

        Reply body = m.post("/__admin/clock/scale", "{\"value\": 2.5}");
        assertEquals(2.5, body.json().get("scale").asDouble());
    }

    @Test
    void aBadScaleIsRejectedWith400AndLeavesTheClockWorking() {
        for (String bad : new String[] {"0", "-3", "abc", "NaN", "Infinity", "1e999"}) {
            assertError(400, m.post("/__admin/clock/scale?value=" + bad, null));
        }
        assertError(400, m.post("/__admin/clock/scale", null));
        JsonNode c = clock();
        assertEquals(1.0, c.get("scale").asDouble());
        long now = c.get("now").asLong();
        assertEquals(now + 10, m.advance(10).json().get("now").asLong());
    }

    @Test
    void aBadScaleInTheBodyIsRefusedWithWhatIsWrongWithIt() {
        // these got the generic "Give the time scale as ?value=X", where /clock/advance names the problem
        String string = assertError(400, m.post("/__admin/clock/scale", "{\"value\": \"2\"}"));
        assertTrue(string.contains("'value' in the body must be a JSON number, not string"), string);
        String notJson = assertError(400, m.post("/__admin/clock/scale", "{not json"));
        assertTrue(notJson.contains("not valid JSON"), notJson);
        String missing = assertError(400, m.post("/__admin/clock/scale", "{\"scale\": 2}"));
        assertTrue(missing.contains("?value=X"), "no value at all still says how to give one: " + missing);
        assertEquals(1.0, clock().get("scale").asDouble(), "refused, the scale is unchanged");
    }

    @Test
    void aScaledRunningServerRunsJobsWithoutAnyAdvance() {
        m.close();
        m = MockHarness.start(s -> s.timeScale = 1_000);
        String id = m.run("{\"mock_delay\": 2}"); // 2 s of mock time: 2 ms of wall time
        MockHarness.awaitCondition(() -> "COMPLETED".equals(m.status(id).text("status")), "the job completes on its own");
    }

    @Test
    void unknownTopLevelKeysAreNotDeliveredToTheWorker() {
        Reply run = m.post(ep("/run"), "{\"input\": {\"a\": 1}, \"extraTopLevelKey\": \"zzz-unknown\", \"webhookV2\": \"https://x.example\"}");
        assertEquals(200, run.status());
        Reply admin = m.get("/__admin/jobs/" + run.text("id"));
        assertEquals(200, admin.status());
        JsonNode delivered = admin.json().get("delivered");
        assertEquals(run.text("id"), delivered.get("id").asString());
        assertEquals("{\"a\":1}", delivered.get("input").toString());
        Set<String> keys = new HashSet<>(delivered.propertyNames());
        assertEquals(Set.of("id", "input"), keys);
        assertFalse(admin.body().contains("zzz-unknown"));
        assertFalse(admin.body().contains("webhookV2"));
    }

    @Test
    void theDeliveredJobCarriesWebhookAndPolicy() {
        Reply run = m.post(ep("/run"), "{\"input\": {}, \"webhook\": \"https://hooks.example/x\","
                + " \"policy\": {\"executionTimeout\": 6000, \"ttl\": 20000, \"lowPriority\": true}}");
        JsonNode delivered = m.get("/__admin/jobs/" + run.text("id")).json().get("delivered");
        assertEquals("https://hooks.example/x", delivered.get("webhook").asString());
        assertEquals(6000, delivered.get("policy").get("executionTimeout").asLong());
        assertEquals(20000, delivered.get("policy").get("ttl").asLong());
        assertTrue(delivered.get("policy").get("lowPriority").asBoolean());
    }

    @Test
    void theAdminViewsShowTheWebhookUrlWithoutItsCredentialsAsTheJournalDoes() {
        Reply run = m.post(ep("/run"), "{\"input\": {}, \"webhook\": \"https://user:zzz-pw@hooks.example/x?token=zzz-tok&a=1\"}");
        assertEquals(200, run.status(), run::toString);
        String id = run.text("id");
        JsonNode delivered = m.get("/__admin/jobs/" + id).json().get("delivered");
        assertEquals("https://***@hooks.example/x?token=***&a=1", delivered.get("webhook").asString());
        assertFalse(m.get("/__admin/jobs").body().contains("zzz-"), "the job list shows it redacted too");
    }

    @Test
    void jobsCanBeListedAndFiltered() {
        String done = m.run("{}");
        m.advance(0);
        String running = m.run("{\"mock_delay\": 5}");
        JsonNode all = m.get("/__admin/jobs").json();
        assertEquals(2, all.get("count").asInt());
        JsonNode completed = m.get("/__admin/jobs?status=completed").json();
        assertEquals(1, completed.get("count").asInt());
        assertEquals(done, completed.get("jobs").get(0).get("status").get("id").asString());
        assertEquals(running, m.get("/__admin/jobs?status=IN_PROGRESS&endpoint=test-endpoint").json()
                .get("jobs").get(0).get("status").get("id").asString());
        assertError(404, m.get("/__admin/jobs?endpoint=other"));
        assertError(400, m.get("/__admin/jobs?status=RUNNING_LATE"));
        assertError(404, m.get("/__admin/jobs/no-such-job"));
    }

    @Test
    void resetForgetsEveryJob() {
        String id = m.run("{\"mock_delay\": 100}");
        assertEquals(200, m.post("/__admin/reset", null).status());
        assertError(404, m.status(id));
        assertEquals(0, m.get("/__admin/jobs").json().get("count").asInt());
        JsonNode health = m.get(ep("/health")).json();
        assertEquals(2, health.get("workers").get("idle").asInt());
        String again = m.run("{}");
        m.advance(0);
        assertEquals("COMPLETED", m.status(again).text("status"));
    }

    @Test
    void settingsAreShownWithoutTheApiKeys() {
        m.close();
        m = MockHarness.frozen(s -> s.apiKeys = new java.util.ArrayList<>(java.util.List.of("super-secret-key")));
        Reply r = m.get("/__admin/settings");
        assertEquals(200, r.status());
        assertFalse(r.body().contains("super-secret-key"));
        assertTrue(r.json().get("clockFrozen").asBoolean());
        assertEquals("test-endpoint", r.json().get("endpoints").get(0).asString());
    }

    @Test
    void theDefectListNamesEveryDefectAndWhichAreActive() {
        m.close();
        m = MockHarness.frozen(s -> s.defects.add(Defect.STATUS_RUNNING));
        JsonNode list = m.get("/__admin/defects").json().get("defects");
        assertEquals(Defect.values().length, list.size());
        for (JsonNode d : list) {
            boolean active = d.get("name").asString().equals("status-running");
            assertEquals(active, d.get("active").asBoolean(), d.toString());
            assertFalse(d.get("description").asString().isBlank());
        }
    }

    @Test
    void armedFaultsFailExactlyThatManyClientRequestsWithA500JsonError() {
        Reply armed = m.post("/__admin/faults?count=2", null);
        assertEquals(200, armed.status(), armed::toString);
        assertEquals(2, armed.json().get("remaining").asInt());
        assertError(500, m.get(ep("/health")));
        assertError(500, m.post(ep("/run"), "{\"input\": {}}"));
        assertEquals(200, m.get(ep("/health")).status());
        assertEquals(0, m.get("/__admin/jobs").json().get("count").asInt(), "a faulted /run queued nothing");
        assertError(400, m.post("/__admin/faults?count=-1", null));
        assertError(400, m.post("/__admin/faults", null));
    }

    @Test
    void settingsCanBeChangedAtRunTime() {
        Reply patched = m.send("PATCH", "/__admin/settings", "{\"workersMax\": 4, \"workersMin\": 3, \"ttlMode\": \"queue\"}");
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(4, patched.json().get("workersMax").asInt());
        assertEquals("queue", patched.json().get("ttlMode").asString());
        assertEquals(3, m.get(ep("/health")).json().get("workers").get("idle").asInt(), "the pool grew to the new minimum");
        assertEquals(4, m.get("/__admin/settings").json().get("workersMax").asInt());
    }

    @Test
    void aWorkerBoundThePatchLeavesAloneFollowsTheOneItSets() {
        Reply lowered = m.send("PATCH", "/__admin/settings", "{\"workersMax\": 1}");
        assertEquals(200, lowered.status(), lowered::toString);
        assertEquals(1, lowered.json().get("workersMin").asInt(), "at most one worker: the minimum of 2 follows");
        assertEquals(1, lowered.json().get("workersMax").asInt());
        Reply raised = m.send("PATCH", "/__admin/settings", "{\"workersMin\": 3}");
        assertEquals(3, raised.json().get("workersMax").asInt(), raised::toString);
        assertEquals(3, m.get(ep("/health")).json().get("workers").get("idle").asInt(), "the pool grew to the new minimum");
        String crossed = assertError(400, m.send("PATCH", "/__admin/settings", "{\"workersMin\": 5, \"workersMax\": 1}"));
        assertTrue(crossed.contains("workersMax (1) must be at least workersMin (5)"), crossed);
    }

    @Test
    void aBadSettingsPatchIsRejectedWith400AndChangesNothing() {
        for (String bad : new String[] {"{\"port\": 1}", "{\"workersMax\": -1}", "{\"workersMin\": 5, \"workersMax\": 1}",
                "{\"timeScale\": 0}", "{\"timeScale\": 1e999}", "{\"ttlMode\": \"forever\"}", "{\"generator\": \"yes\"}",
                "[1]", "{not json", "{\"retentionRunMs\": 1.5}"}) {
            assertError(400, m.send("PATCH", "/__admin/settings", bad));
        }
        // an empty patch is told what a settings patch is, not what a job request is
        String empty = assertError(400, m.send("PATCH", "/__admin/settings", ""));
        assertTrue(empty.contains("settings") && !empty.contains("'input'"), empty);
        JsonNode s = m.get("/__admin/settings").json();
        assertEquals(2, s.get("workersMax").asInt());
        assertEquals(1.0, s.get("timeScale").asDouble());
        assertEquals(1.0, clock().get("scale").asDouble());
    }

    @Test
    void aTimeScalePatchRescalesTheClock() {
        Reply patched = m.send("PATCH", "/__admin/settings", "{\"timeScale\": 50}");
        assertEquals(200, patched.status(), patched::toString);
        assertEquals(50.0, clock().get("scale").asDouble());
    }
}
