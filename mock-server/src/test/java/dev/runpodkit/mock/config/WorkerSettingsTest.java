package dev.runpodkit.mock.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The worker-protocol settings: flags, environment variables, their checks, and the printed worker environment. */
class WorkerSettingsTest {

    @Test
    void modeAndWorkerKnobsComeFromFlagsAndEnvironment() {
        Settings s = SettingsParser.parse(new String[] {"--mode", "external", "--worker-take-wait-ms", "20000",
                "--worker-ping-interval-ms=2000", "--worker-lost-after-pings", "5", "--lost-worker-retries", "0", "--strip-empty-input"}, Map.of());
        assertEquals(Settings.Mode.EXTERNAL, s.mode);
        assertEquals(Settings.Mode.EXTERNAL, s.modeOf("test-endpoint"));
        assertEquals(20_000, s.workerTakeWaitMs);
        assertEquals(10_000, s.workerLostAfterMs());
        assertEquals(0, s.lostWorkerRetries);
        assertTrue(s.stripEmptyInput);

        Settings e = SettingsParser.parse(new String[0], Map.of("RUNPOD_MOCK_MODE", "external",
                "RUNPOD_MOCK_ENDPOINTS", "a,b", "RUNPOD_MOCK_ENDPOINT_MODES", "b=builtin"));
        assertEquals(Settings.Mode.EXTERNAL, e.modeOf("a"));
        assertEquals(Settings.Mode.BUILTIN, e.modeOf("b"));
        assertEquals("builtin", ((Map<?, ?>) e.describe().get("endpointModes")).get("b"));
    }

    @Test
    void badWorkerSettingsAreRefused() {
        assertThrows(SettingsParser.BadArguments.class, () -> SettingsParser.parse(new String[] {"--worker-take-wait-ms", "90000"}, Map.of()));
        assertThrows(SettingsParser.BadArguments.class, () -> SettingsParser.parse(new String[] {"--mode", "both"}, Map.of()));
        assertThrows(SettingsParser.BadArguments.class, () -> SettingsParser.parse(new String[] {"--endpoint-mode", "x=external"}, Map.of()));
        assertThrows(SettingsParser.BadArguments.class, () -> SettingsParser.parse(new String[] {"--endpoint-mode", "test-endpoint"}, Map.of()));
        assertThrows(SettingsParser.BadArguments.class, () -> SettingsParser.parse(new String[] {"--worker-lost-after-pings", "0"}, Map.of()));
    }

    @Test
    void theWorkerEnvironmentIsReadyToPasteAndNeverShowsAConfiguredKey() {
        Settings s = new Settings();
        String banner = WorkerEnvironment.banner("http://127.0.0.1:8080", "test-endpoint", s, 1.0);
        assertTrue(banner.contains("export RUNPOD_WEBHOOK_GET_JOB='http://127.0.0.1:8080/v2/test-endpoint/job-take/$ID?gpu=MOCK'"), banner);
        assertTrue(banner.contains("export RUNPOD_WEBHOOK_POST_OUTPUT='http://127.0.0.1:8080/v2/test-endpoint/job-done/$RUNPOD_POD_ID/$ID?gpu=MOCK'"), banner);
        assertTrue(banner.contains("export RUNPOD_WEBHOOK_POST_STREAM='http://127.0.0.1:8080/v2/test-endpoint/job-stream/$RUNPOD_POD_ID/$ID?gpu=MOCK'"), banner);
        assertTrue(banner.contains("export RUNPOD_WEBHOOK_PING='http://127.0.0.1:8080/v2/test-endpoint/ping/$RUNPOD_POD_ID?gpu=MOCK'"), banner);
        assertTrue(banner.contains("export RUNPOD_AI_API_KEY='test-key'"), banner);
        assertTrue(banner.contains("export RUNPOD_POD_ID='local-worker-1'"), banner);
        assertTrue(banner.contains("export RUNPOD_SKIP_AUTO_SYSTEM_CHECKS='true'"), banner);
        assertTrue(banner.contains("export RUNPOD_SKIP_GPU_CHECK='true'"), banner);

        s.apiKeys = new java.util.ArrayList<>(java.util.List.of("sk-live-secret"));
        String hidden = WorkerEnvironment.banner("http://127.0.0.1:8080", "test-endpoint", s, 20.0);
        assertFalse(hidden.contains("sk-live-secret"), hidden);
        assertTrue(hidden.contains(WorkerEnvironment.KEY_PLACEHOLDER), hidden);
        assertTrue(hidden.contains("export RUNPOD_PING_INTERVAL='1000'"),
                "the interval is wall-clock ms at time x20 (500), at least the 1 s runpod-python can ping at: " + hidden);
    }
}
