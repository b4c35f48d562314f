package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DEC-003's older reading (setting ttlMode queue): ttl bounds the time in the queue, and a job still queued when it
 * runs out "expired before it was picked up by a worker" (docs:states): it ends TIMED_OUT, it is not deleted.
 */
class TtlQueueModeTest {

    private final MockHarness m = MockHarness.frozen(s -> {
        s.workersMin = s.workersMax = 1;
        s.ttlMode = Settings.TtlMode.QUEUE;
    });

    @AfterEach
    void stop() {
        m.close();
    }

    @Test
    void aJobStillQueuedWhenItsTtlEndsIsTimedOutNotDeleted() {
        m.run("{\"mock_delay\": 60}"); // holds the only worker
        Reply submitted = m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 10000}}");
        String id = submitted.text("id");
        m.advance(9_999);
        assertEquals("IN_QUEUE", m.status(id).text("status"));

        m.advance(1);
        Reply expired = m.status(id);
        assertEquals(200, expired.status(), expired::toString);
        assertSchema("job-status", expired);
        assertEquals("TIMED_OUT", expired.text("status"));
        assertTrue(expired.text("error").contains("ttl"), expired::toString);
        assertFalse(expired.has("workerId"), "no worker ever took it");
        assertFalse(expired.has("output"));

        Reply health = m.get(ep("/health"));
        assertEquals(0, health.json().get("jobs").get("inQueue").asInt(), health::toString);
        assertEquals(1, health.json().get("jobs").get("failed").asInt(), "failed counts TIMED_OUT (DEC-019)");

        // it stays for the /run retention like any finished job, and can be retried (TIMED_OUT)
        m.advance(60_000);
        assertEquals("TIMED_OUT", m.status(id).text("status"));
        Reply retried = m.post(ep("/retry/" + id), null);
        assertEquals(200, retried.status(), retried::toString);
        assertEquals("IN_QUEUE", retried.text("status"));
    }

    @Test
    void aRetriedJobWaitsUnderAFreshTtl() {
        m.run("{\"mock_delay\": 600}"); // holds the only worker for the whole test
        String id = m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 10000}}").text("id");
        m.advance(10_000);
        assertEquals("TIMED_OUT", m.status(id).text("status"));

        m.advance(5_000);
        assertEquals("IN_QUEUE", m.post(ep("/retry/" + id), null).text("status"));
        m.advance(9_999);
        assertEquals("IN_QUEUE", m.status(id).text("status"), "the ttl counts from the retry, not the submission");
        m.advance(1);
        Reply again = m.status(id);
        assertEquals("TIMED_OUT", again.text("status"), "it does not wait for ever: " + again);
        assertEquals(0, m.get(ep("/health")).json().get("jobs").get("inQueue").asInt());
    }

    @Test
    void aJobRetriedAfterItRanIsBoundByItsTtlInTheQueueAgain() {
        String id = m.post(ep("/run"), "{\"input\": {\"mock_error\": \"boom\"}, \"policy\": {\"ttl\": 10000}}").text("id");
        m.advance(0); // the mock worker's run ends
        assertEquals("FAILED", m.status(id).text("status"));
        m.run("{\"mock_delay\": 600}"); // now the only worker is busy
        m.advance(30_000); // longer than the ttl: it stopped counting when the job started
        assertEquals("IN_QUEUE", m.post(ep("/retry/" + id), null).text("status"));
        m.advance(10_000);
        assertEquals("TIMED_OUT", m.status(id).text("status"));
    }

    @Test
    void aJobThatStartedInTimeIsNoLongerBoundByItsTtl() {
        String id = m.post(ep("/run"), "{\"input\": {\"mock_delay\": 30}, \"policy\": {\"ttl\": 10000}}").text("id");
        m.advance(20_000);
        assertEquals("IN_PROGRESS", m.status(id).text("status"));
        m.advance(10_000);
        assertEquals("COMPLETED", m.status(id).text("status"));
    }
}
