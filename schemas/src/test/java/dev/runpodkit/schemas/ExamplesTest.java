package dev.runpodkit.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Golden examples: each valid one passes its schema, each invalid one fails it by breaking one rule. */
class ExamplesTest {

    private static final Schemas SCHEMAS = Schemas.load();

    /** Schemas that describe a message; {@code common} only holds shared definitions. */
    static Set<String> messageSchemas() {
        Set<String> names = new TreeSet<>(SCHEMAS.names());
        names.remove("common");
        return names;
    }

    @TestFactory
    Stream<DynamicTest> every_valid_example_passes_its_schema() {
        return Example.all().stream().filter(e -> e.kind().equals(Example.VALID)).map(e -> dynamicTest(e.id(), () -> {
            List<String> problems = SCHEMAS.validate(e.schema(), e.text());
            assertEquals(List.of(), problems, e.id() + " should be valid");
        }));
    }

    @TestFactory
    Stream<DynamicTest> every_invalid_example_fails_its_schema_by_breaking_one_rule() {
        return Example.all().stream().filter(e -> e.kind().equals(Example.INVALID)).map(e -> dynamicTest(e.id(), () -> {
            List<String> problems = SCHEMAS.validate(e.schema(), e.text());
            assertFalse(problems.isEmpty(), e.id() + " should be invalid");
            assertFalse(problems.get(0).contains("malformed JSON"), e.id() + " must be JSON that breaks a rule: " + problems);

            // "One rule" = one keyword at one instance location. Several errors may share it, e.g. a
            // 'required' listing two missing properties, or /status failing the enums of both
            // job-status and webhook-payload.
            List<Error> errors = SCHEMAS.schema(e.schema()).validate(e.text(), InputFormat.JSON);
            Set<String> rules = errors.stream()
                    .map(err -> err.getKeyword() + " at " + err.getInstanceLocation())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(1, rules.size(), e.id() + " should break exactly one rule, breaks " + rules);
        }));
    }

    @Test
    void each_message_schema_has_at_least_two_valid_and_two_invalid_examples() {
        Map<String, long[]> counts = new TreeMap<>();
        for (String name : messageSchemas()) {
            counts.put(name, new long[2]);
        }
        for (Example e : Example.all()) {
            long[] c = counts.get(e.schema());
            if (c != null) {
                c[e.kind().equals(Example.VALID) ? 0 : 1]++;
            }
        }
        counts.forEach((name, c) -> {
            assertTrue(c[0] >= 2, name + " has " + c[0] + " valid example(s), needs 2");
            assertTrue(c[1] >= 2, name + " has " + c[1] + " invalid example(s), needs 2");
        });
    }

    @Test
    void every_example_directory_names_a_schema_and_holds_only_json_files() {
        for (String kind : List.of(Example.VALID, Example.INVALID)) {
            for (String dir : Example.schemaDirs(kind)) {
                assertTrue(messageSchemas().contains(dir), "examples/" + kind + "/" + dir + " names no message schema");
            }
        }
        for (Example e : Example.all()) {
            assertTrue(e.file().endsWith(".json"), e.id() + " should end in .json");
        }
    }
}
