package dev.runpodkit.conformance.target;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import java.util.List;
import java.util.UUID;

/** Starts the mock in-process on a random loopback port with an accelerated clock: the suite's default target. */
public final class EmbeddedMock {

    public static final String ENDPOINT_ID = "conformance-ep";
    public static final double DEFAULT_TIME_SCALE = 20.0;

    private EmbeddedMock() {
    }

    public static MockServer start(double timeScale, List<String> defects, String apiKey) {
        Settings s = new Settings();
        s.host = "127.0.0.1";
        s.port = 0;
        s.requestLog = false;
        s.apiKeys = new java.util.ArrayList<>(List.of(apiKey));
        s.endpoints = new java.util.ArrayList<>(List.of(ENDPOINT_ID));
        s.timeScale = timeScale;
        for (String d : defects) {
            s.defects.add(Defect.fromFlag(d));
        }
        return MockServer.start(s);
    }

    public static String randomKey() {
        return "ck-" + UUID.randomUUID();
    }
}
