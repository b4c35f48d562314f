package dev.runpodkit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What the reliability runs share: where they write, how they start the mock jar, a small HTTP client. */
final class Reliability {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private Reliability() {
    }

    /** reports/ at the repository root (each run writes its figures under it). */
    static Path reportsDir(String sub) {
        Path p = Path.of(System.getProperty("bench.reportsDir", "target/reports")).resolve(sub);
        return mkdirs(p);
    }

    /** bench/target/reliability: logs of the mocks started here, and the secrets file for the leak scan. */
    static Path workDir() {
        return mkdirs(Path.of(System.getProperty("bench.workDir", "target/reliability")));
    }

    /** Where each run lists the secrets it used, for LeakScanIT (outside reports/, which is scanned). */
    static Path secretsDir() {
        return mkdirs(workDir().resolve("leak-scan"));
    }

    static void recordSecrets(String run, Collection<String> secrets) {
        try {
            Files.writeString(secretsDir().resolve(run + ".secrets"), String.join("\n", secrets) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path mkdirs(Path p) {
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long longProperty(String name, long dflt) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? dflt : Long.parseLong(v.trim());
    }

    static String randomKey(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** The mock jar as a child process, with its log in {@link #workDir()} (request log on unless --quiet). */
    static ServerProcess startMock(String name, List<String> jvmFlags, List<String> args) throws IOException {
        Path jar = Path.of(System.getProperty("bench.mockJar", "../mock-server/target/runpod-mock.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the mock jar is missing: " + jar + " (build it: mvn -pl mock-server -am package)");
        }
        List<String> flags = new ArrayList<>(jvmFlags);
        return ServerProcess.start(name, ServerProcess.javaJar(flags, jar, args), workDir().resolve(name + ".log"), null,
                workDir().resolve("servers.pid"), 90_000);
    }

    /** A blocking JSON client with an API key; every answer body passes through {@code sink}. */
    static final class Client {
        interface Sink {
            void seen(String method, String path, int status, String body);
        }

        final String base;
        final String apiKey;
        final HttpClient http;
        final Sink sink;

        Client(String base, String apiKey, Sink sink) {
            this.base = base;
            this.apiKey = apiKey;
            this.sink = sink;
            this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }

        Reply send(String method, String path, String body) throws IOException, InterruptedException {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
                    .header("Authorization", "Bearer " + apiKey);
            if (body != null) {
                b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (sink != null) {
                sink.seen(method, path, r.statusCode(), r.body());
            }
            return new Reply(r.statusCode(), r.body());
        }
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }

        String field(String name) {
            JsonNode v = json().get(name);
            return v == null || v.isNull() ? null : v.asString();
        }
    }
}
