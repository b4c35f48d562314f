package dev.runpodkit.conformance.report;

import java.util.ArrayList;
import java.util.List;

/** What each check came to in this run, collected for the summary. */
public final class Outcomes {

    public enum Outcome { PASS, FAIL, WARN, SKIP }

    public record CheckResult(String check, String displayName, List<String> requirements, String level,
                              Outcome outcome, String message) { }

    private static final List<CheckResult> RESULTS = new ArrayList<>();
    private static volatile String targetDescription = "";
    private static volatile String setUpFailure = "";

    private Outcomes() {
    }

    public static synchronized void record(CheckResult result) {
        RESULTS.add(result);
    }

    public static synchronized List<CheckResult> all() {
        return List.copyOf(RESULTS);
    }

    public static void target(String description) {
        targetDescription = description;
    }

    public static String target() {
        return targetDescription;
    }

    /**
     * The target could not be set up (unreachable, the key refused, a bad setting): the run fails on that, and the
     * check that happened to come first is not a failed requirement.
     */
    public static void setUpFailed(String message) {
        setUpFailure = message == null ? "" : message;
        targetDescription = "not set up (the reason follows)";
    }

    /** Why the target could not be set up, or "" when it was. */
    public static String setUpFailure() {
        return setUpFailure;
    }
}
