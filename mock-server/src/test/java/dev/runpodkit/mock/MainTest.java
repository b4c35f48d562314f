package dev.runpodkit.mock;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.SettingsParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's informational paths (the others end in System.exit and are covered through SettingsParser). */
class MainTest {

    private static String stdoutOf(String... args) throws InterruptedException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Main.main(args);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsageAndReturns() throws InterruptedException {
        String out = stdoutOf("--port", "1", "--help");
        assertTrue(out.startsWith("Usage: java -jar runpod-mock.jar"), out);
        assertTrue(out.contains("RUNPOD_MOCK_TIME_SCALE"), out);
        assertTrue(stdoutOf("-h").startsWith("Usage:"));
    }

    @Test
    void listDefectsPrintsEveryDefectWithItsDescription() throws InterruptedException {
        String out = stdoutOf("--list-defects");
        for (Defect d : Defect.values()) {
            assertTrue(out.contains(d.flagName() + " "), d.flagName());
            assertTrue(out.contains(d.description()), d.description());
        }
    }

    private static String bannerOf(String... args) {
        return Main.banner("http://127.0.0.1:8080", SettingsParser.parse(args, Map.of()));
    }

    @Test
    void theBannerSaysWhichEndpointsHaveBuiltInWorkersAndWhichWaitForExternalOnes() {
        // with ep-b external, the banner said "built-in workers per endpoint: 2..2" for the whole mock
        String some = bannerOf("--endpoint", "ep-a", "--endpoint", "ep-b", "--endpoint-mode", "ep-b=external");
        assertFalse(some.contains("built-in workers per endpoint"), some);
        assertTrue(some.contains("built-in workers (2..2 per endpoint) on ep-a; none on ep-b (mode external"), some);
        assertTrue(some.contains("/v2/ep-a/run (built-in workers)") && some.contains("/v2/ep-b/run (external workers)"), some);
        assertTrue(some.contains("run your own handler on endpoint ep-b"), some);

        String most = bannerOf("--mode", "external", "--endpoint", "x", "--endpoint", "y", "--endpoint", "z",
                "--endpoint-mode", "y=builtin", "--workers", "3");
        assertTrue(most.contains("built-in workers (3..3 per endpoint) on y; none on x, z"), most);

        String all = bannerOf("--mode", "external");
        assertTrue(all.contains("no built-in workers (mode external"), all);
        assertFalse(all.contains("(external workers)"), "one mode for all: no mark per endpoint: " + all);
        String none = bannerOf();
        assertTrue(none.contains("built-in workers per endpoint: 2..2"), none);
        assertFalse(none.contains("(built-in workers)"), none);
    }
}
