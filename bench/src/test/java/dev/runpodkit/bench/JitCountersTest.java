package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's warm-up reads a server's JIT from jcmd's perf counters; a reading it cannot make ends it. */
class JitCountersTest {

    @Test
    void compileTimeIsStandardPlusOsrInSecondsWithTheNumberOfCompilerThreads() {
        String out = """
                12345:
                sun.ci.osrTime=500000000
                sun.ci.standardTime=2500000000
                sun.ci.threads=2
                sun.os.hrt.frequency=1000000000
                sun.ci.lastMethod="java/util/HashMap putVal"
                """;
        assertArrayEquals(new double[] {3.0, 2.0}, Benchmark.parseJitCounters(out), 1e-9);
    }

    @Test
    void missingOrGarbledCountersGiveNoReading() {
        assertNull(Benchmark.parseJitCounters("12345:\nsun.ci.threads=2\n"));
        assertNull(Benchmark.parseJitCounters("sun.ci.osrTime=x\nsun.ci.standardTime=1\nsun.ci.threads=2\nsun.os.hrt.frequency=1\n"));
    }

    @Test
    void thisJvmCanBeRead() {
        double[] first = Benchmark.jitBusySeconds(ProcessHandle.current().pid());
        assertNotNull(first, "jcmd could not read this JVM's perf counters");
        assertTrue(first[0] > 0 && first[1] >= 1, first[0] + " s on " + first[1] + " threads");
    }
}
