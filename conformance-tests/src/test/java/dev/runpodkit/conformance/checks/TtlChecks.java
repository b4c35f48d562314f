package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code policy.ttl} (seeds/004; runpod-api.md §3; DEC-003): the job's whole lifetime from submission, queue and
 * execution; when it expires the job is removed whatever its state and /status answers 404. 24 h by default.
 * And {@code ?ttl=} on /status (DEC-030). Time passes through the mock's clock, or in real time elsewhere.
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("ttl")
class TtlChecks {

    /** Polls /status until it answers 404 (the error body passes the schema filter). */
    private static void awaitGone(Target target, String id, String why) {
        Poll.until(target, 15_000, "job " + id + " to be gone (" + why + ")", () -> Jobs.status(target, id),
                r -> r.statusCode() == 404);
    }

    @Test
    @Requirement("POLICY-011")
    @CaughtBy({"ttl-ignored", "ttl-queue-only"})
    @DisplayName("a finished job is removed when its ttl expires: /status answers 404 long before the 30 min retention")
    void aFinishedJobIsRemovedWhenItsTtlExpires(Target target) {
        // 60 s: time enough for a cold real endpoint to run the job; the mock's clock stands still meanwhile
        TargetTime.hold(target, () -> {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"short-lived\"}, \"policy\": {\"ttl\": 60000}}");
            TargetTime.pass(target, 1_000); // its moment of work
            Response done = Jobs.awaitTerminal(target, id, 50_000);
            assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
            TargetTime.pass(target, 60_000);
            awaitGone(target, id, "its ttl of 60000 ms has passed");
        });
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("POLICY-011")
    @CaughtBy({"ttl-ignored", "ttl-queue-only"})
    @DisplayName("a running job is stopped and removed when its ttl expires, though its executionTimeout is longer")
    void aRunningJobIsRemovedWhenItsTtlExpires(Target target) {
        // a warm worker first, so the job below starts well inside its ttl on a real endpoint too
        Response warm = target.given().body("{\"input\": {\"mock_return\": \"warm\"}}").post(target.url("runsync"));
        assertEquals(200, warm.statusCode(), warm.asString());
        TargetTime.hold(target, () -> {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"outlived\", \"mock_delay\": 300}, "
                    + "\"policy\": {\"ttl\": 60000, \"executionTimeout\": 600000}}");
            try {
                Response started = Jobs.awaitStarted(target, id, 40_000);
                assertEquals("IN_PROGRESS", started.jsonPath().getString("status"), started.asString());
                TargetTime.pass(target, 60_000);
                awaitGone(target, id, "its ttl of 60000 ms has passed while it ran");
            } finally {
                Pool.cancel(target, List.of(id));
            }
        });
    }

    @Test
    @NeedsAdmin
    @Spend(Spend.Tier.FULL)
    @Requirement("POLICY-012")
    @CaughtBy({"ttl-default-1h", "ttl-queue-only"})
    @DisplayName("a job without policy.ttl lives for the endpoint's default ttl (86400000 ms unless configured), then is removed")
    void withoutAPolicyTtlTheDefaultApplies(Target target) {
        MockAdmin admin = new MockAdmin(target);
        long configured = admin.settings().jsonPath().getLong("ttlDefaultMs");
        Pool.holdWhenQuiet(target, () -> {
            assertRemovedAfter(target, configured);
            admin.withSettings("{\"ttlDefaultMs\": 120000}", () -> assertRemovedAfter(target, 120_000));
        });
    }

    /**
     * A job without policy.ttl is there a minute before {@code ttlMs} and gone a minute after. It runs the whole
     * time, since a finished job would be removed by the 30 min retention first.
     */
    private static void assertRemovedAfter(Target target, long ttlMs) {
        long workSeconds = ttlMs / 1000 + 3_600;
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"long-lived\", \"mock_delay\": " + workSeconds + "}, "
                + "\"policy\": {\"executionTimeout\": 604800000}}");
        try {
            Jobs.awaitStarted(target, id, 30_000);
            TargetTime.pass(target, ttlMs - 60_000);
            Response before = Jobs.status(target, id);
            assertEquals(200, before.statusCode(), "a minute before the default ttl of " + ttlMs
                    + " ms the job should still be there: " + before.asString());
            TargetTime.pass(target, 120_000);
            awaitGone(target, id, "the default ttl of " + ttlMs + " ms has passed");
        } finally {
            Pool.cancel(target, List.of(id));
        }
    }

    @Test
    @Requirement("STATUS-010")
    @CaughtBy("status-ttl-ignored")
    @DisplayName("?ttl=6000 on /status leaves the job 6 s to live (the docs' example), then /status answers 404")
    void statusTtlSetsTheRemainingLifetime(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"ttl from status\"}}");
        Response done = Jobs.awaitTerminal(target, id, 120_000);
        assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
        Response set = target.given().get(target.url("status/" + id + "?ttl=6000"));
        assertEquals(200, set.statusCode(), "GET /status?ttl=6000: " + set.asString());
        assertEquals(id, set.jsonPath().getString("id"), set.asString());
        TargetTime.pass(target, 6_000);
        awaitGone(target, id, "?ttl=6000 was set 6 s ago; without it the result is kept 30 min");
    }
}
