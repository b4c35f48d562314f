package dev.runpodkit.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schemas with a second validator: sdk-compat/ajv/check.mjs compiles every file with Ajv (draft 2020-12, strict
 * mode, ajv-formats; versions pinned in its package-lock.json) and gives each golden example Ajv's verdict, which must
 * be the one {@link ExamplesTest} expects from networknt. Run by failsafe ({@code mvn verify}). Needs Node.js and npm,
 * and installs Ajv from the npm registry (or npm's cache) with {@code npm ci}; skipped, with the reason, where any of
 * that is missing. Fails when check.mjs reports a problem.
 */
class AjvPortabilityIT {

    private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().startsWith("windows");
    private static final String NPM = WINDOWS ? "npm.cmd" : "npm";

    /** {@code -Drunpod.ajvCheckDir} (set by the pom), else {@code ../sdk-compat/ajv} from the module directory. */
    private static Path checkDir() {
        return Paths.get(System.getProperty("runpod.ajvCheckDir", "../sdk-compat/ajv")).toAbsolutePath().normalize();
    }

    /** {@code -Drunpod.schemasDir} (set by the pom), else the working directory: surefire and failsafe run in the module. */
    private static Path schemasDir() {
        return Paths.get(System.getProperty("runpod.schemasDir", ".")).toAbsolutePath().normalize();
    }

    /** A finished command: its exit value (-1 when it could not start) and its merged stdout and stderr. */
    private record Run(int exit, String output) {}

    private static Run run(Path dir, long timeoutSeconds, List<String> command) throws Exception {
        File log = Files.createTempFile("ajv-check", ".log").toFile();
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                        .redirectOutput(log).start();
            } catch (IOException e) {
                return new Run(-1, e.getMessage());
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Run(-1, command + " did not end within " + timeoutSeconds + " s\n"
                        + Files.readString(log.toPath(), StandardCharsets.UTF_8));
            }
            return new Run(p.exitValue(), Files.readString(log.toPath(), StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log.toPath());
        }
    }

    /** Node's major version, or 0 when {@code node} does not run. */
    private static int nodeMajor(Path dir) throws Exception {
        Run r = run(dir, 30, List.of("node", "--version"));
        String v = r.output().trim();
        if (r.exit() != 0 || !v.matches("v\\d+\\..*")) {
            return 0;
        }
        return Integer.parseInt(v.substring(1, v.indexOf('.')));
    }

    /** node_modules is missing a pinned package, or is older than package-lock.json: {@code npm ci} is due. */
    private static boolean installNeeded(Path dir) throws IOException {
        Path hidden = dir.resolve("node_modules").resolve(".package-lock.json"); // npm writes it on every install
        return !Files.isDirectory(dir.resolve("node_modules").resolve("ajv"))
                || !Files.isDirectory(dir.resolve("node_modules").resolve("ajv-formats"))
                || !Files.exists(hidden)
                || Files.getLastModifiedTime(hidden).compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json"))) < 0;
    }

    /** npm's own error lines without the stack trace under them, at most a few. */
    private static String npmErrors(String log) {
        List<String> errors = log.lines().filter(l -> l.startsWith("npm error") && !l.matches("npm error\\s+at .*"))
                .limit(6).toList();
        return errors.isEmpty() ? log.strip() : String.join("\n", errors);
    }

    @Test
    void every_schema_compiles_with_ajv_in_strict_mode_and_every_example_gets_the_expected_verdict() throws Exception {
        Path dir = checkDir();
        Path schemas = schemasDir();
        assumeTrue(Files.exists(dir.resolve("check.mjs")), "sdk-compat/ajv/check.mjs not found at " + dir);
        assertTrue(Files.isDirectory(schemas.resolve("json")) && Files.isDirectory(schemas.resolve("examples")),
                "not the schemas module: " + schemas);
        int major = nodeMajor(dir);
        assumeTrue(major > 0, "Node.js is not installed (node --version failed)");
        assumeTrue(major >= 16, "Node.js " + major + " is too old for check.mjs (16 or later)");

        if (installNeeded(dir)) {
            assumeTrue(run(dir, 30, List.of(NPM, "--version")).exit() == 0, "npm is not installed");
            // --prefer-offline: npm's cache is enough when it holds the pinned versions, so no registry round trip;
            // a registry that does not answer gives up in about a minute rather than npm's default five
            Run ci = run(dir, 180, List.of(NPM, "ci", "--prefer-offline", "--no-audit", "--no-fund",
                    "--fetch-timeout=30000", "--fetch-retries=1"));
            assumeTrue(ci.exit() == 0, "npm ci failed (no registry?): " + npmErrors(ci.output()));
        }

        Run check = run(dir, 120, List.of("node", "check.mjs", schemas.toString()));
        System.out.println(check.output());
        // the failing lines first: a report shows a message's first line
        String failures = check.output().lines().filter(l -> l.startsWith("FAIL")).collect(Collectors.joining("\n"));
        String message = (failures.isEmpty() ? "check.mjs exited " + check.exit() : failures) + "\n\n" + check.output();
        assertTrue(check.output().contains(" samples checked, 0 failed"), message);
        assertEquals(0, check.exit(), message);
    }
}
