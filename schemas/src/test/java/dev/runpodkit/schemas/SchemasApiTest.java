package dev.runpodkit.schemas;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API: names, messages, malformed input, errors, threads, jars. */
class SchemasApiTest {

    private final Schemas schemas = Schemas.load();

    @Test
    void load_returns_one_shared_instance() {
        assertSame(schemas, Schemas.load());
    }

    @Test
    void messages_name_the_instance_location() {
        assertEquals(List.of("/status: does not have a value in the enumeration "
                        + "[\"IN_QUEUE\", \"IN_PROGRESS\", \"COMPLETED\", \"FAILED\", \"CANCELLED\", \"TIMED_OUT\"]"),
                schemas.validate("run-response", "{\"id\": \"a\", \"status\": \"RUNNING\"}"));
        assertEquals(List.of("/: required property 'error' not found"),
                schemas.validate("job-status", "{\"id\": \"a\", \"status\": \"FAILED\"}"));
        assertEquals(List.of("/stream/1: required property 'output' not found"),
                schemas.validate("stream-response", "{\"status\": \"IN_PROGRESS\", \"stream\": [{\"output\": 1}, {}]}"));
    }

    @Test
    void malformed_json_gives_one_message_and_never_throws() {
        for (String bad : new String[] {"", "   ", "{\"id\": \"a\"", "{'id': 'a'}", "{} {}", "nul",
                "{\"id\": \"a\", \"id\": \"b\", \"status\": \"IN_QUEUE\"}", null}) {
            List<String> problems = assertDoesNotThrow(() -> schemas.validate("job-status", bad));
            assertEquals(1, problems.size(), bad + " -> " + problems);
            assertTrue(problems.get(0).startsWith("/: malformed JSON: "), problems.get(0));
        }
    }

    @Test
    void any_json_value_can_be_validated() {
        for (String value : new String[] {"null", "42", "\"text\"", "[]", "true"}) {
            List<String> problems = schemas.validate("error", value);
            assertEquals(List.of("/: " + problemFor(value) + " found, object expected"), problems);
        }
    }

    private static String problemFor(String value) {
        return switch (value) {
            case "null" -> "null";
            case "42" -> "integer";
            case "\"text\"" -> "string";
            case "[]" -> "array";
            default -> "boolean";
        };
    }

    @Test
    void an_unknown_schema_name_is_a_programming_error() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> schemas.validate("status", "{}"));
        assertTrue(e.getMessage().contains("job-status"), "lists the known names: " + e.getMessage());
    }

    @Test
    void require_valid_passes_silently_or_throws_with_every_message() {
        schemas.requireValid("purge-queue-response", "{\"removed\": 2, \"status\": \"completed\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> schemas.requireValid("purge-queue-response", "{\"removed\": -1, \"status\": \"COMPLETED\"}"));
        assertTrue(e.getMessage().contains("/removed: "), e.getMessage());
        assertTrue(e.getMessage().contains("/status: "), e.getMessage());
    }

    @Test
    void names_cannot_be_modified() {
        assertThrows(UnsupportedOperationException.class, () -> schemas.names().add("x"));
    }

    @Test
    void validation_from_many_threads_gives_the_same_answers() throws Exception {
        List<Example> examples = Example.all();
        List<List<String>> expected = examples.stream().map(e -> schemas.validate(e.schema(), e.text())).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<List<String>>>> runs = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                runs.add(pool.submit(() -> examples.stream().map(e -> schemas.validate(e.schema(), e.text())).toList()));
            }
            for (Future<List<List<String>>> run : runs) {
                assertEquals(expected, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** As in a shaded jar: schemas/ is a set of jar entries, not a directory. */
    @Test
    void loads_the_schemas_from_a_jar(@TempDir Path tmp) throws IOException {
        Path classesDir = Path.of(SchemasApiTest.class.getClassLoader().getResource(Schemas.CLASSPATH_DIR).getPath());
        Path jar = tmp.resolve("bundle.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream zip = new JarOutputStream(out);
                Stream<Path> files = Files.list(classesDir)) {
            zip.putNextEntry(new JarEntry("other/ignored.schema.json")); // only schemas/ counts
            zip.write("{}".getBytes());
            for (Path file : files.sorted().toList()) {
                zip.putNextEntry(new JarEntry(Schemas.CLASSPATH_DIR + file.getFileName()));
                zip.write(Files.readAllBytes(file));
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertTrue(loader.getResource(Schemas.CLASSPATH_DIR + "common.schema.json").toString().startsWith("jar:"));
            Schemas fromJar = Schemas.load(loader);
            assertEquals(schemas.names(), fromJar.names());
            assertEquals(List.of(), fromJar.validate("run-response", "{\"id\": \"a\", \"status\": \"IN_QUEUE\"}"));
            assertEquals(1, fromJar.validate("run-response", "{\"id\": \"a\", \"status\": \"RUNNING\"}").size());
        }
    }
}
