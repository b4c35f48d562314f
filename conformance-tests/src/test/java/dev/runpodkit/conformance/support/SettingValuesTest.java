package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A setting with a value the suite does not know fails the set-up naming the setting, instead of being ignored. */
class SettingValuesTest {

    private static TargetConfig config(String... keysAndValues) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            given.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new TargetConfig(k -> Optional.ofNullable(given.get(k)));
    }

    private static String refused(TargetConfig config) {
        return assertThrows(IllegalStateException.class, () -> ConformanceExtension.createTarget(config).close()).getMessage();
    }

    @Test
    void anUnknownHandlerIsRefused() {
        String message = refused(config(TargetConfig.HANDLER, "opak"));
        assertTrue(message.contains("runpod.handler") && message.contains("opaque") && message.contains("mock-worker")
                && message.contains("'opak'"), message);
    }

    @Test
    void theTwoHandlersAreTakenInAnyCase() throws Exception {
        try (Target t = ConformanceExtension.createTarget(config(TargetConfig.HANDLER, "Opaque"))) {
            assertTrue(t.opaqueHandler());
        }
        try (Target t = ConformanceExtension.createTarget(config(TargetConfig.HANDLER, "mock-worker"))) {
            assertEquals(false, t.opaqueHandler());
        }
    }
}
