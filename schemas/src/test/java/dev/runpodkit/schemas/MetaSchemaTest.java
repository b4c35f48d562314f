package dev.runpodkit.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every schema file is a valid draft 2020-12 schema, checked against the official meta-schema. networknt
 * bundles that meta-schema (and its vocabulary meta-schemas) as classpath resources; these tests prove it
 * is read from there, and that the check rejects broken schemas.
 */
class MetaSchemaTest {

    /** IRIs that fell through to the registry's resource loaders: anything not found on the classpath. */
    private static final List<String> FELL_THROUGH = new CopyOnWriteArrayList<>();
    private static NetworkGuard guard;
    private static Schema metaSchema;

    @BeforeAll
    static void loadMetaSchema() {
        guard = new NetworkGuard();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .resourceLoaders(loaders -> loaders.add(iri -> {
                    FELL_THROUGH.add(iri.toString());
                    return null;
                })));
        metaSchema = registry.getSchema(SchemaLocation.of(SchemaFilesTest.DIALECT));
        metaSchema.initializeValidators();
    }

    @AfterAll
    static void release() {
        guard.close();
        assertEquals(List.of(), guard.attempts(), "no network access while checking against the meta-schema");
        assertEquals(List.of(), FELL_THROUGH, "every meta-schema resource came from the classpath");
    }

    @Test
    void the_meta_schema_comes_from_the_validators_bundled_resources() {
        assertNotNull(getClass().getClassLoader().getResource("draft/2020-12/schema"), "bundled meta-schema");
        assertNotNull(getClass().getClassLoader().getResource("draft/2020-12/meta/validation"), "bundled vocabulary");
        assertEquals(SchemaFilesTest.DIALECT, metaSchema.getSchemaNode().path("$id").asString());
        assertEquals(List.of(), FELL_THROUGH);
        assertEquals(List.of(), guard.attempts());
    }

    @TestFactory
    Stream<DynamicTest> each_schema_file_is_valid_against_the_2020_12_meta_schema() {
        return SchemaFilesTest.names().map(name -> dynamicTest(name + Schemas.SUFFIX, () -> {
            List<Error> errors = metaSchema.validate(text(name), InputFormat.JSON);
            assertEquals(List.of(), errors.stream().map(Error::toString).toList());
        }));
    }

    /** Each string breaks one rule of a different meta-schema vocabulary, so each must be rejected. */
    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\": \"strin\"}",                                // validation: unknown type name
        "{\"required\": \"id\"}",                              // validation: required must be an array
        "{\"minimum\": \"5000\"}",                             // validation: minimum must be a number
        "{\"minLength\": -1}",                                 // validation: non-negative integer
        "{\"properties\": {\"id\": 5}}",                       // applicator: a property's schema must be a schema
        "{\"allOf\": []}",                                     // applicator: allOf needs one schema at least
        "{\"$defs\": {\"jobId\": \"not a schema\"}}",          // core: $defs values are schemas
        "{\"$id\": 5}",                                        // core: $id is a string
        "{\"title\": 5}",                                      // meta-data: title is a string
        "[\"not\", \"a\", \"schema\"]"                         // a schema is an object or a boolean
    })
    void a_broken_schema_is_rejected(String broken) {
        assertFalse(metaSchema.validate(broken, InputFormat.JSON).isEmpty(), broken + " should be rejected");
    }

    @Test
    void a_real_schema_file_with_one_typo_in_a_value_is_rejected() {
        String text = text("job-status");
        String broken = text.replaceFirst("\"type\": \"integer\"", "\"type\": \"int\"");
        assertNotEquals(text, broken, "the mutation must apply");
        assertFalse(metaSchema.validate(broken, InputFormat.JSON).isEmpty());
    }

    private static String text(String name) {
        String path = Schemas.CLASSPATH_DIR + name + Schemas.SUFFIX;
        try (InputStream in = MetaSchemaTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
