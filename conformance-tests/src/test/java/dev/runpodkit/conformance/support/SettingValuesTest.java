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
    void aTimeScaleThatIsNoPositiveNumberIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"abc", "0", "-5", "NaN", "Infinity", "20x"}) {
            String message = refused(config(TargetConfig.TIME_SCALE, bad));
            assertTrue(message.contains("runpod.timeScale") && message.contains("'" + bad + "'"), message);
        }
    }

    @Test
    void aWebhookPortThatIsNoPortIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"abc", "-1", "65536", "80.5"}) {
            // a closed loopback port: nothing answers, and no request is needed to read the settings
            String message = refused(config(TargetConfig.BASE_URL, "http://127.0.0.1:1/v2", TargetConfig.ENDPOINT_ID, "ep",
                    TargetConfig.API_KEY, "k", TargetConfig.WEBHOOK_PORT, bad));
            assertTrue(message.contains("runpod.webhookPort") && message.contains("'" + bad + "'"), message);
        }
    }

    @Test
    void aPublicWebhookUrlWithoutItsPortIsRefused() {
        // the receiver would listen on a random port no tunnel forwards to, and every webhook check would time out
        String message = refused(config(TargetConfig.BASE_URL, "http://127.0.0.1:1/v2", TargetConfig.ENDPOINT_ID, "ep",
                TargetConfig.API_KEY, "k", TargetConfig.WEBHOOK_PUBLIC_URL, "https://abc.example-tunnel.test/hook"));
        assertTrue(message.contains("runpod.webhookPort is needed") && message.contains("https://abc.example-tunnel.test/hook"), message);
    }

    @Test
    void aTimeScaleGivenWithAUrlIsSaidToBeIgnored() throws Exception {
        try (Target t = ConformanceExtension.createTarget(config(
                TargetConfig.BASE_URL, "http://127.0.0.1:1/v2", TargetConfig.ENDPOINT_ID, "ep", TargetConfig.API_KEY, "k",
                TargetConfig.TIME_SCALE, "50"))) {
            assertTrue(t.description().contains("runpod.timeScale 50 ignored"), t.description());
            assertEquals(1.0, t.timeScale(), "a URL that is not this project's mock runs on the wall clock");
        }
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
