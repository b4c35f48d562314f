package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Held;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * /status-sync/{id}[?wait=ms]: /status that holds until the job ends or the wait passes (docs:old-ops; used by
 * the js SDK with GET and the go SDK with POST; runpod-api.md §2, wire-captures.md §1). The wait defaults to
 * 90000 ms and is clamped to 1000..300000 like /runsync's (DEC-025).
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/status-sync")
class StatusSyncChecks {

    private static final Set<String> RUNNING = Set.of("IN_QUEUE", "IN_PROGRESS");

    static Response statusSync(Target target, String method, String id, String query) {
        return target.given().request(method, target.url("status-sync/" + id + query));
    }

    @Test
    @Requirement("STATUS-011")
    @CaughtBy("status-sync-ignores-wait")
    @DisplayName("GET and POST /status-sync hold until the job ends and answer its status payload")
    void holdsUntilTheJobEnds(Target target) {
        for (String method : new String[] {"GET", "POST"}) {
            try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
                String id = Jobs.run(target, "{\"input\": {\"mock_return\": {\"via\": \"" + method + "\"}, \"mock_delay\": 2}}");
                Jobs.awaitStarted(target, id, 120_000);
                Held held = Held.send(target, method + " /status-sync", () -> statusSync(target, method, id, ""));
                TargetTime.pass(target, 1_000);
                held.assertStillHeld("while the 2 s job runs");
                TargetTime.pass(target, 2_000);
                Response r = held.awaitAnswer(target, 30_000);
                assertEquals(200, r.statusCode(), method + " /status-sync: " + r.asString());
                assertEquals(id, r.jsonPath().getString("id"), r.asString());
                assertEquals("COMPLETED", r.jsonPath().getString("status"),
                        method + " /status-sync should hold until a 2 s job has ended: " + r.asString());
                assertEquals(method, r.jsonPath().getString("output.via"), r.asString());
                assertEquals(Jobs.status(target, id).jsonPath().getMap(""), r.jsonPath().getMap(""),
                        "/status-sync should answer what /status answers for an ended job");
            }
        }
    }

    @Test
    @Requirement("STATUS-011")
    @CaughtBy("status-sync-ignores-wait")
    @DisplayName("when the wait passes first, /status-sync answers 200 with the job's current, non-terminal status")
    void answersTheCurrentStatusWhenTheWaitPasses(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 30}}");
            try {
                Held held = Held.send(target, "/status-sync?wait=2000", () -> statusSync(target, "GET", id, "?wait=2000"));
                TargetTime.pass(target, 1_000);
                held.assertStillHeld("1 s into a 2 s wait");
                TargetTime.pass(target, 1_500);
                Response r = held.awaitAnswer(target, 5_000);
                assertEquals(200, r.statusCode(), r.asString());
                assertEquals(id, r.jsonPath().getString("id"), r.asString());
                assertTrue(RUNNING.contains(r.jsonPath().getString("status")), r.asString());
            } finally {
                Jobs.cancel(target, id);
            }
        }
    }

    @Test
    @Requirement("STATUS-012")
    @CaughtBy({"status-sync-wait-unclamped", "status-sync-ignores-wait"})
    @DisplayName("?wait below 1000 on /status-sync is raised to 1000 ms, and above 300000 is accepted")
    void waitIsClampedFromBelow(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String slow = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 30}}");
            try {
                Held held = Held.send(target, "/status-sync?wait=1", () -> statusSync(target, "GET", slow, "?wait=1"));
                TargetTime.pass(target, 300);
                held.assertStillHeld("300 ms into a wait of 1 ms, which should be raised to 1000 ms");
                TargetTime.pass(target, 1_000);
                Response low = held.awaitAnswer(target, 5_000);
                assertEquals(200, low.statusCode(), low.asString());
                assertTrue(RUNNING.contains(low.jsonPath().getString("status")), low.asString());
            } finally {
                Jobs.cancel(target, slow);
            }
        }
        String quick = Jobs.run(target, "{\"input\": {\"mock_return\": \"quick\", \"mock_delay\": 0.3}}");
        Response high = statusSync(target, "POST", quick, "?wait=900000");
        assertEquals(200, high.statusCode(), "?wait=900000 is clamped, not refused: " + high.asString());
        assertEquals("COMPLETED", high.jsonPath().getString("status"), high.asString());
    }

    @Test
    @Spend(Spend.Tier.FULL)
    @Requirement("STATUS-012")
    @CaughtBy({"status-sync-ignores-wait", "status-sync-wait-unclamped"})
    @DisplayName("/status-sync holds 90 s without ?wait, and at most 300 s whatever ?wait says")
    void defaultHoldIs90sAndTheMostIs300s(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"slow\", \"mock_delay\": 400}}");
            try {
                Held byDefault = Held.send(target, "/status-sync without ?wait", () -> statusSync(target, "GET", id, ""));
                Held capped = Held.send(target, "/status-sync?wait=900000", () -> statusSync(target, "POST", id, "?wait=900000"));
                TargetTime.pass(target, 85_000);
                byDefault.assertStillHeld("after 85 s");
                TargetTime.pass(target, 10_000);
                Response r = byDefault.awaitAnswer(target, 5_000);
                assertEquals(200, r.statusCode(), r.asString());
                assertTrue(RUNNING.contains(r.jsonPath().getString("status")), r.asString());
                capped.assertStillHeld("after 95 s");
                TargetTime.pass(target, 200_000);
                capped.assertStillHeld("after 295 s");
                TargetTime.pass(target, 10_000);
                Response c = capped.awaitAnswer(target, 5_000);
                assertEquals(200, c.statusCode(), c.asString());
                assertEquals(id, c.jsonPath().getString("id"), c.asString());
                assertTrue(RUNNING.contains(c.jsonPath().getString("status")), c.asString());
            } finally {
                Jobs.cancel(target, id);
            }
        }
    }
}
