package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A request the target holds (runsync, status-sync, stream), sent on its own thread so the check can let
 * target time pass ({@link TargetTime}) while it is held, and look whether it has been answered yet. The thread
 * is created by the check's thread, so the report context carries over.
 */
public final class Held {

    private final CompletableFuture<Response> answer = new CompletableFuture<>();
    private final String what;

    private Held(String what) {
        this.what = what;
    }

    /**
     * Sends the request and returns once it has reached the target. On this project's mock with its clock
     * stopped ({@link TargetTime#freeze}) that is when the request has scheduled its hold on the clock (or has
     * been answered already); elsewhere, after a moment of wall time.
     */
    public static Held send(Target target, String what, Supplier<Response> request) {
        long timersBefore = target.hasAdmin() ? timersScheduledIfFrozen(target) : -1;
        Held held = new Held(what);
        Thread t = new Thread(() -> {
            try {
                held.answer.complete(request.get());
            } catch (Throwable e) {
                held.answer.completeExceptionally(e);
            }
        }, "held " + what);
        t.setDaemon(true);
        t.start();
        if (timersBefore < 0) {
            sleep(300);
            return held;
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!held.answer.isDone() && timersScheduledIfFrozen(target) <= timersBefore && System.nanoTime() < deadline) {
            sleep(5);
        }
        return held;
    }

    /**
     * How many timers the mock clock has scheduled so far, while it is stopped, or -1 when it runs (then the count
     * means nothing). A count that only grows: a request that cancels one timer and schedules its hold still shows.
     */
    private static long timersScheduledIfFrozen(Target target) {
        Response clock = RestAssured.given().get(target.adminUrl("/clock"));
        if (clock.statusCode() != 200 || !Boolean.TRUE.equals(clock.jsonPath().get("frozen"))) {
            return -1;
        }
        return clock.jsonPath().getLong("timersScheduled");
    }

    public boolean answered() {
        return answer.isDone();
    }

    /** Fails if the request was answered already (after a short grace period in wall time). */
    public void assertStillHeld(String when) {
        sleep(100);
        if (answer.isDone()) {
            throw new AssertionError(what + " was answered already " + when + ": " + describe());
        }
    }

    /**
     * The answer, which must come without any more target time passing (inside {@link TargetTime#freeze}: a
     * request the target holds is never answered).
     */
    public Response awaitImmediateAnswer(Target target) {
        return awaitAnswer(target, 5_000);
    }

    /** Waits (up to the budget in target time) for the answer and returns it. */
    public Response awaitAnswer(Target target, long budgetTargetMs) {
        Poll.until(target, budgetTargetMs, what + " to be answered", answer::isDone, Boolean::booleanValue);
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            if (e.getCause() instanceof org.opentest4j.TestAbortedException skipped) {
                throw skipped; // the answer follows a reading the target declared (SchemaFilter): a skip, not a failure
            }
            throw new AssertionError(what + " failed: " + e.getCause(), e.getCause());
        }
    }

    private String describe() {
        try {
            Response r = answer.getNow(null);
            return r == null ? "(no answer)" : r.statusCode() + " " + r.asString();
        } catch (RuntimeException e) {
            return "(failed: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long wallMs) {
        try {
            Thread.sleep(wallMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }
}
