package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Collection;

/**
 * What the policy and scaling checks share: the worker and queue counts /health reports, and cancelling the
 * jobs a check leaves running, so the next check finds the endpoint as this one did.
 */
final class Pool {

    private Pool() {
    }

    /** One /health reading. {@code initializing} is 0 when the target does not report it. */
    record Workers(int idle, int initializing, int running, int inQueue, int inProgress) {
        int total() {
            return idle + initializing + running;
        }

        boolean quiet() {
            return running == 0 && initializing == 0 && inQueue == 0 && inProgress == 0;
        }
    }

    static Workers workers(Target target) {
        Response r = target.given().get(target.url("health"));
        assertEquals(200, r.statusCode(), "GET /health answered " + r.statusCode() + ": " + r.asString());
        JsonPath j = r.jsonPath();
        return new Workers(j.getInt("workers.idle"), count(j, "workers.initializing"), j.getInt("workers.running"),
                j.getInt("jobs.inQueue"), j.getInt("jobs.inProgress"));
    }

    private static int count(JsonPath j, String path) {
        Object v = j.get(path);
        return v instanceof Number n ? n.intValue() : 0;
    }

    /** Waits until nothing runs or waits and exactly {@code size} workers are up, all idle. */
    static Workers awaitQuiet(Target target, int size) {
        return Poll.until(target, 60_000, "a quiet pool of " + size + " idle workers", () -> workers(target),
                w -> w.quiet() && w.total() == size);
    }

    /**
     * For checks on the mock (admin): waits until the pool is quiet at its workersMin, so each job the check
     * starts first gets a worker at once, then runs {@code body} under {@link TargetTime#hold}, so only the check
     * moves the clock.
     */
    static void holdWhenQuiet(Target target, Runnable body) {
        awaitQuiet(target, new MockAdmin(target).settings().jsonPath().getInt("workersMin"));
        TargetTime.hold(target, body);
    }

    /** POST /cancel for each job still known; a job already ended or gone is left as it is. */
    static void cancel(Target target, Collection<String> ids) {
        for (String id : ids) {
            target.given().post(target.url("cancel/" + id));
        }
    }
}
