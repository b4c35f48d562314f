package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.NeedsWebhookReceiver;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.support.WebhookReceiver;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import dev.runpodkit.schemas.Schemas;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Webhooks: "A POST request will be sent to your URL when the job is complete ... should respond with a 200
 * status ... If the call is not successful, the request waits 10 seconds and sends the call again up to two
 * more times" (seeds; runpod-api.md §5; DEC-012, DEC-013, DEC-014, DEC-031). Each check runs its own
 * {@link WebhookReceiver} on loopback.
 */
@ConformanceCheck
@NeedsMockWorker
@NeedsWebhookReceiver
@DisplayName("Webhooks")
class WebhookChecks {

    /** The documented retry delay, and how far a measured gap may stray from it (target time). */
    private static final long RETRY_DELAY_MS = 10_000;
    private static final long GAP_MIN_MS = 7_000;
    private static final long GAP_MAX_MS = 25_000;

    private static String body(String input, String webhook) {
        return "{\"input\": " + input + ", \"webhook\": \"" + webhook + "\"}";
    }

    /** Waits for the next webhook POST, up to {@code targetMs} of target time. */
    private static WebhookReceiver.Received next(Target target, WebhookReceiver receiver, long targetMs) {
        return receiver.takeRequest(target.wallMs(targetMs) + 2_000);
    }

    /**
     * Lets {@code targetMs} pass and asserts no further webhook POST arrived. On the mock the clock jumps, so
     * first wait until the mock has seen the answers to the {@code attempts} attempts made so far: a jump
     * while an answer is still in flight would time that attempt out artificially.
     */
    private static void assertNoMoreAttempts(Target target, WebhookReceiver receiver, String jobId, int attempts,
                                             long targetMs, String why) {
        if (target.hasAdmin()) {
            dev.runpodkit.conformance.support.Poll.until(target, 10_000, attempts + " settled attempts in the journal",
                    () -> RestAssured.given().get(target.adminUrl("/webhooks?jobId=" + jobId)).jsonPath().getInt("count"),
                    n -> n >= attempts);
        }
        // in steps shorter than attempt timeout + retry delay: one big jump of the mock's clock would also
        // fire a new attempt's own timeout, cancelling it before it reaches the receiver
        long step = RETRY_DELAY_MS + 2_000;
        for (long passed = 0; passed < targetMs; passed += step) {
            TargetTime.pass(target, Math.min(step, targetMs - passed));
            // generous in wall time: a late extra attempt on a loaded machine must still be seen
            WebhookReceiver.Received extra = receiver.takeRequest(Math.max(2_000, target.wallMs(2_000)));
            assertNull(extra, why + "; got another POST: " + (extra == null ? "" : extra.body()));
        }
    }

    private static long gapMs(Target target, WebhookReceiver.Received a, WebhookReceiver.Received b) {
        return Math.round((b.arrivedNanos() - a.arrivedNanos()) / 1_000_000.0 * target.timeScale());
    }

    @Test
    @Spend(Spend.Tier.NONE)
    @Requirement("WEBHOOK-001")
    @CaughtBy({"webhook-url-unchecked", "error-not-naming-field"})
    @DisplayName("a webhook that is not an absolute http(s) URL with a port from 1 to 65535 is rejected with 400 naming webhook")
    void webhookMustBeAnHttpUrl(Target target) {
        for (String bad : List.of("not a url", "ftp://example.com/hook", "/relative/hook", "http://", "mailto:ops@example.com",
                "http://127.0.0.1:99999/hook", "http://127.0.0.1:0/hook")) {
            for (String op : List.of("run", "runsync")) {
                Response r = target.given().body(body("{\"mock_return\": 1}", bad)).post(target.url(op));
                assertEquals(400, r.statusCode(), "webhook '" + bad + "' on /" + op + " answered " + r.statusCode() + ": " + r.asString());
                String error = String.valueOf(r.jsonPath().getString("error")).toLowerCase(Locale.ROOT);
                assertTrue(error.contains("webhook"), "the 400 should name 'webhook': " + error);
            }
        }
    }

