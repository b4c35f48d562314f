package dev.runpodkit.conformance.target;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the suite's settings come from. Each key can be given as a JUnit configuration parameter or a system
 * property ({@code mvn verify -Drunpod.baseUrl=...}) or as an environment variable (RUNPOD_BASE_URL).
 */
public final class TargetConfig {

    public static final String BASE_URL = "runpod.baseUrl";
    public static final String ENDPOINT_ID = "runpod.endpointId";
    public static final String API_KEY = "runpod.apiKey";
    public static final String TIER = "runpod.tier";
    public static final String HANDLER = "runpod.handler";
    public static final String TIME_SCALE = "runpod.timeScale";
    public static final String DEFECTS = "runpod.defects";
    public static final String WEBHOOK_PUBLIC_URL = "runpod.webhookPublicUrl";
    public static final String WEBHOOK_PORT = "runpod.webhookPort";
    /** Settings for the embedded mock, as the JSON object PATCH /__admin/settings takes, e.g. {"streamShape": "ARRAY"}. */
    public static final String MOCK_SETTINGS = "runpod.mockSettings";
    /** Decisions (DEC-*) the target reads otherwise: the checks that expect the catalogue's reading are skipped. */
    public static final String READINGS = "runpod.readings";
    /** An endpoint of this project's mock in mode external, for the worker-protocol checks (the embedded mock has one). */
    public static final String WORKER_ENDPOINT_ID = "runpod.workerEndpointId";
    /** Internal: set by the self-test's nested runs, so they neither report nor soften failures into warnings. */
    public static final String SELFTEST = "runpod.selftest";

    private final Function<String, Optional<String>> parameters;

    public TargetConfig(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
    }

    public Optional<String> get(String key) {
        Optional<String> value = parameters.apply(key).filter(v -> !v.isBlank());
        if (value.isPresent()) {
            return value.map(String::trim);
        }
        String env = envName(key);
        return Optional.ofNullable(System.getenv(env)).filter(v -> !v.isBlank()).map(String::trim);
    }

    /** runpod.baseUrl → RUNPOD_BASE_URL */
    public static String envName(String key) {
        StringBuilder sb = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (c == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(c)) {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
