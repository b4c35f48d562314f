package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetConfig;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failsafe copies the test JVM's system properties into every JUnit XML report, so a key given as
 * -Drunpod.apiKey must be gone from them before the first test class ends, and still reach the target.
 */
class ApiKeyPropertyTest {

    @AfterEach
    void clear() {
        System.clearProperty(TargetConfig.API_KEY);
        ApiKeyHandOff.forget();
    }

    @Test
    void theLauncherSessionTakesTheKeyOutBeforeAnyTestRuns() {
        System.setProperty(TargetConfig.API_KEY, "key-from-the-command-line");
        new ApiKeyHandOff().launcherSessionOpened(null);
        assertNull(System.getProperty(TargetConfig.API_KEY));
        assertEquals("key-from-the-command-line", ApiKeyHandOff.key().orElseThrow());
    }

    @Test
    void aKeyGivenAsASystemPropertyIsTakenOutOfTheSystemProperties() throws Exception {
        System.setProperty(TargetConfig.API_KEY, "key-from-the-command-line");
        // a closed loopback port: nothing answers the admin probe, so the target is a plain remote endpoint
        Map<String, String> given = Map.of(TargetConfig.BASE_URL, "http://127.0.0.1:1/v2", TargetConfig.ENDPOINT_ID, "ep");
        TargetConfig config = new TargetConfig(k -> Optional.ofNullable(given.get(k)).or(() -> Optional.ofNullable(System.getProperty(k))));
        try (Target target = ConformanceExtension.createTarget(config)) {
            assertEquals("key-from-the-command-line", target.apiKey());
            assertNull(System.getProperty(TargetConfig.API_KEY), "the key would be written into every JUnit XML report");
        }
    }
}