    @Test
    @Requirement("WEBHOOK-002")
    @CaughtBy("webhook-wrong-content-type")
    @DisplayName("a completed job's webhook is a JSON POST, for /run and /runsync jobs alike")
    void completedJobsAreWebhooked(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String id = Jobs.run(target, body("{\"mock_return\": \"run-done\"}", receiver.url("/run-hook")));
            WebhookReceiver.Received got = next(target, receiver, 120_000);
            assertNotNull(got, "no webhook POST for /run job " + id);
            assertEquals("POST", got.method());
            String type = String.valueOf(got.header("Content-Type")).toLowerCase(Locale.ROOT);
            assertTrue(type.startsWith("application/json"), "webhook Content-Type is " + type);
            assertEquals(id, JsonPath.from(got.body()).getString("id"), got.body());
            assertEquals("/run-hook", got.path());

            Response sync = target.given().body(body("{\"mock_return\": \"sync-done\"}", receiver.url("/sync-hook"))).post(target.url("runsync"));
            assertEquals(200, sync.statusCode(), sync.asString());
            WebhookReceiver.Received syncGot = next(target, receiver, 120_000);
            assertNotNull(syncGot, "no webhook POST for a /runsync job");
            assertEquals(sync.jsonPath().getString("id"), JsonPath.from(syncGot.body()).getString("id"), syncGot.body());
            assertEquals("COMPLETED", JsonPath.from(syncGot.body()).getString("status"), syncGot.body());
        }
    }

    @Test
    @Requirement("WEBHOOK-003")
    @CaughtBy("webhook-not-on-failure")
    @DisplayName("a FAILED job is webhooked with its status and error")
    void failedJobsAreWebhooked(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String id = Jobs.run(target, body("{\"mock_error\": true}", receiver.url("/failed")));
            WebhookReceiver.Received got = next(target, receiver, 120_000);
            assertNotNull(got, "no webhook POST for failed job " + id);
            JsonPath payload = JsonPath.from(got.body());
            assertEquals("FAILED", payload.getString("status"), got.body());
            Object error = payload.get("error");
            assertTrue(error instanceof String && !((String) error).isEmpty(), "FAILED webhook without an error string: " + got.body());
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("WEBHOOK-004")
    @CaughtBy("webhook-not-on-failure")
    @DisplayName("a TIMED_OUT job is webhooked with status TIMED_OUT")
    void timedOutJobsAreWebhooked(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_delay\": 30, \"mock_return\": \"late\"}, \"webhook\": \""
                    + receiver.url("/timeout") + "\", \"policy\": {\"executionTimeout\": 5000}}");
            WebhookReceiver.Received got = next(target, receiver, 120_000);
            assertNotNull(got, "no webhook POST for job " + id + ", which should have timed out");
            assertEquals("TIMED_OUT", JsonPath.from(got.body()).getString("status"), got.body());
        }
    }

    @Test
    @Requirement("WEBHOOK-005")
    @CaughtBy("webhook-on-cancelled")
    @DisplayName("a CANCELLED job is not webhooked")
    void cancelledJobsAreNotWebhooked(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String id = Jobs.run(target, body("{\"mock_delay\": 60, \"mock_return\": \"never\"}", receiver.url("/cancelled")));
            Response cancel = target.given().post(target.url("cancel/" + id));
            assertEquals(200, cancel.statusCode(), cancel.asString());
            assertEquals("CANCELLED", Jobs.awaitTerminal(target, id, 60_000).jsonPath().getString("status"));
            WebhookReceiver.Received got = next(target, receiver, 5_000);
            assertNull(got, "a CANCELLED job was webhooked: " + (got == null ? "" : got.body()));
        }
    }

    @Test
    @Requirement({"WEBHOOK-006", "WEBHOOK-002"})
    @CaughtBy("webhook-status-only")
    @DisplayName("the webhook body is the job's /status payload plus its input and webhook")
    void payloadIsStatusPlusInputAndWebhook(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String marker = UUID.randomUUID().toString();
            String input = "{\"mock_return\": {\"answer\": \"" + marker + "\"}, \"note\": \"kept\"}";
            String hook = receiver.url("/payload?run=" + marker.substring(0, 8));
            String id = Jobs.run(target, body(input, hook));
            WebhookReceiver.Received got = next(target, receiver, 120_000);
            assertNotNull(got, "no webhook POST for job " + id);
            List<String> violations = Schemas.load().validate("webhook-payload", got.body());
            assertTrue(violations.isEmpty(), "the webhook body breaks the webhook-payload schema: " + violations + "\n" + got.body());
            JsonPath payload = JsonPath.from(got.body());
            Response status = Jobs.status(target, id);
            for (String field : List.of("id", "status", "delayTime", "executionTime", "workerId")) {
                assertEquals(String.valueOf(status.jsonPath().getString(field)), String.valueOf(payload.getString(field)),
                        "webhook '" + field + "' differs from /status: " + got.body() + " vs " + status.asString());
            }
            assertEquals(marker, payload.getString("output.answer"), got.body());
            assertEquals(marker, payload.getString("input.mock_return.answer"), "the webhook body lacks the job's input: " + got.body());
            assertEquals("kept", payload.getString("input.note"), got.body());
            assertEquals(hook, payload.getString("webhook"), "the webhook body lacks the job's webhook URL: " + got.body());
        }
    }

    @Test
    @Requirement("WEBHOOK-007")
    @CaughtBy("webhook-leaks-s3config")
    @DisplayName("the webhook body never contains s3Config")
    void payloadHasNoS3Config(Target target) {
        String secret = "hook-secret-" + UUID.randomUUID();
        target.addSecret(secret);
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"s3\"}, \"webhook\": \"" + receiver.url("/s3")
                    + "\", \"s3Config\": {\"accessId\": \"hook-access\", \"accessSecret\": \"" + secret
                    + "\", \"bucketName\": \"b\", \"endpointUrl\": \"http://127.0.0.1:9\"}}");
            WebhookReceiver.Received got = next(target, receiver, 120_000);
            assertNotNull(got, "no webhook POST for job " + id);
            assertFalse(got.body().contains("s3Config"), "the webhook body carries s3Config");
            assertFalse(got.body().contains(secret), "the webhook body carries the s3Config secret");
        }
    }

    @Test
    @Requirement("WEBHOOK-008")
    @CaughtBy("webhook-retries-after-success")
    @DisplayName("a 200 answer ends delivery: no further attempt")
    void aSuccessfulAttemptIsTheLast(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            String id = Jobs.run(target, body("{\"mock_return\": \"once\"}", receiver.url("/once")));
            assertNotNull(next(target, receiver, 120_000), "no webhook POST");
            assertNoMoreAttempts(target, receiver, id, 1, 3 * RETRY_DELAY_MS, "a receiver that answered 200 must not be called again");
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("WEBHOOK-009")
    @CaughtBy({"webhook-no-retry", "webhook-no-delay"})
    @DisplayName("500, 500, 200: exactly three attempts, about 10 s apart, then none")
    void failedAttemptsAreRepeatedTenSecondsApart(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            receiver.enqueue(500, 500, 200);
            String id = Jobs.run(target, body("{\"mock_return\": \"retry-me\"}", receiver.url("/flaky")));
            WebhookReceiver.Received first = next(target, receiver, 120_000);
            assertNotNull(first, "no first attempt");
            WebhookReceiver.Received second = next(target, receiver, RETRY_DELAY_MS * 3);
            assertNotNull(second, "no second attempt after a 500");
            WebhookReceiver.Received third = next(target, receiver, RETRY_DELAY_MS * 3);
            assertNotNull(third, "no third attempt after a second 500");
            for (long gap : List.of(gapMs(target, first, second), gapMs(target, second, third))) {
                assertTrue(gap >= GAP_MIN_MS && gap <= GAP_MAX_MS, "attempts should be about " + RETRY_DELAY_MS
                        + " ms apart; measured " + gap + " ms (target time)");
            }
            assertEquals(first.body(), third.body(), "every attempt carries the same payload");
            assertNoMoreAttempts(target, receiver, id, 3, 3 * RETRY_DELAY_MS, "the third attempt was answered 200");
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("WEBHOOK-009")
    @CaughtBy({"webhook-extra-retry", "webhook-no-retry"})
    @DisplayName("a receiver that always fails gets exactly three attempts")
    void deliveryStopsAfterThreeAttempts(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            receiver.answerByDefault(500);
            String id = Jobs.run(target, body("{\"mock_return\": \"give-up\"}", receiver.url("/down")));
            for (int i = 1; i <= 3; i++) {
                assertNotNull(next(target, receiver, i == 1 ? 120_000 : RETRY_DELAY_MS * 3), "attempt " + i + " never came");
            }
            assertNoMoreAttempts(target, receiver, id, 3, 4 * RETRY_DELAY_MS, "delivery must stop after three failed attempts");
        }
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("WEBHOOK-010")
    @CaughtBy("webhook-no-timeout")
    @DisplayName("an attempt unanswered for 10 s has failed and is repeated")
    void anUnansweredAttemptTimesOut(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            receiver.enqueue(WebhookReceiver.NO_ANSWER, 200);
            Jobs.run(target, body("{\"mock_return\": \"slow-receiver\"}", receiver.url("/slow")));
            WebhookReceiver.Received first = next(target, receiver, 120_000);
            assertNotNull(first, "no first attempt");
            // 10 s without an answer, then 10 s until the next attempt
            WebhookReceiver.Received second = next(target, receiver, 60_000);
            assertNotNull(second, "no second attempt after an unanswered first one");
            long gap = gapMs(target, first, second);
            assertTrue(gap >= 2 * GAP_MIN_MS && gap <= 2 * GAP_MAX_MS, "expected about 20000 ms (timeout + delay); measured " + gap);
        }
    }

    @Test
    @NeedsAdmin
    @Requirement("WEBHOOK-011")
    @CaughtBy("webhook-no-journal")
    @DisplayName("the mock's journal records every delivery attempt")
    void attemptsAreJournaled(Target target) {
        try (WebhookReceiver receiver = WebhookReceiver.start(target)) {
            receiver.enqueue(500, 200);
            String id = Jobs.run(target, body("{\"mock_return\": \"journal\"}", receiver.url("/journal")));
            assertNotNull(next(target, receiver, 120_000), "no first attempt");
            assertNotNull(next(target, receiver, RETRY_DELAY_MS * 3), "no second attempt");
            JsonPath journal = dev.runpodkit.conformance.support.Poll.until(target, 10_000, "two journal entries",
                    () -> RestAssured.given().get(target.adminUrl("/webhooks?jobId=" + id)).jsonPath(),
                    j -> j.getInt("count") >= 2);
            assertEquals(Integer.valueOf(500), journal.get("attempts[0].statusCode"), journal.prettify());
            assertEquals("failed", journal.getString("attempts[0].outcome"), journal.prettify());
            assertEquals(Integer.valueOf(200), journal.get("attempts[1].statusCode"), journal.prettify());
            assertEquals("delivered", journal.getString("attempts[1].outcome"), journal.prettify());
            assertEquals(2, journal.getInt("attempts[1].attempt"), journal.prettify());
        }
    }
}
