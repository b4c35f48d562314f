package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting for the target to get somewhere, with a budget in target time: seconds against a real endpoint,
 * milliseconds against the accelerated mock. The interval is short in wall time; it never sleeps longer
 * than the budget.
 */
public final class Poll {

    private Poll() {
    }

    /**
     * Polls until {@code done} holds, letting {@code stepTargetMs} of target time pass between probes
     * ({@link TargetTime#pass}): on a frozen mock clock ({@link TargetTime#freeze}) the job moves exactly that
     * much between two looks; against a real endpoint this is an ordinary poll. Fails after the budget.
     */
    public static <T> T stepping(Target target, long stepTargetMs, long budgetTargetMs, String what, Supplier<T> probe,
                                 Predicate<T> done) {
        T last = null;
        for (long passed = 0; passed <= budgetTargetMs; passed += stepTargetMs) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            TargetTime.pass(target, stepTargetMs);
        }
        throw new AssertionError("Gave up after " + budgetTargetMs + " ms (target time) waiting for " + what + "; last seen: " + shown(target, last));
    }

    /**
     * What a probe last saw, for the message of a wait that gave up: an HTTP answer as its status code and body (the
     * target's secrets blanked, at most 500 characters), anything else as itself.
     */
    static String shown(Target target, Object last) {
        if (last instanceof io.restassured.response.Response r) {
            String body = Redactor.redact(String.valueOf(r.asString()), target.secrets()).strip().replaceAll("\\s+", " ");
            return "HTTP " + r.statusCode() + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
        return String.valueOf(last);
    }

    /** Polls until {@code done} holds and returns that value, or fails with {@code what} after the budget. */
    public static <T> T until(Target target, long budgetTargetMs, String what, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + target.wallMs(budgetTargetMs) * 1_000_000L + 2_000_000_000L;
        long interval = Math.max(5, Math.min(1_000, target.wallMs(250)));
        T last = null;
        while (true) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + budgetTargetMs + " ms (target time) waiting for " + what
                        + "; last seen: " + shown(target, last));
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
        }
    }
}
