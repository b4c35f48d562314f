package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.Set;

/** The few job moves most checks share: submit, look, wait for the end. All go through the schema filter. */
public final class Jobs {

    public static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED", "TIMED_OUT");

    private Jobs() {
    }

    /** POST /run; asserts 200 and returns the job id. */
    public static String run(Target target, String body) {
        Response r = target.given().body(body).post(target.url("run"));
        assertEquals(200, r.statusCode(), "POST /run answered " + r.statusCode() + ": " + r.asString());
        String id = r.jsonPath().getString("id");
        if (id == null || id.isEmpty()) {
            throw new AssertionError("POST /run answered without a job id: " + r.asString());
        }
        return id;
    }

    public static Response status(Target target, String id) {
        return target.given().get(target.url("status/" + id));
    }

    /** POST /runsync{query} with {@code body}; returns the answer unchecked. */
    public static Response runsync(Target target, String query, String body) {
        return target.given().body(body).post(target.url("runsync" + query));
    }

    /**
     * POST to {@code operation} with {@code body}, or with no body at all when it is null (as runpod-python sends
     * /cancel and /purge-queue); returns the answer unchecked.
     */
    public static Response post(Target target, String operation, String body) {
        RequestSpecification spec = target.given();
        if (body != null) {
            spec = spec.body(body);
        }
        return spec.post(target.url(operation));
    }

    /** POST /cancel/{id} without a body; returns the answer unchecked. For clean-up, and for checks on /cancel itself. */
    public static Response cancel(Target target, String id) {
        return post(target, "cancel/" + id, null);
    }

    /** Cancels each job, ignoring what the target answers: clean-up after a check, so no long job outlives it. */
    public static void cancelQuietly(Target target, Iterable<String> ids) {
        for (String id : ids) {
            try {
                cancel(target, id);
            } catch (RuntimeException | AssertionError ignored) {
                // clean-up only
            }
        }
    }

    /** The job's status field, or null when the answer has none (or is not JSON). */
    public static String statusOf(Response r) {
        try {
            return r.jsonPath().getString("status");
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Polls /status until the job is terminal; returns that answer. */
    public static Response awaitTerminal(Target target, String id, long budgetTargetMs) {
        return Poll.until(target, budgetTargetMs, "job " + id + " to end",
                () -> status(target, id),
                r -> r.statusCode() == 200 && TERMINAL.contains(r.jsonPath().getString("status")));
    }

    /** Polls /health until at least {@code count} jobs are queued or running. */
    public static void awaitQueued(Target target, int count, long budgetTargetMs) {
        Poll.until(target, budgetTargetMs, count + " jobs queued or running",
                () -> target.given().get(target.url("health")),
                r -> r.statusCode() == 200
                        && r.jsonPath().getInt("jobs.inQueue") + r.jsonPath().getInt("jobs.inProgress") >= count);
    }

    /** Polls /status until the job has left the queue (running or ended). */
    public static Response awaitStarted(Target target, String id, long budgetTargetMs) {
        return Poll.until(target, budgetTargetMs, "job " + id + " to start",
                () -> status(target, id),
                r -> r.statusCode() == 200 && !"IN_QUEUE".equals(r.jsonPath().getString("status")));
    }
}
