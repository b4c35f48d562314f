package dev.runpodkit.conformance.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runpodkit.conformance.support.ConformanceExtension;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The unmodified RunPod JS SDK (runpod-sdk 1.1.2, pinned in sdk-compat/js/package-lock.json) against the suite's
 * target: run, runSync, status, statusSync, stream, cancel, health and purgeQueue (wire-captures.md §1). That is the
 * embedded mock by default and the endpoint given with runpod.baseUrl otherwise, so a re-implementation learns
 * whether the real client works against it. It starts jobs with the mock-worker inputs (spend tier cheap, not an
 * opaque handler) and purges the endpoint's queue. Needs Node.js; installs the SDK from the npm registry on first
 * use. Skipped, with the reason, where any of that is missing.
 *
 * <p>Not a catalogue check (it names no requirement and is not run by the defect self-test): its outcome is listed
 * under "Real clients" in the summary.
 */
@ExtendWith(ConformanceExtension.class)
@Spend(Spend.Tier.CHEAP)
@NeedsMockWorker
@DisplayName("The RunPod JS SDK works unmodified against the target")
class JsSdkCompatibilityIT {

    private static Path sdkDir() {
        String root = System.getProperty("runpod.kitRoot", "..");
        return Paths.get(root, "sdk-compat", "js").toAbsolutePath().normalize();
    }

    private static boolean onPath(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String runIn(Path dir, long timeoutSeconds, List<String> command, Map<String, String> env, int[] exit)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within " + timeoutSeconds + " s");
        }
        exit[0] = p.exitValue();
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("every SDK method gives the documented result, and the stream loop ends")
    void everyMethodWorks(Target target) throws Exception {
        Path dir = sdkDir();
        assumeTrue(Files.exists(dir.resolve("check.mjs")), "sdk-compat/js not found at " + dir);
        assumeTrue(onPath("node"), "Node.js is not installed");
        int[] exit = new int[1];
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("runpod-sdk"))) {
            assumeTrue(onPath("npm"), "npm is not installed");
            String log = runIn(dir, 300, List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), exit);
            assumeTrue(exit[0] == 0, "npm ci failed (no registry?): " + log);
        }
        // the key goes in the environment: a command line can be listed by anyone on the machine; the time scale lets
        // a wait for Retry-After (the endpoint's seconds) take the wall time it stands for
        String out = runIn(dir, 240, List.of("node", "check.mjs", target.baseUrl(), target.endpointId()),
                Map.of("RUNPOD_API_KEY", target.apiKey(), "RUNPOD_TIME_SCALE", String.valueOf(target.timeScale())), exit);
        System.out.println(out);
        // the failing lines first: the summary shows a message's first line
        String failures = out.lines().filter(l -> l.startsWith("FAIL")).collect(Collectors.joining("; "));
        String message = (failures.isEmpty() ? "check.mjs exited " + exit[0] : failures) + "\n" + out;
        assertTrue(out.contains(" passed, 0 failed"), message);
        assertEquals(0, exit[0], message);
    }
}
