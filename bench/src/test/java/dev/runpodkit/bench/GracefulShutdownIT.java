package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * SIGTERM during load: the mock jar runs as a child process, 24 clients keep /run, /status and long /runsync
 * holds going, and the process gets SIGTERM (through its process handle). Every request the server was
 * already working on must be answered (held /runsync requests with the job as it is), and the process must exit
 * within the bound.
 */
class GracefulShutdownIT {

    /** Drain (5 s at most, HttpServer.STOP_TIMEOUT_MS) plus JVM exit, with room for a busy machine. */
    private static final long EXIT_BOUND_MS = 10_000;
    /** A request sent this long before SIGTERM has certainly reached the server. */
    private static final long CERTAINLY_IN_FLIGHT_MS = 200;

    private record Call(String kind, long startNanos, long endNanos, int status, String error) { }

    @Test
    @DisplayName("SIGTERM under load answers the requests in flight and exits within 10 s")
    void sigtermDrains() throws Exception {
        String apiKey = Reliability.randomKey("shutdown-key");
        Reliability.recordSecrets("shutdown", List.of(apiKey));
        ServerProcess mock = Reliability.startMock("shutdown-mock", List.of("-Xmx512m"),
                List.of("--port", "0", "--api-key", apiKey, "--endpoint", "ep", "--workers", "4", "--rate-limits", "off"));
        List<Call> calls = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        long sigtermNanos;
        long exitMs;
        try {
            Reliability.Client client = new Reliability.Client(mock.baseUrl(), apiKey, null);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 24; c++) {
                int n = c;
                clients.add(pool.submit(() -> {
                    while (!stop.get()) {
                        String kind = n % 3 == 0 ? "runsync" : n % 3 == 1 ? "run+status" : "runsync-short";
                        long t0 = System.nanoTime();
                        try {
                            int status;
                            if (kind.equals("run+status")) {
                                Reliability.Reply r = client.send("POST", "/v2/ep/run", "{\"input\":{\"mock_delay\":0.2}}");
                                status = r.status();
                                if (status == 200) {
                                    status = client.send("GET", "/v2/ep/status/" + r.field("id"), null).status();
                                }
                            } else {
                                // held by the server: seconds of work behind a 90 s default wait
                                double delay = kind.equals("runsync") ? 2 + ThreadLocalRandom.current().nextDouble() * 3 : 0.05;
                                status = client.send("POST", "/v2/ep/runsync", "{\"input\":{\"mock_delay\":" + delay + "}}").status();
                            }
                            calls.add(new Call(kind, t0, System.nanoTime(), status, null));
                        } catch (Exception e) {
                            calls.add(new Call(kind, t0, System.nanoTime(), -1, e.getClass().getSimpleName()));
                            if (System.nanoTime() > t0 && stop.get()) {
                                return null;
                            }
                            Thread.sleep(20);
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(3_000); // the holds are well under way
            sigtermNanos = System.nanoTime();
            mock.terminate();
            boolean exited = mock.awaitExit(EXIT_BOUND_MS + 20_000);
            exitMs = (System.nanoTime() - sigtermNanos) / 1_000_000;
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
            assertTrue(exited, "the mock did not exit within " + (EXIT_BOUND_MS + 20_000) + " ms of SIGTERM");
        } finally {
            stop.set(true);
            pool.shutdownNow();
            mock.close();
        }

        long certainBefore = sigtermNanos - TimeUnit.MILLISECONDS.toNanos(CERTAINLY_IN_FLIGHT_MS);
        List<Call> inFlight = new ArrayList<>();
        List<Call> unanswered = new ArrayList<>();
        Map<String, Integer> afterSigterm = new TreeMap<>();
        for (Call c : List.copyOf(calls)) {
            if (c.startNanos() < certainBefore && c.endNanos() > sigtermNanos) {
                inFlight.add(c);
                if (c.status() != 200) {
                    unanswered.add(c);
                }
            } else if (c.startNanos() >= certainBefore) {
                afterSigterm.merge(c.status() == -1 ? c.error() : "HTTP " + c.status(), 1, Integer::sum);
            }
        }
        long heldInFlight = inFlight.stream().filter(c -> c.kind().equals("runsync")).count();
        String log = Files.readString(Reliability.workDir().resolve("shutdown-mock.log"));
        ObjectNode report = Reliability.JSON.createObjectNode();
        report.put("exitMs", exitMs);
        report.put("exitBoundMs", EXIT_BOUND_MS);
        report.put("requests", calls.size());
        report.put("inFlightAtSigterm", inFlight.size());
        report.put("heldRunsyncInFlight", heldInFlight);
        report.put("inFlightUnanswered", unanswered.size());
        report.putPOJO("sentWithin200msOfSigtermOrAfter", afterSigterm);
        report.put("mockSaid", log.lines().filter(l -> l.startsWith("runpod-mock: stop")).reduce((a, b) -> a + " | " + b).orElse(""));
        Files.writeString(Reliability.reportsDir("shutdown").resolve("shutdown.json"),
                Reliability.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println("shutdown: " + report);

        assertTrue(heldInFlight > 0, "no held /runsync was in flight at SIGTERM: the test proved nothing");
        assertEquals(List.of(), unanswered, "requests in flight at SIGTERM that got no answer");
        assertTrue(exitMs < EXIT_BOUND_MS, "the mock took " + exitMs + " ms to exit after SIGTERM");
        assertTrue(log.contains("runpod-mock: stopped in"), "the mock did not report a clean stop: " + log.lines().reduce("", (a, b) -> b));
    }
}
