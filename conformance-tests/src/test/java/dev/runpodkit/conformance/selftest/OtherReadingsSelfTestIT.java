package dev.runpodkit.conformance.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.runpodkit.conformance.support.Catalogue;
import dev.runpodkit.conformance.support.CheckIndex;
import dev.runpodkit.conformance.target.TargetConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * runpod.readings end to end, in nested runs of real checks against the embedded mock: declaring the decision a
 * check's requirement rests on skips it; declaring another decision leaves it running (and passing); a mock on the
 * other /stream shape fails until DEC-008 is declared; an unknown id fails the run once instead of passing unnoticed.
 */
@DisplayName("Self-test: runpod.readings skips exactly the checks of the declared decisions")
class OtherReadingsSelfTestIT {

    private final Catalogue catalogue = Catalogue.load();

    /** A check of cheap tier whose first requirement rests on a decision, and that decision. */
    private record Probe(CheckIndex.Check check, String decision) { }

    private Probe probe() {
        for (CheckIndex.Check c : CheckIndex.all()) {
            if (c.method().isAnnotationPresent(dev.runpodkit.conformance.support.Spend.class)
                    || c.type().isAnnotationPresent(dev.runpodkit.conformance.support.Spend.class)) {
                continue;
            }
            Optional<String> decision = c.requirements().stream().map(catalogue::find).flatMap(Optional::stream)
                    .map(Catalogue.Entry::decision).filter(d -> !d.isBlank()).findFirst();
            if (decision.isPresent()) {
                return new Probe(c, decision.get());
            }
        }
        throw new IllegalStateException("no check rests on a decision");
    }

    private static TestExecutionSummary run(CheckIndex.Check check, String readings) {
        return NestedRun.run(Map.of(TargetConfig.READINGS, readings), selectMethod(check.type(), check.method()));
    }

    /** The three check classes that read /stream answers, against an embedded mock started with the given settings. */
    private static TestExecutionSummary runStreamReaders(String mockSettings, String readings) {
        Map<String, String> settings = new HashMap<>(Map.of(TargetConfig.MOCK_SETTINGS, mockSettings));
        if (readings != null) {
            settings.put(TargetConfig.READINGS, readings);
        }
        return NestedRun.run(settings, selectClass(CheckIndex.CHECKS_PACKAGE + ".StreamChecks"),
                selectClass(CheckIndex.CHECKS_PACKAGE + ".S3ConfigChecks"), selectClass(CheckIndex.CHECKS_PACKAGE + ".WorkerChecks"));
    }

    @Test
    void aMockOnTheOtherStreamShapeFailsUntilTheReadingIsDeclaredThenEverythingElsePasses() {
        Assumptions.assumeFalse(NestedRun.remoteTarget(), "the self-test runs against the embedded mock only");
        String arrays = "{\"streamShape\": \"ARRAY\"}";
        TestExecutionSummary undeclared = runStreamReaders(arrays, null);
        assertTrue(undeclared.getTotalFailureCount() > 0, "a mock answering /stream with a bare array passed the stream checks");
        TestExecutionSummary declared = runStreamReaders(arrays, "DEC-008");
        String failures = declared.getFailures().stream()
                .map(f -> f.getTestIdentifier().getDisplayName() + ": " + f.getException().getMessage()).reduce("", (a, b) -> a + "\n" + b);
        assertEquals(0, declared.getTotalFailureCount(), "with DEC-008 declared, still failing:" + failures);
        assertTrue(declared.getTestsSkippedCount() + declared.getTestsAbortedCount() > 0, "nothing was skipped");
        assertTrue(declared.getTestsSucceededCount() > 0, "nothing ran");
    }

    @Test
    void declaringTheCheckedDecisionSkipsTheCheck() {
        Assumptions.assumeFalse(NestedRun.remoteTarget(), "the self-test runs against the embedded mock only");
        Probe p = probe();
        TestExecutionSummary s = run(p.check(), p.decision());
        assertEquals(0, s.getTestsStartedCount(), p.check().name() + " ran although " + p.decision() + " was declared");
        assertEquals(1, s.getTestsSkippedCount(), p.check().name());
    }

    @Test
    void declaringAnotherDecisionLeavesTheCheckRunning() {
        Assumptions.assumeFalse(NestedRun.remoteTarget(), "the self-test runs against the embedded mock only");
        Probe p = probe();
        String other = catalogue.decisions().stream().map(Catalogue.Decision::id)
                .filter(d -> p.check().requirements().stream().map(catalogue::find).flatMap(Optional::stream)
                        .noneMatch(e -> e.decision().equals(d)))
                .findFirst().orElseThrow();
        TestExecutionSummary s = run(p.check(), other);
        assertEquals(1, s.getTestsStartedCount(), p.check().name() + " did not run with " + other + " declared");
        assertEquals(1, s.getTestsSucceededCount(), p.check().name() + " failed against the healthy mock");
    }

    @Test
    void anUnknownDecisionFailsTheRunOnceAndSkipsTheRest() {
        Assumptions.assumeFalse(NestedRun.remoteTarget(), "the self-test runs against the embedded mock only");
        List<CheckIndex.Check> two = CheckIndex.all().subList(0, 2);
        TestExecutionSummary s = NestedRun.run(Map.of(TargetConfig.READINGS, "DEC-9999"),
                selectMethod(two.get(0).type(), two.get(0).method()), selectMethod(two.get(1).type(), two.get(1).method()));
        assertEquals(0, s.getTestsSucceededCount());
        assertEquals(1, s.getTotalFailureCount(), "an unknown decision id must fail the run once, not pass it or fail every check");
        assertEquals(1, s.getTestsSkippedCount(), "the other check is skipped, naming the reason");
        String messages = s.getFailures().stream().map(f -> String.valueOf(f.getException().getMessage()))
                .reduce("", String::concat);
        assertTrue(messages.contains("runpod.readings"), messages);
    }
}
