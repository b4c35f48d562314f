package dev.runpodkit.conformance.target;

import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * Letting target time pass. Against this project's mock the clock is moved through its admin API, so half
 * an hour of retention passes in milliseconds; against any other target the check waits in real time.
 */
public final class TargetTime {

    private TargetTime() {
    }

    /**
     * Stops the target's clock until {@link Frozen#close}: from then on target time passes only through
     * {@link #pass}, so a check can put a held request exactly before or after its deadline. Against a target
     * without the admin API time cannot be stopped and this does nothing: a check written inside it must also
     * hold when time runs on by itself (as it does for the few milliseconds each request takes).
     */
    public static Frozen freeze(Target target) {
        if (!target.hasAdmin()) {
            return new Frozen(null);
        }
        Response clock = RestAssured.given().get(target.adminUrl("/clock"));
        boolean wasFrozen = clock.statusCode() == 200 && Boolean.TRUE.equals(clock.jsonPath().get("frozen"));
        if (!wasFrozen) {
            post(target, "/clock/freeze");
        }
        return new Frozen(wasFrozen ? null : target);
    }

    /** A stopped clock; closing it lets the clock run on (unless it was stopped before). */
    public static final class Frozen implements AutoCloseable {
        private final Target toResume;

        private Frozen(Target toResume) {
            this.toResume = toResume;
        }

        @Override
        public void close() {
            if (toResume != null) {
                post(toResume, "/clock/resume");
            }
        }
    }

    private static void post(Target target, String path) {
        Response r = RestAssured.given().post(target.adminUrl(path));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the mock refused " + path + ": " + r.asString());
        }
    }

    /**
     * Runs {@code body} with the target's time moving only through {@link #pass}: on this project's mock its clock
     * is frozen for the body (and left as found); elsewhere real time runs on and {@code pass} sleeps. For checks
     * whose outcome must not depend on how fast the machine runs them: inside, every wait for the target to get
     * somewhere in time must follow a {@code pass} that gets it there.
     */
    public static void hold(Target target, Runnable body) {
        if (target.hasAdmin()) {
            new MockAdmin(target).withFrozenClock(body);
        } else {
            body.run();
        }
    }

    /** Lets {@code targetMs} of the target's time pass. */
    public static void pass(Target target, long targetMs) {
        if (target.hasAdmin()) {
            Response r = target.givenWithoutAuth().post(target.adminUrl("/clock/advance?ms=" + targetMs));
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the mock refused to advance its clock: " + r.asString());
            }
            return;
        }
        try {
            Thread.sleep(target.wallMs(targetMs));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while letting time pass", e);
        }
    }
}
