package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.await;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static dev.runpodkit.mock.testing.MockHarness.stillHeld;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * POST /runsync[?wait=ms]: holds until the job ends or the wait (default 90 s, clamped to 1000..300000 ms of mock
 * time) runs out. Holds are measured on the mock's frozen clock.
 */
class RunsyncTest {

    /**
     * Execution timeout, the worker's one step, and the hold itself (a job that starts at once has no ttl timer:
     * its execution timeout ends it first).
     */
    private static final int TIMERS_PER_RUNSYNC = 3;

    private final MockHarness m = MockHarness.frozen();

    @AfterEach
    void stop() {
        m.close();
    }

    private CompletableFuture<Reply> runsync(String query, String input) {
        return m.sendHeld("POST", ep("/runsync" + query), "{\"input\": " + input + "}", TIMERS_PER_RUNSYNC);
    }

    @Test
    void aQuickJobIsAnsweredWithItsResult() {
        CompletableFuture<Reply> held = runsync("", "{\"mock_return\": {\"v\": 1}, \"mock_delay\": 1}");
        m.advance(1_000);
        Reply r = await(held);
        assertEquals(200, r.status());
        assertSchema("runsync-response", r);
        assertEquals("COMPLETED", r.text("status"));
        assertTrue(r.text("id").startsWith("sync-"), r.text("id"));
        assertEquals("{\"v\":1}", r.json().get("output").toString());
        assertEquals(0, r.json().get("delayTime").asLong());
        assertEquals(1_000, r.json().get("executionTime").asLong());
        assertTrue(r.has("workerId"));
    }

    @Test
    void aFailingJobIsAnswered200WithFailedAndItsError() {
        CompletableFuture<Reply> held = runsync("", "{\"mock_error\": \"nope\", \"mock_delay\": 1}");
        m.advance(1_000);
        Reply r = await(held);
        assertEquals(200, r.status());
        assertSchema("runsync-response", r);
        assertEquals("FAILED", r.text("status"));
        assertTrue(r.json().get("error").isString());
    }

    @Test
    void withoutWaitTheHoldIsNinetySecondsOfMockTime() {
        Reply r = m.releasedAfter(runsync("", "{\"mock_delay\": 600}"), 90_000, "answered before 90 s");
        assertEquals(200, r.status());
        assertEquals("IN_PROGRESS", r.text("status"));
    }

    @Test
    void waitOfOneIsClampedToOneSecondOfMockTime() {
        Reply r = m.releasedAfter(runsync("?wait=1", "{\"mock_delay\": 10}"), 1_000, "wait=1 must hold for the 1000 ms minimum");
        assertEquals(200, r.status());
        assertEquals("IN_PROGRESS", r.text("status"));
    }

    @Test
    void aLongWaitIsClampedToFiveMinutes() {
        Reply r = m.releasedAfter(runsync("?wait=999999999", "{\"mock_delay\": 500}"), 300_000, "answered before 300 s");
        assertEquals("IN_PROGRESS", r.text("status"));
    }

    @Test
    void withWaitMeaningRetentionWaitKeepsTheResultAndTheHoldIsTheDefault() {
        try (MockHarness older = MockHarness.frozen(s -> s.runsyncWaitMeaning = dev.runpodkit.mock.config.Settings.RunsyncWaitMeaning.RETENTION)) {
            CompletableFuture<Reply> held = older.sendHeld("POST", ep("/runsync?wait=5000"), "{\"input\": {\"mock_delay\": 600}}",
                    TIMERS_PER_RUNSYNC);
            older.advance(5_000);
            assertTrue(stillHeld(held), "?wait=5000 no longer bounds the hold");
            older.advance(85_000);
            assertEquals("IN_PROGRESS", await(held).text("status"), "held for the 90 s default");

            CompletableFuture<Reply> quick = older.sendHeld("POST", ep("/runsync?wait=240000"), "{\"input\": {}}",
                    TIMERS_PER_RUNSYNC);
            older.advance(0);
            String id = await(quick).text("id");
            older.advance(100_000);
            assertEquals(200, older.status(id).status(), "kept past the one-minute default, for the ?wait given");
            older.advance(140_000);
            assertEquals(404, older.status(id).status(), "and forgotten once that has passed");
        }
    }

