package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** GET|POST /status/{id} and /status-sync/{id}: the job as it is, in the job-status shape. */
class StatusTest {

    private final MockHarness m = MockHarness.frozen(s -> s.workersMin = s.workersMax = 1);

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void getAndPostStatusAnswerTheSame() {
        String id = m.run("{\"mock_return\": 5}");
        m.advance(0);
        Reply get = m.get(ep("/status/" + id));
        Reply post = m.post(ep("/status/" + id), null);
        Reply postWithBody = m.post(ep("/status/" + id), "{}");
        assertEquals(200, get.status(), get::toString);
        assertEquals(get.json(), post.json());
        assertEquals(get.json(), postWithBody.json());
        assertSchema("job-status", get);
    }

    /** DEC-025/DEC-030: an integer ?ttl too long for 64 bits is accepted (it was a 400 "not an integer") and never ends the job early. */
    @Test
    void aTtlBeyondSixtyFourBitsIsAcceptedAndKeepsTheJob() {
        String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 172800}, \"policy\": {\"executionTimeout\": 604800000}}").text("id");
        m.advance(0);
        Reply r = m.get(ep("/status/" + id + "?ttl=99999999999999999999"));
        assertEquals(200, r.status(), r::toString);
        assertEquals("IN_PROGRESS", r.text("status"));
        m.advance(25L * 3_600_000); // past the default ttl of 24 h that the job had
        assertEquals("IN_PROGRESS", m.status(id).text("status"));
    }

    @Test
    void withReadPostOffTheReadRoutesRefusePostWith405() {
        try (MockHarness getOnly = MockHarness.frozen(s -> s.readPost = false)) {
            String id = getOnly.run("{}");
            getOnly.advance(0);
            assertEquals(200, getOnly.get(ep("/status/" + id)).status());
            assertEquals(200, getOnly.get(ep("/stream/" + id)).status());
            for (String route : java.util.List.of("/status/", "/status-sync/", "/stream/")) {
                Reply post = getOnly.post(ep(route + id), null);
                String message = assertError(405, post);
                assertTrue(message.contains("readPost"), message);
                assertEquals("GET, HEAD", post.header("Allow"), route);
            }
        }
    }

    @Test
    void theStatusFollowsTheJobFromQueueToCompletion() {
        String first = m.run("{\"mock_delay\": 2}");
        String id = m.run("{\"mock_delay\": 3, \"mock_return\": [1, 2]}");

        Reply queued = m.status(id);
        assertSchema("job-status", queued);
        assertEquals("IN_QUEUE", queued.text("status"));
        assertEquals(id, queued.text("id"));
        assertFalse(queued.has("delayTime"));
        assertFalse(queued.has("workerId"));

        m.advance(2_000);
        Reply running = m.status(id);
        assertSchema("job-status", running);
        assertEquals("IN_PROGRESS", running.text("status"));
        assertEquals(2_000, running.json().get("delayTime").asLong());
        assertTrue(running.text("workerId").matches("[a-z0-9]{14}"));
        assertFalse(running.has("executionTime"));
        assertFalse(running.has("output"));

        m.advance(3_000);
        Reply done = m.status(id);
        assertSchema("job-status", done);
        assertEquals("COMPLETED", done.text("status"));
        assertEquals(2_000, done.json().get("delayTime").asLong());
        assertEquals(3_000, done.json().get("executionTime").asLong());
        assertEquals("[1,2]", done.json().get("output").toString());
        assertFalse(done.has("error"));
        assertEquals("COMPLETED", m.status(first).text("status"));
    }

    @Test
    void aProgressUpdateShowsAsTheOutputOfAnInProgressJob() {
        String id = m.run("{\"mock_progress\": {\"updates\": [\"step 1\"], \"wait_time\": 1}, \"mock_delay\": 5}");
        m.advance(0);
        Reply r = m.status(id);
        assertSchema("job-status", r);
        assertEquals("IN_PROGRESS", r.text("status"));
        assertEquals("step 1", r.text("output"));
    }

    @Test
    void aFailedJobAnswers200WithAnErrorStringAndNoOutput() {
        String id = m.run("{\"mock_error\": \"kaboom\"}");
        m.advance(0);
        Reply r = m.status(id);
        assertEquals(200, r.status(), "a job-level failure is not an HTTP failure");
        assertSchema("job-status", r);
        assertEquals("FAILED", r.text("status"));
        assertTrue(r.json().get("error").isString());
        assertFalse(r.has("output"));
        assertTrue(r.text("error").contains("\"error_message\": \"kaboom\"") || r.text("error").contains("\"error_message\":\"kaboom\""),
                r.text("error"));
    }

    @Test
    void anUnknownJobAnswers404WithAJsonError() {
        String message = assertError(404, m.status("no-such-job-u1"));
        assertTrue(message.contains("no-such-job-u1"), message);
        assertError(404, m.post(ep("/status/no-such-job-u1"), null));
    }

    @Test
    void aJobPastItsRetentionAnswers404() {
        String id = m.run("{}");
        m.advance(0);
        assertEquals(200, m.status(id).status());
        m.advance(30 * 60_000);
        assertError(404, m.status(id));
    }

    @Test
    void statusSyncHoldsUntilTheJobEnds() {
        String id = m.run("{\"mock_delay\": 3}");
        CompletableFuture<Reply> held = m.sendHeld("GET", ep("/status-sync/" + id + "?wait=10000"), null, 1);
        m.advance(2_999);
        assertTrue(MockHarness.stillHeld(held));
        m.advance(1);
        Reply r = MockHarness.await(held);
        assertEquals(200, r.status());
        assertSchema("job-status", r);
        assertEquals("COMPLETED", r.text("status"));
    }

    @Test
    void statusSyncAnswersWithTheCurrentStatusWhenTheWaitRunsOut() {
        String id = m.run("{\"mock_delay\": 30}");
        CompletableFuture<Reply> held = m.sendHeld("POST", ep("/status-sync/" + id + "?wait=2000"), null, 1);
        m.advance(2_000);
        Reply r = MockHarness.await(held);
        assertEquals(200, r.status());
        assertSchema("job-status", r);
        assertEquals("IN_PROGRESS", r.text("status"));
        assertNull(r.json().get("executionTime"));
    }

    @Test
    void statusSyncOfAnUnknownJobAnswers404AtOnce() {
        assertError(404, m.get(ep("/status-sync/nope?wait=60000")));
    }

    @Test
    void ttlOnStatusGivesTheJobThatMuchLongerToLive() {
        String id = m.run("{}");
        m.advance(0);
        Reply r = m.get(ep("/status/" + id + "?ttl=6000"));
        assertEquals(200, r.status());
        assertEquals("COMPLETED", r.text("status"));
        m.advance(5_999);
        assertEquals(200, m.status(id).status());
        m.advance(1);
        assertError(404, m.status(id));
    }

    @Test
    void anEmptyTtlIsNoTtlAsAnEmptyWaitIsNoWait() {
        String id = m.run("{}");
        m.advance(0);
        Reply r = m.get(ep("/status/" + id + "?ttl="));
        assertEquals(200, r.status(), r::toString);
        assertEquals("COMPLETED", r.text("status"));
        m.advance(60_000);
        assertEquals(200, m.status(id).status(), "the ttl was left as it was");
    }

    @Test
    void aHeadWithTtlChangesNothing() {
        String id = m.run("{}");
        m.advance(0);
        assertEquals(200, m.send("HEAD", ep("/status/" + id + "?ttl=0"), null).status());
        m.advance(1);
        assertEquals(200, m.status(id).status(), "a HEAD is a safe method: the job's ttl is as it was");
    }

    @Test
    void withStatusTtlIgnoreTheTtlParameterIsAcceptedAndChangesNothing() {
        try (MockHarness ignoring = MockHarness.frozen(s -> s.statusTtl = dev.runpodkit.mock.config.Settings.StatusTtl.IGNORE)) {
            String id = ignoring.run("{}");
            ignoring.advance(0);
            assertEquals(200, ignoring.get(ep("/status/" + id + "?ttl=6000")).status());
            ignoring.advance(6_000);
            assertEquals(200, ignoring.status(id).status(), "still there: the ttl was not applied");
            assertError(400, ignoring.get(ep("/status/" + id + "?ttl=soon")));
        }
    }

    @Test
    void aBadTtlOnStatusIsRejectedWith400() {
        String id = m.run("{}");
        assertTrue(assertError(400, m.get(ep("/status/" + id + "?ttl=soon"))).contains("ttl"));
        assertTrue(assertError(400, m.get(ep("/status/" + id + "?ttl=-5"))).contains("ttl"));
        assertEquals(200, m.status(id).status(), "a refused ttl changes nothing");
    }
}
