package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.BusyWorkers;
import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.response.Response;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * POST /purge-queue: removes every queued job of the endpoint and answers {"removed": n, "status":
 * "completed"}; running jobs go on (docs:opref, docs:v1; runpod-api.md §2.7). A purged job is gone (DEC-028).
 *
 * <p>These checks purge the whole queue of the endpoint they run against, other clients' jobs included: run
 * them against an endpoint kept for conformance runs. That is why none of them runs at spend tier {@code none},
 * not even PURGE-003's, which starts no job.
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("/purge-queue")
class PurgeChecks {

    static Response purge(Target target, String body) {
        Response r = Jobs.post(target, "purge-queue", body);
        // /purge-queue allows 2 requests per 10 s (RATE-003): like a polite client, wait out Retry-After and ask again
        for (int i = 0; i < 3 && r.statusCode() == 429; i++) {
            String retryAfter = r.header("Retry-After");
            long seconds = retryAfter == null ? 10 : Long.parseLong(retryAfter.trim());
            dev.runpodkit.conformance.target.TargetTime.pass(target, seconds * 1000 + 100);
            r = Jobs.post(target, "purge-queue", body);
        }
        return r;
    }

    @Test
    @Requirement("PURGE-001")
    @CaughtBy("purge-count-zero")
    @DisplayName("/purge-queue removes every queued job, low priority too, and answers {removed: n, status: completed}")
    void queuedJobsAreRemovedAndCounted(Target target) {
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            List<String> queued = List.of(
                    busy.queue("{\"input\": {\"mock_return\": \"purged-1\", \"mock_delay\": 1}}"),
                    busy.queue("{\"input\": {\"mock_return\": \"purged-2\", \"mock_delay\": 1}}"),
                    busy.queue("{\"input\": {\"mock_return\": \"purged-low\", \"mock_delay\": 1}, \"policy\": {\"lowPriority\": true}}"));
            Response r = purge(target, null);
            assertEquals(200, r.statusCode(), r.asString());
            assertEquals("completed", r.jsonPath().getString("status"), "the purge status is the lower-case word: " + r.asString());
            int removed = r.jsonPath().getInt("removed");
            assertTrue(removed >= queued.size(), "removed " + removed + ", but " + queued.size() + " jobs of this check were queued: " + r.asString());
            // none of them may run: free the workers and give a queued job time to start and end
            busy.releaseWorkers();
            TargetTime.pass(target, 3_000);
            for (String id : queued) {
                Response s = Jobs.status(target, id);
                assertTrue(s.statusCode() == 404 || "CANCELLED".equals(Jobs.statusOf(s)),
                        "a purged job must be gone (404) or CANCELLED, never run: " + s.statusCode() + " " + s.asString());
            }
        }
    }

    @Test
    @Requirement("PURGE-002")
    @CaughtBy("purge-stops-running")
    @DisplayName("/purge-queue leaves running jobs alone: they end normally")
    void runningJobsGoOn(Target target) {
        try (TargetTime.Frozen frozen = TargetTime.freeze(target)) {
            String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"survivor\", \"mock_delay\": 4}}");
            try {
                Response running = Jobs.awaitStarted(target, id, 120_000);
                assertEquals("IN_PROGRESS", running.jsonPath().getString("status"), running.asString());
                assertEquals(200, purge(target, "{}").statusCode());
                Response after = Jobs.status(target, id);
                assertEquals(200, after.statusCode(), "a running job must survive /purge-queue: " + after.asString());
                assertTrue(Set.of("IN_PROGRESS", "COMPLETED").contains(Jobs.statusOf(after)),
                        "a running job was stopped by /purge-queue: " + after.asString());
                Response end = Poll.stepping(target, 1_000, 120_000, "job " + id + " to end", () -> Jobs.status(target, id),
                        r -> Jobs.TERMINAL.contains(Jobs.statusOf(r)));
                assertEquals("COMPLETED", end.jsonPath().getString("status"), "a running job was stopped by /purge-queue: " + end.asString());
                assertEquals("survivor", end.jsonPath().getString("output"), end.asString());
            } finally {
                Jobs.cancel(target, id);
            }
        }
    }

    @Test
    @Requirement("PURGE-003")
    @CaughtBy("control-requires-body")
    @DisplayName("/purge-queue accepts no body, an empty body and {}")
    void anyOfTheThreeBodiesIsAccepted(Target target) {
        for (String body : new String[] {null, "", "{}"}) {
            Response r = purge(target, body);
            String form = body == null ? "no body" : "body '" + body + "'";
            assertEquals(200, r.statusCode(), "/purge-queue with " + form + ": " + r.asString());
            assertEquals("completed", r.jsonPath().getString("status"), r.asString());
        }
    }

    @Test
    @Requirement("PURGE-004")
    @CaughtBy("purge-keeps-jobs")
    @DisplayName("a purged job is gone: /status and /stream of its id answer 404")
    void aPurgedJobIsGone(Target target) {
        try (BusyWorkers busy = BusyWorkers.occupy(target)) {
            String id = busy.queue("{\"input\": {\"mock_return\": \"gone\"}}");
            assertEquals(200, purge(target, null).statusCode());
            for (String op : List.of("status/", "stream/")) {
                Response r = target.given().get(target.url(op + id));
                assertEquals(404, r.statusCode(), "/" + op + " of a purged job: " + r.asString());
                ErrorChecks.assertJsonError(r);
            }
            Response cancel = Jobs.cancel(target, id);
            assertEquals(404, cancel.statusCode(), "/cancel of a purged job: " + cancel.asString());
        }
    }
}