    @Test
    void waitMaxMsSetsTheLongestHold() {
        try (MockHarness shorter = MockHarness.frozen(s -> s.waitMaxMs = 60_000)) {
            CompletableFuture<Reply> held = shorter.sendHeld("POST", ep("/runsync?wait=999999999"), "{\"input\": {\"mock_delay\": 500}}",
                    TIMERS_PER_RUNSYNC);
            assertEquals("IN_PROGRESS", shorter.releasedAfter(held, 60_000, "answered before 60 s").text("status"),
                    "held for 60 s, not the 300 s default maximum");
        }
    }

    @Test
    void aSlowJobIsAnswered200WithItsIdAndANonTerminalStatus() {
        CompletableFuture<Reply> held = runsync("?wait=1000", "{\"mock_delay\": 60}");
        m.advance(1_000);
        Reply r = await(held);
        assertEquals(200, r.status(), "outliving the wait is not an error");
        assertSchema("runsync-response", r);
        assertEquals("IN_PROGRESS", r.text("status"));
        assertTrue(r.text("id").startsWith("sync-"));
        assertFalse(r.has("output"));

        m.advance(59_000);
        Reply later = m.status(r.text("id"));
        assertEquals("COMPLETED", later.text("status"), "the id can be polled with /status");
    }

    @Test
    void aQueuedJobIsAnsweredInQueueWhenTheWaitRunsOut() {
        try (MockHarness one = MockHarness.frozen(s -> s.workersMin = s.workersMax = 1)) {
            one.run("{\"mock_delay\": 100}");
            CompletableFuture<Reply> held = one.sendHeld("POST", ep("/runsync?wait=1000"), "{\"input\": {}}", 2);
            one.advance(1_000);
            Reply r = await(held);
            assertEquals(200, r.status());
            assertSchema("runsync-response", r);
            assertEquals("IN_QUEUE", r.text("status"));
        }
    }

    /** DEC-025: an integer is clamped, never refused, also one too long for 64 bits (it was a 400 "not an integer"). */
    @Test
    void aWaitBeyondSixtyFourBitsIsClampedLikeAnyLongWait() {
        Reply huge = m.releasedAfter(runsync("?wait=99999999999999999999", "{\"mock_delay\": 500}"), 300_000,
                "answered before the 300 s maximum");
        assertEquals("IN_PROGRESS", huge.text("status"));

        Reply negative = m.releasedAfter(runsync("?wait=-99999999999999999999", "{\"mock_delay\": 500}"), 1_000,
                "answered before the 1000 ms minimum");
        assertEquals("IN_PROGRESS", negative.text("status"));
    }

    @Test
    void aWaitThatIsNotANumberIsRejectedWith400() {
        String message = assertError(400, m.post(ep("/runsync?wait=soon"), "{\"input\": {}}"));
        assertTrue(message.contains("wait"), message);
    }

    @Test
    void aBadBodyIsRejectedWith400LikeRun() {
        String message = assertError(400, m.post(ep("/runsync"), "{\"nope\": 1}"));
        assertTrue(message.contains("input"), message);
    }

    @Test
    void manyHeldRequestsDoNotTieUpServerThreads() {
        int n = 300; // more than Jetty's thread pool: holds park futures, not threads
        long before = m.mock.clock().timersScheduled();
        List<CompletableFuture<Reply>> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(m.sendAsync("POST", ep("/runsync?wait=5000"), "{\"input\": {\"mock_delay\": 3, \"i\": " + i + "}}"));
        }
        // every job has a hold; a queued one a ttl timer, and each of the two that run an execution timeout and a
        // worker step instead (the timeout ends it before its ttl could)
        MockHarness.awaitCondition(() -> m.mock.clock().timersScheduled() >= before + 2 * (n - 2) + 3 * 2,
                "all " + n + " runsync requests parked");
        assertEquals(200, m.get(ep("/health")).status(), "the server still answers while they are held");
        m.advance(5_000);
        List<Reply> replies = held.stream().map(MockHarness::await).toList();
        assertTrue(replies.stream().allMatch(r -> r.status() == 200), "every hold ended with 200");
        // 2 workers, 3 s per job: two jobs finished by the end of the 5 s waits, the next two were running
        assertEquals(2, replies.stream().filter(r -> "COMPLETED".equals(r.text("status"))).count());
        assertEquals(2, replies.stream().filter(r -> "IN_PROGRESS".equals(r.text("status"))).count());
        assertEquals(n - 4, replies.stream().filter(r -> "IN_QUEUE".equals(r.text("status"))).count());
    }
}
