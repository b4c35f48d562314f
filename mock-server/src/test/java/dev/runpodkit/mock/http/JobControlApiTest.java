package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /cancel, /retry, /purge-queue and /health over HTTP. */
class JobControlApiTest {

    private final MockHarness m = MockHarness.frozen(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void cancelAnswersTheJobIdAndCancelled() {
        String id = m.run("{\"mock_delay\": 10}");
        for (String body : new String[] {null, "{}"}) {
            Reply r = m.post(ep("/cancel/" + id), body);
            assertEquals(200, r.status(), r::toString);
            assertSchema("cancel-response", r);
            assertEquals(id, r.text("id"));
            assertEquals("CANCELLED", r.text("status"));
        }
        assertEquals("CANCELLED", m.status(id).text("status"));
    }

    @Test
    void cancellingAFinishedJobEchoesItsStatus() {
        String id = m.run("{}");
        m.advance(0);
        Reply r = m.post(ep("/cancel/" + id), null);
        assertEquals(200, r.status());
        assertSchema("cancel-response", r);
        assertEquals("COMPLETED", r.text("status"));
    }

    @Test
    void retryRequeuesAFailedJobUnderItsId() {
        String id = m.run("{\"mock_error\": \"first\"}");
        m.advance(0);
        assertEquals("FAILED", m.status(id).text("status"));
        m.run("{\"mock_delay\": 10}"); // occupy the only worker

        Reply r = m.post(ep("/retry/" + id), null);
        assertEquals(200, r.status(), r::toString);
        assertSchema("retry-response", r);
        assertEquals(id, r.text("id"));
        assertEquals("IN_QUEUE", r.text("status"));

        Reply s = m.status(id);
        assertEquals("IN_QUEUE", s.text("status"));
        assertFalse(s.has("error"), "the previous error is cleared");
        assertEquals(1, s.json().get("retries").asInt());
        assertEquals(1, m.get(ep("/health")).json().get("jobs").get("retried").asInt());
    }

    @Test
    void retryingAJobThatDidNotFailIs400AndUnknownIs404() {
        String id = m.run("{}");
        m.advance(0);
        String message = assertError(400, m.post(ep("/retry/" + id), null));
        assertTrue(message.contains("COMPLETED"), message);
        assertError(404, m.post(ep("/retry/unknown-job"), null));
    }

    @Test
    void withPurgedJobsCancelledAPurgedJobIsKeptAsCancelled() {
        try (MockHarness kept = MockHarness.frozen(s -> {
            s.workersMin = s.workersMax = 1;
            s.purgedJobs = dev.runpodkit.mock.config.Settings.PurgedJobs.CANCELLED;
        })) {
            String running = kept.run("{\"mock_delay\": 10}");
            String queued = kept.run("{}");
            assertEquals(1, kept.post(ep("/purge-queue"), null).json().get("removed").asInt());
            Reply r = kept.status(queued);
            assertEquals(200, r.status(), r::toString);
            assertEquals("CANCELLED", r.text("status"));
            assertEquals("IN_PROGRESS", kept.status(running).text("status"), "a running job is not the queue's");
            assertEquals(0, kept.get(ep("/health")).json().get("jobs").get("inQueue").asInt());
        }
    }

    @Test
    void purgeQueueRemovesQueuedJobsAndReportsHowMany() {
        String running = m.run("{\"mock_delay\": 10}");
        String q1 = m.run("{}");
        String q2 = m.run("{}");
        for (String body : new String[] {null, "{}"}) {
            Reply r = m.post(ep("/purge-queue"), body);
            assertEquals(200, r.status(), r::toString);
            assertSchema("purge-queue-response", r);
            assertEquals("completed", r.text("status"));
            assertEquals(body == null ? 2 : 0, r.json().get("removed").asInt());
        }
        assertEquals("IN_PROGRESS", m.status(running).text("status"));
        assertError(404, m.status(q1)); // purged jobs are gone (DEC-028)
        assertError(404, m.status(q2));
    }

    @Test
    void healthCountsJobsAndWorkers() {
        m.run("{\"mock_delay\": 5}");
        m.run("{}");
        Reply r = m.get(ep("/health"));
        assertEquals(200, r.status());
        assertSchema("health-response", r);
        JsonNode jobs = r.json().get("jobs");
        JsonNode workers = r.json().get("workers");
        assertEquals(1, jobs.get("inProgress").asInt());
        assertEquals(1, jobs.get("inQueue").asInt());
        assertEquals(1, workers.get("running").asInt());
        assertEquals(0, workers.get("idle").asInt());

        m.advance(5_000);
        JsonNode after = m.get(ep("/health")).json();
        assertEquals(2, after.get("jobs").get("completed").asInt());
        assertEquals(0, after.get("jobs").get("failed").asInt());
        assertEquals(1, after.get("workers").get("idle").asInt());
        assertEquals(java.util.List.of("idle", "initializing", "ready", "running", "throttled"),
                fieldNames(after.get("workers")), "the extended keys by default (DEC-010)");
    }

    @Test
    void healthWorkerKeysBasicGivesOnlyIdleAndRunning() {
        try (MockHarness basic = MockHarness.frozen(s -> s.healthWorkerKeys = dev.runpodkit.mock.config.Settings.HealthWorkerKeys.BASIC)) {
            basic.run("{\"mock_delay\": 5}");
            Reply r = basic.get(ep("/health"));
            assertSchema("health-response", r);
            assertEquals(java.util.List.of("idle", "running"), fieldNames(r.json().get("workers")));
            assertEquals(1, r.json().get("workers").get("running").asInt());
        }
    }

    private static java.util.List<String> fieldNames(JsonNode object) {
        java.util.List<String> names = new java.util.ArrayList<>();
        object.properties().forEach(e -> names.add(e.getKey()));
        return names;
    }
}
