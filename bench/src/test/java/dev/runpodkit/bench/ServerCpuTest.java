package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark's server CPU per request comes from /proc/PID/stat: user plus system time, in clock ticks. */
class ServerCpuTest {

    @Test
    void userPlusSystemTicksEvenWhenTheCommandNameHasSpacesAndParentheses() {
        // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
        String stat = "4242 (java (mock) x) S 1 4242 4242 0 -1 4194560 900 0 3 0 1234 567 0 0 20 0 40 0 777 0\n";
        assertEquals(1234 + 567, Benchmark.parseCpuTicks(stat));
    }

    @Test
    void thisVeryProcessHasUsedSomeCpu() {
        long ticks = Benchmark.cpuTicks(ProcessHandle.current().pid());
        assertTrue(ticks > 0, "read " + ticks + " ticks of this JVM's CPU time from /proc");
        assertEquals(-1, Benchmark.cpuTicks(Long.MAX_VALUE), "no such process: no reading");
    }
}
