package dev.runpodkit.conformance.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runpodkit.conformance.target.EmbeddedMock;
import dev.runpodkit.mock.MockServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The unmodified RunPod JS SDK (runpod-sdk 1.1.2, pinned in sdk-compat/js/package-lock.json) against the
 * mock: run, runSync, status, statusSync, stream, cancel, health and purgeQueue (wire-captures.md §1). Needs
 * Node.js; installs the SDK from the npm registry on first use. Skipped, with the reason, where neither is
 * available.
 */
@DisplayName("The RunPod JS SDK works unmodified against the mock")
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

    private static String runIn(Path dir, long timeoutSeconds, List<String> command, int[] exit) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
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
    void everyMethodWorks() throws Exception {
        Path dir = sdkDir();
        assumeTrue(Files.exists(dir.resolve("check.mjs")), "sdk-compat/js not found at " + dir);
        assumeTrue(onPath("node"), "Node.js is not installed");
        int[] exit = new int[1];
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("runpod-sdk"))) {
            assumeTrue(onPath("npm"), "npm is not installed");
            String log = runIn(dir, 300, List.of("npm", "ci", "--no-audit", "--no-fund"), exit);
            assumeTrue(exit[0] == 0, "npm ci failed (no registry?): " + log);
        }
        String key = EmbeddedMock.randomKey();
        try (MockServer mock = EmbeddedMock.start(10.0, List.of(), key)) {
            String out = runIn(dir, 180, List.of("node", "check.mjs", mock.baseUrl() + "/v2", key, EmbeddedMock.ENDPOINT_ID), exit);
            System.out.println(out);
            assertTrue(out.contains(" passed, 0 failed"), out);
            assertEquals(0, exit[0], out);
        }
    }
}
