package dev.runpodkit.mock.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a runpod-python worker needs to work against this mock (runpod-api.md §6.2.1;
 * wire-captures.md §3): the four URL templates, each with a {@code ?query} because the worker appends
 * {@code &...}; the worker key; a pod id; the ping interval; and the two switches that skip the start-up
 * fitness checks (one of which opens a connection to a public DNS server).
 *
 * <p>API keys are never printed: the key is shown only when it is the well-known default {@code test-key};
 * otherwise the value is a placeholder to replace with one of the keys the mock was started with.
 */
public final class WorkerEnvironment {

    public static final String DEFAULT_POD_ID = "local-worker-1";
    public static final String DEFAULT_KEY = "test-key";
    public static final String KEY_PLACEHOLDER = "<one of the --api-key values>";
    /** The worker appends "&..." to every template, so each carries a query; RunPod puts the GPU type there. */
    private static final String QUERY = "?gpu=MOCK";

    private WorkerEnvironment() {
    }

    /**
     * @param baseUrl    the mock's root URL, e.g. {@code http://127.0.0.1:8080}
     * @param timeScale  the clock's speed: RUNPOD_PING_INTERVAL is wall-clock ms, the mock's interval is mock time
     */
    public static Map<String, String> of(String baseUrl, String endpointId, Settings settings, double timeScale, String podId) {
        String ep = baseUrl.replaceAll("/+$", "") + "/v2/" + endpointId;
        String query = settings.has(Defect.WORKER_ENV_NO_QUERY) ? "" : QUERY;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RUNPOD_WEBHOOK_GET_JOB", ep + "/job-take/$ID" + query);
        env.put("RUNPOD_WEBHOOK_POST_OUTPUT", ep + "/job-done/$RUNPOD_POD_ID/$ID" + query);
        env.put("RUNPOD_WEBHOOK_POST_STREAM", ep + "/job-stream/$RUNPOD_POD_ID/$ID" + query);
        env.put("RUNPOD_WEBHOOK_PING", ep + "/ping/$RUNPOD_POD_ID" + query);
        env.put("RUNPOD_AI_API_KEY", keyShown(settings) ? DEFAULT_KEY : KEY_PLACEHOLDER);
        env.put("RUNPOD_POD_ID", podId == null || podId.isBlank() ? DEFAULT_POD_ID : podId);
        env.put("RUNPOD_ENDPOINT_ID", endpointId);
        env.put("RUNPOD_PING_INTERVAL", Long.toString(pingIntervalWallMs(settings, timeScale)));
        env.put("RUNPOD_SKIP_AUTO_SYSTEM_CHECKS", "true");
        env.put("RUNPOD_SKIP_GPU_CHECK", "true");
        return env;
    }

    /**
     * RUNPOD_PING_INTERVAL: the mock's ping interval in wall-clock ms, in whole seconds and at least 1000. The worker
     * reads the value as ms but pings every {@code int(value) // 1000} seconds (rp_ping.Heartbeat), with a request
     * timeout of twice that: a value under 1000 made both 0, and the 0 s timeout is refused by requests (a ValueError
     * its ping loop does not catch), so the ping process died at its first ping.
     */
    public static long pingIntervalWallMs(Settings settings, double timeScale) {
        double scale = timeScale > 0 ? timeScale : 1;
        long wallMs = (long) Math.floor(settings.workerPingIntervalMs / scale);
        return Math.max(1000, wallMs / 1000 * 1000);
    }

    /**
     * When the worker's pings, at the interval it is given (at least one second of wall time), come further apart in
     * mock time than the lost-worker limit: what to do about it; else null. A worker that only pings while it runs
     * a job (before runpod-python 1.10 there is no job-stop long-poll to keep it alive) would be lost between pings.
     */
    public static String pingWarning(Settings settings, double timeScale) {
        double scale = timeScale > 0 ? timeScale : 1;
        double pingMockMs = pingIntervalWallMs(settings, timeScale) * scale;
        long limit = settings.workerLostAfterMs();
        if (pingMockMs < limit) {
            return null;
        }
        return "at time scale " + scale + " the worker pings every " + Math.round(pingMockMs) + " ms of mock time"
                + " (runpod-python pings at most once a second), not within the " + limit + " ms after which a silent"
                + " worker is lost; a busy worker not waiting in a job-stop (runpod-python before 1.10) loses its job:"
                + " lower --time-scale or raise --worker-ping-interval-ms";
    }

    /** Only the default key is printed; a configured key is a secret. */
    public static boolean keyShown(Settings settings) {
        return settings.apiKeys.equals(List.of(DEFAULT_KEY));
    }

    /** {@code export NAME='value'} lines for a POSIX shell; single quotes keep {@code $ID} literal. */
    public static String shell(Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : env.entrySet()) {
            sb.append("export ").append(e.getKey()).append("='").append(e.getValue().replace("'", "'\\''")).append("'\n");
        }
        return sb.toString();
    }

    /** The banner block printed at start-up for one external endpoint. */
    public static String banner(String baseUrl, String endpointId, Settings settings, double timeScale) {
        StringBuilder sb = new StringBuilder();
        sb.append("  run your own handler on endpoint ").append(endpointId)
                .append(" (python handler.py with runpod-python): paste these, then start it\n");
        for (String line : shell(of(baseUrl, endpointId, settings, timeScale, DEFAULT_POD_ID)).split("\n")) {
            sb.append("    ").append(line).append('\n');
        }
        String warning = pingWarning(settings, timeScale);
        if (warning != null) {
            sb.append("    # WARNING: ").append(warning).append('\n');
        }
        if (!keyShown(settings)) {
            sb.append("    # RUNPOD_AI_API_KEY: put one of your --api-key values there (keys are never printed)\n");
        }
        sb.append("    # a second worker needs its own RUNPOD_POD_ID; GET ").append(baseUrl)
                .append("/__admin/worker-env?endpoint=").append(endpointId).append(" gives this as JSON\n");
        return sb.toString();
    }
}
