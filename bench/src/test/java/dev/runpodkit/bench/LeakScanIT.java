package dev.runpodkit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The secret-leak scan, the last test of {@code mvn verify}: after the conformance suite (reactor order puts this
 * module after it) and the soak, fuzz and shutdown runs, every report, log, recorded response, webhook body and
 * journal dump is searched for every API key and s3Config secret those runs used. Zero hits, asserted.
 *
 * <p>The secrets come from files the runs wrote outside reports/: conformance-tests/target/leak-scan/ (the
 * embedded mock's random key and the s3Config values the checks sent) and bench/target/reliability/leak-scan/.
 * A canary planted before the scan proves the scanner finds what it looks for.
 */
class LeakScanIT {

    private record Hit(String file, String source) { }

    @Test
    @DisplayName("no API key or s3Config secret in any report, log, response, webhook body or journal")
    void noSecretAnywhere() throws IOException {
        Path root = Path.of(System.getProperty("bench.kitRoot", "..")).toAbsolutePath().normalize();
        Map<String, Set<String>> secretsBySource = new LinkedHashMap<>();
        readSecrets(root.resolve("conformance-tests/target/leak-scan"), secretsBySource);
        readSecrets(Reliability.secretsDir(), secretsBySource);
        Set<String> all = new LinkedHashSet<>();
        secretsBySource.values().forEach(all::addAll);

        List<Path> roots = List.of(
                root.resolve("reports"),                                   // summary, JUnit XML, Allure, bench, soak, fuzz, shutdown, memory
                Reliability.workDir(),                                     // logs of every mock started by the reliability runs
                root.resolve("bench/target/failsafe-reports"),             // this module's test output
                root.resolve("bench/target/bench-run"),                    // the benchmark's server logs, if it ran
                root.resolve("conformance-tests/target/surefire-reports"), // the suite's own unit tests
                root.resolve("mock-server/target/surefire-reports"));

        // the canary: a planted secret in a planted file must be found, or the scan proves nothing
        Path canaryDir = Reliability.mkdirs(Reliability.workDir().resolve("canary"));
        String canary = Reliability.randomKey("canary-secret");
        Files.writeString(canaryDir.resolve("planted.log"), "a log line that leaks " + canary + " by mistake\n");
        List<Hit> canaryHits = scan(List.of(canaryDir), Map.of("canary", Set.of(canary)), new long[2]);
        assertEquals(1, canaryHits.size(), "the scanner missed the planted canary");
        Files.delete(canaryDir.resolve("planted.log"));

        long[] counts = new long[2]; // files, bytes
        List<Hit> hits = scan(roots, secretsBySource, counts);

        ObjectNode report = Reliability.JSON.createObjectNode();
        ObjectNode sources = report.putObject("secretsBySource");
        secretsBySource.forEach((k, v) -> sources.put(k, v.size()));
        report.put("conformanceRunScanned", secretsBySource.containsKey("conformance"));
        ArrayNode scanned = report.putArray("scannedRoots");
        roots.stream().filter(Files::isDirectory).forEach(p -> scanned.add(root.relativize(p).toString()));
        report.put("files", counts[0]);
        report.put("bytes", counts[1]);
        report.put("hits", hits.size());
        ArrayNode where = report.putArray("hitFiles");
        hits.stream().limit(50).forEach(h -> where.addObject().put("file", h.file()).put("secretOf", h.source()));
        report.put("canaryFound", true);
        Files.writeString(Reliability.reportsDir("leak-scan").resolve("leak-scan.json"),
                Reliability.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report) + "\n");
        System.out.println("leak-scan: " + report);

        assertTrue(all.size() > 0, "no secrets to look for: no run recorded any (run the whole build: mvn verify)");
        assertEquals(List.of(), hits, "secrets found (file and the run whose secret it is; the values are not shown)");
    }

    private static void readSecrets(Path dir, Map<String, Set<String>> into) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".secrets")).sorted().toList()) {
                String source = f.getFileName().toString().replace(".secrets", "");
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    // shorter values would match by chance; every key and secret these runs use is far longer
                    if (line.trim().length() >= 8) {
                        into.computeIfAbsent(source, k -> new LinkedHashSet<>()).add(line.trim());
                    }
                }
            }
        }
    }

    private static List<Hit> scan(List<Path> roots, Map<String, Set<String>> secrets, long[] counts) throws IOException {
        List<Hit> hits = new ArrayList<>();
        for (Path r : roots) {
            if (!Files.isDirectory(r)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(r)) {
                for (Path f : walk.filter(Files::isRegularFile).filter(p -> !p.toString().endsWith(".secrets")).toList()) {
                    // byte for byte: every key and secret is ASCII, so Latin-1 keeps any file's bytes comparable
                    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    counts[0]++;
                    counts[1] += text.length();
                    for (Map.Entry<String, Set<String>> e : secrets.entrySet()) {
                        for (String s : e.getValue()) {
                            if (text.contains(s)) {
                                hits.add(new Hit(f.toString(), e.getKey()));
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }
}
