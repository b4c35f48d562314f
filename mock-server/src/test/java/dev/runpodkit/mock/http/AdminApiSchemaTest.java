package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every answer of the admin API matches its schema (schemas/json/admin-*.schema.json), and every admin error
 * is the one error shape. The conformance suite validates the same answers through its schema filter.
 */
class AdminApiSchemaTest {

    private final MockHarness h = MockHarness.frozen();

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void settingsAnswersMatchAdminSettings() {
        assertSchema("admin-settings", ok(h.get("/__admin/settings")));
        assertSchema("admin-settings", ok(h.send("PATCH", "/__admin/settings",
                "{\"workersMax\": 3, \"ttlMode\": \"queue\", \"timeoutStatus\": \"failed\", \"defects\": [\"ttl-ignored\"]}")));
        assertSchema("admin-settings", ok(h.send("PATCH", "/__admin/settings", "{\"timeScale\": 0.5, \"strictInput\": false}")));
        assertSchema("admin-settings", ok(h.get("/__admin/settings")));
    }

    @Test
    void clockAnswersMatchAdminClock() {
        assertSchema("admin-clock", ok(h.get("/__admin/clock")));
        assertSchema("admin-clock", ok(h.post("/__admin/clock/advance?ms=1500", null)));
        assertSchema("admin-clock", ok(h.post("/__admin/clock/advance", "{\"ms\": 10}")));
        assertSchema("admin-clock", ok(h.post("/__admin/clock/scale?value=2.5", null)));
        assertSchema("admin-clock", ok(h.post("/__admin/clock/resume", null)));
        assertSchema("admin-clock", ok(h.post("/__admin/clock/freeze", null)));
    }

    @Test
    void jobAnswersMatchAdminJobAndAdminJobs() {
        assertSchema("admin-jobs", ok(h.get("/__admin/jobs")));
        String done = h.run("{\"mock_return\": \"x\"}");
        Reply full = h.post(ep("/run"), "{\"input\": {\"mock_delay\": 5}, \"webhook\": \"https://example.com/hook\", "
                + "\"policy\": {\"executionTimeout\": 5000, \"ttl\": 10000, \"lowPriority\": true}, "
                + "\"s3Config\": {\"accessId\": \"AKIA-SCHEMA\", \"accessSecret\": \"secret-schema\", \"bucketName\": \"b\", "
                + "\"endpointUrl\": \"https://s3.example.com\", \"objectPath\": \"p/\"}}");
        String running = full.text("id");
        String queued = h.run("{\"mock_delay\": 5}");
        String waiting = h.run("{}");
        h.advance(0);
        h.advance(6_000); // done completed, running timed out, queued ran, waiting completed
        String failed = h.run("{\"mock_error\": \"boom\"}");
        h.advance(0);
        h.send("PATCH", "/__admin/settings", "{\"strictInput\": false}");
        String noInput = h.post(ep("/run"), "{\"prompt\": \"no input\"}").text("id");

        Reply list = ok(h.get("/__admin/jobs"));
        assertSchema("admin-jobs", list);
        assertEquals(6, list.json().get("count").asInt(), list::toString);
        for (String id : new String[] {done, running, queued, waiting, failed, noInput}) {
            assertSchema("admin-job", ok(h.get("/__admin/jobs/" + id)));
        }
        assertSchema("admin-jobs", ok(h.get("/__admin/jobs?status=TIMED_OUT")));
        assertError(404, h.get("/__admin/jobs?endpoint=no-such-endpoint"));
    }

    @Test
    void defectAnswersMatchAdminDefects() {
        Reply none = ok(h.get("/__admin/defects"));
        assertSchema("admin-defects", none);
        h.send("PATCH", "/__admin/settings", "{\"defects\": [\"no-scale-up\", \"ttl-default-1h\"]}");
        assertSchema("admin-defects", ok(h.get("/__admin/defects")));
        int active = 0;
        for (JsonNode d : h.get("/__admin/defects").json().get("defects")) {
            active += d.get("active").asBoolean() ? 1 : 0;
        }
        assertEquals(2, active);
    }

    @Test
    void adminErrorsAreTheOneErrorShape() {
        assertError(404, h.get("/__admin/jobs/no-such-job"));
        assertError(400, h.get("/__admin/jobs?status=RUNNING"));
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"noSuchSetting\": 1}"));
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"workersMin\": \"two\"}"));
        assertError(400, h.send("PATCH", "/__admin/settings", "[1]"));
        assertError(400, h.send("PATCH", "/__admin/settings", "{\"workersMin\": "));
        assertError(400, h.post("/__admin/clock/advance?ms=-1", null));
        assertError(400, h.post("/__admin/clock/advance", null));
        assertError(400, h.post("/__admin/clock/scale?value=0", null));
        assertError(400, h.post("/__admin/faults?count=-1", null));
        assertError(405, h.send("DELETE", "/__admin/settings", null));
    }

    private static Reply ok(Reply r) {
        assertEquals(200, r.status(), r::toString);
        return r;
    }
}
