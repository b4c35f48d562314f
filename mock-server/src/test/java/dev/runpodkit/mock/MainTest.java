package dev.runpodkit.mock;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Defect;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
