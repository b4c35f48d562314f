package dev.runpodkit.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The schema files themselves: identity, documentation, references and keyword spelling. */
class SchemaFilesTest {

    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static JsonNode read(String name) {
        String path = Schemas.CLASSPATH_DIR + name + Schemas.SUFFIX;
        try (InputStream in = SchemaFilesTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<String> names() {
        return Schemas.load().names().stream();
    }

    @Test
    void every_schema_file_is_loaded() {
        assertEquals(Set.of("common", "run-request", "run-response", "job-status", "runsync-response",
                "stream-response", "cancel-response", "retry-response", "purge-queue-response", "health-response",
                "error", "webhook-payload",
                "worker-job", "worker-job-batch", "worker-result", "worker-stream-chunk", "worker-stop", "worker-ack",
                "admin-settings", "admin-clock", "admin-job", "admin-jobs", "admin-defects"), Schemas.load().names());
    }

    @TestFactory
    Stream<DynamicTest> each_file_declares_dialect_id_title_and_description() {
        return names().map(name -> dynamicTest(name + Schemas.SUFFIX, () -> {
            JsonNode schema = read(name);
            assertEquals(DIALECT, schema.path("$schema").asString(), "$schema");
            assertEquals(Schemas.ID_PREFIX + name + Schemas.SUFFIX, schema.path("$id").asString(), "$id follows the file name");
            assertFalse(schema.path("title").asString("").isBlank(), "title");
            assertFalse(schema.path("description").asString("").isBlank(), "description");
        }));
    }

    /** Cross-file refs use the full $id of an existing file, and every JSON Pointer fragment exists. */
    @TestFactory
    Stream<DynamicTest> each_ref_points_at_an_existing_definition() {
        return names().map(name -> dynamicTest(name + Schemas.SUFFIX, () -> {
            List<String> refs = new ArrayList<>();
            collectRefs(read(name), refs);
            for (String ref : refs) {
                int hash = ref.indexOf('#');
                String base = hash < 0 ? ref : ref.substring(0, hash);
                String pointer = hash < 0 ? "" : ref.substring(hash + 1);
                JsonNode target;
                if (base.isEmpty()) {
                    target = read(name);
                } else {
                    assertTrue(base.startsWith(Schemas.ID_PREFIX), ref + " must be a full $id under " + Schemas.ID_PREFIX);
                    String file = base.substring(Schemas.ID_PREFIX.length());
                    assertTrue(file.endsWith(Schemas.SUFFIX), ref);
                    String other = file.substring(0, file.length() - Schemas.SUFFIX.length());
                    assertTrue(Schemas.load().names().contains(other), ref + " names no schema file");
                    target = read(other);
                }
                assertFalse(target.at(pointer).isMissingNode(), ref + ": no such definition");
            }
        }));
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().equals("$ref") && field.getValue().isString()) {
                    refs.add(field.getValue().asString());
                }
                collectRefs(field.getValue(), refs);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    // The meta-schema allows unknown keywords, so "minimun" would pass it silently. This list catches typos.
    private static final Set<String> KEYWORDS = Set.of(
            "$schema", "$id", "$ref", "$defs", "$comment", "title", "description",
            "type", "enum", "const", "required", "properties", "items", "allOf", "if", "then",
            "minimum", "exclusiveMinimum", "maximum", "minLength", "minItems", "pattern", "format");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs");
    private static final Set<String> SCHEMA_VALUES = Set.of("items", "if", "then");
    private static final Set<String> SCHEMA_ARRAYS = Set.of("allOf");

    @TestFactory
    Stream<DynamicTest> each_file_uses_only_known_keywords() {
        return names().map(name -> dynamicTest(name + Schemas.SUFFIX, () -> checkKeywords(read(name), "#")));
    }

    private static void checkKeywords(JsonNode schema, String where) {
        if (schema.isBoolean()) {
            return;
        }
        assertTrue(schema.isObject(), where + " should be a schema");
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String key = field.getKey();
            String at = where + "/" + key;
            assertTrue(KEYWORDS.contains(key), "unexpected keyword '" + key + "' at " + where);
            if (SCHEMA_MAPS.contains(key)) {
                field.getValue().properties().forEach(e -> checkKeywords(e.getValue(), at + "/" + e.getKey()));
            } else if (SCHEMA_VALUES.contains(key)) {
                checkKeywords(field.getValue(), at);
            } else if (SCHEMA_ARRAYS.contains(key)) {
                for (int i = 0; i < field.getValue().size(); i++) {
                    checkKeywords(field.getValue().get(i), at + "/" + i);
                }
            }
        }
    }
}
