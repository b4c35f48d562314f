package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * A request the target holds (runsync, status-sync, stream), sent on its own thread so the check can let
 * target time pass ({@link dev.runpodkit.conformance.target.TargetTime}) while it is held, and look whether
 * it has been answered yet. The thread is created by the check's thread, so the report context carries over.
 */
public final class Held {

    private final CompletableFuture<Response> answer = new CompletableFuture<>();
    private final String what;

    private Held(String what) {
        this.what = what;
    }

    /** Sends the request and waits a moment of wall time, so it has reached the target before time is moved. */
    public static Held send(String what, Supplier<Response> request) {
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
        sleep(300);
        return held;
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
     * The answer, which must come without any more target time passing (inside {@link
     * dev.runpodkit.conformance.target.TargetTime#freeze}: a request the target holds is never answered).
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
