package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.MockServer;
import dev.runpodkit.mock.config.Settings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The heap that N queued jobs with 1 KB inputs take (target: under 512 MB for 100,000). The mock runs in this
 * JVM with no workers, so every job stays queued; jobs go in through HTTP as a client sends them. The figure is
 * the heap in use after a full GC with the jobs queued, minus the same before. Every {@code mvn verify} queues
 * 20,000 and projects (the heap per job is flat); {@code -Psoak} queues the full 100,000.
 */
class QueuedJobsMemoryIT {

    private static final long LIMIT_BYTES = 512L * 1024 * 1024;

    @Test
    @DisplayName("queued jobs with 1 KB inputs: 100,000 take less than 512 MB of heap")
    void queuedJobsFitInHalfAGigabyte() throws Exception {
        int jobs = (int) Reliability.longProperty("bench.memory.jobs", 100_000);
        String apiKey = Reliability.randomKey("memory-key");
        Reliability.recordSecrets("memory", List.of(apiKey));
        Settings s = new Settings();
        s.port = 0;
        s.rateLimits = false; // 20,000+ /run calls in seconds: the documented 1000 per 10 s would refuse them
        s.requestLog = false;
        s.apiKeys = new ArrayList<>(List.of(apiKey));
        s.endpoints = new ArrayList<>(List.of("mem-ep"));
        s.workersMin = 0;
        s.workersMax = 0; // nothing runs: every job stays queued
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (MockServer mock = MockServer.start(s)) {
            Reliability.Client client = new Reliability.Client(mock.baseUrl(), apiKey, null);
            client.send("GET", "/v2/mem-ep/health", null); // the routes, the JSON mapper and the client are warm
            long before = usedAfterGc(memory);
            long t0 = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            AtomicLong inputBytes = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> senders = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                senders.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < jobs) {
                        String input = input(i);
                        inputBytes.addAndGet(input.length());
                        Reliability.Reply r = client.send("POST", "/v2/mem-ep/run", "{\"input\":" + input + "}");
                        if (r.status() != 200) {
                            throw new AssertionError("/run answered " + r.status() + ": " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : senders) {
                f.get(30, TimeUnit.MINUTES);
            }
            pool.shutdown();
            double seconds = (System.nanoTime() - t0) / 1e9;
            JsonNode health = client.send("GET", "/v2/mem-ep/health", null).json().get("jobs");
            assertEquals(jobs, health.get("inQueue").asLong(), "every job is queued: " + health);
            long after = usedAfterGc(memory);
            long retained = after - before;

            ObjectNode report = Reliability.JSON.createObjectNode();
            report.put("queuedJobs", jobs);
            report.put("averageInputBytes", inputBytes.get() / jobs);
            report.put("heapUsedBeforeMB", mb(before));
            report.put("heapUsedAfterMB", mb(after));
            report.put("retainedMB", mb(retained));
            report.put("bytesPerJob", retained / jobs);
            report.put("projectedMBFor100000", mb(retained / jobs * 100_000));
            report.put("limitMB", 512);
            report.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                    + ", max heap " + mb(Runtime.getRuntime().maxMemory()) + " MB, "
                    + ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(a -> a.startsWith("-X") && !a.startsWith("-XX:+Heap")).toList());
            report.put("submitSeconds", Math.round(seconds * 10) / 10.0);
            report.put("method", "mock in this JVM, 0 workers; jobs sent through HTTP by 8 clients; heap in use after"
                    + " System.gc() with the jobs queued minus before (MemoryMXBean)");
            Files.writeString(Reliability.reportsDir("memory").resolve("memory.json"),
                    Reliability.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
            System.out.println("memory: " + report);
            assertTrue(retained / jobs * 100_000 < LIMIT_BYTES,
                    "100,000 queued jobs would take " + mb(retained / jobs * 100_000) + " MB of heap");
        }
    }

    /** A 1 KB input object (as JSON text): a prompt of random words and a few small fields. */
    private static String input(int i) {
        Random rnd = new Random(i);
        StringBuilder prompt = new StringBuilder();
        while (prompt.length() < 950) {
            int len = 3 + rnd.nextInt(8);
            for (int k = 0; k < len; k++) {
                prompt.append((char) ('a' + rnd.nextInt(26)));
            }
            prompt.append(' ');
        }
        return "{\"prompt\":\"" + prompt + "\",\"n\":" + i + ",\"temperature\":0.7}";
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long mb(long bytes) {
        return Math.round(bytes / (1024.0 * 1024.0));
    }
}
