package dev.runpodkit.conformance.selftest;

import dev.runpodkit.conformance.target.TargetConfig;
import java.util.Map;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The self-tests' way to run checks inside a test: a nested JUnit run, on its own target, that reports nowhere. */
final class NestedRun {

    private NestedRun() {
    }

    /** Runs the selected checks as a self-test run with these settings (TargetConfig keys) and sums up the outcome. */
    static TestExecutionSummary run(Map<String, String> settings, DiscoverySelector... selectors) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .configurationParameter(TargetConfig.SELFTEST, "true")
                .configurationParameters(settings)
                .build();
        // no auto-registered listeners: the nested runs must not reach the Allure results or the summary
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false).build())
                .execute(request, listener);
        return listener.getSummary();
    }

    /** Whether the suite runs against a URL rather than the embedded mock: the self-tests need the embedded mock. */
    static boolean remoteTarget() {
        return System.getProperty(TargetConfig.BASE_URL) != null || System.getenv(TargetConfig.envName(TargetConfig.BASE_URL)) != null;
    }
}
