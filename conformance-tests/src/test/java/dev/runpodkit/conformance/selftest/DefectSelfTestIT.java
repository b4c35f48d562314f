package dev.runpodkit.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.runpodkit.conformance.support.CheckIndex;
import dev.runpodkit.conformance.target.TargetConfig;
import dev.runpodkit.mock.config.Defect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The suite tests itself: every check runs against each mock defect it claims to catch ({@code @CaughtBy}),
 * on a fresh embedded mock with that defect, and must fail there. A check that passes against its defect
 * proves nothing and fails the build. (The healthy-mock run of the same checks is the suite itself.)
 */
@DisplayName("Self-test: each check fails against the defect it must catch")
class DefectSelfTestIT {

    @Test
    @DisplayName("every check names at least one defect, and every named defect exists")
    void everyCheckHasADefect() {
        List<String> problems = new ArrayList<>();
        List<CheckIndex.Check> checks = CheckIndex.all();
        assertFalse(checks.isEmpty(), "no checks found in " + CheckIndex.CHECKS_PACKAGE);
        for (CheckIndex.Check c : checks) {
            if (c.caughtBy().isEmpty()) {
                problems.add(c.name() + " has no @CaughtBy defect");
            }
            for (String d : c.caughtBy()) {
                try {
                    Defect.fromFlag(d);
                } catch (IllegalArgumentException e) {
                    problems.add(c.name() + ": " + e.getMessage());
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    @DisplayName("every defect of the mock is caught by at least one check")
    void everyDefectIsCaughtBySomeCheck() {
        java.util.Set<String> caught = new java.util.HashSet<>();
        CheckIndex.all().forEach(c -> caught.addAll(c.caughtBy()));
        List<String> uncaught = java.util.Arrays.stream(Defect.values()).map(Defect::flagName)
                .filter(d -> !caught.contains(d)).toList();
        assertTrue(uncaught.isEmpty(), "defects no check catches (a defect nobody catches is dead code, "
                + "or a behaviour nobody checks): " + uncaught);
    }

    @TestFactory
    @DisplayName("each check fails against its defects")
    Stream<DynamicTest> eachCheckFailsAgainstItsDefects() {
        Assumptions.assumeFalse(NestedRun.remoteTarget(), "the self-test runs against the embedded mock only");
        List<DynamicTest> tests = new ArrayList<>();
        List<String> only = only();
        for (CheckIndex.Check c : CheckIndex.all()) {
            if (!only.isEmpty() && only.stream().noneMatch(o -> named(c, o))) {
                continue;
            }
            for (String defect : c.caughtBy()) {
                tests.add(DynamicTest.dynamicTest(c.name() + " catches " + defect, () -> {
                    TestExecutionSummary summary = runAgainstDefect(c, defect);
                    assertEquals(1, summary.getTestsStartedCount(),
                            c.name() + " did not run against defect " + defect + " (skipped?)");
                    assertEquals(1, summary.getTestsFailedCount(),
                            c.name() + " PASSED against defect '" + defect + "' (" + Defect.fromFlag(defect).description()
                                    + "): it does not catch what it claims to");
                }));
            }
        }
        return tests.stream();
    }

    /**
     * {@code -Drunpod.selftestOnly=RateLimitChecks,StreamChecks.waitSetsTheHold}: only these checks (a class's simple
     * name or Class.method) are run against their defects, for a quick look at the checks one has changed. Without
     * it, every check is. A name that matches no check fails, so a typo cannot pass as a clean self-test.
     */
    static List<String> only() {
        String raw = System.getProperty("runpod.selftestOnly", "");
        List<String> only = java.util.Arrays.stream(raw.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
        List<String> unknown = only.stream().filter(o -> CheckIndex.all().stream().noneMatch(c -> named(c, o))).toList();
        assertTrue(unknown.isEmpty(), "runpod.selftestOnly names no check: " + unknown);
        return only;
    }

    /** Whether {@code name} (a class's simple name, or Class.method) names this check. */
    private static boolean named(CheckIndex.Check check, String name) {
        return check.name().equals(name) || check.type().getSimpleName().equals(name);
    }

    static TestExecutionSummary runAgainstDefect(CheckIndex.Check check, String defect) {
        return NestedRun.run(Map.of(TargetConfig.DEFECTS, defect, TargetConfig.TIER, "full"),
                selectMethod(check.type(), check.method()));
    }
}
