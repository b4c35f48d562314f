package dev.runpodkit.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** $ids resolve to classpath files; nothing is ever fetched over the network. */
class OfflineTest {

    @Test
    void the_loader_maps_the_id_prefix_to_classpath_schemas() {
        assertEquals("schemas/job-status.schema.json",
                Schemas.classpathResource("https://schemas.runpodkit.dev/v1/job-status.schema.json"));
        assertEquals("schemas/common.schema.json",
                Schemas.classpathResource("https://schemas.runpodkit.dev/v1/common.schema.json#/$defs/jobId"));
        assertNull(Schemas.classpathResource("https://schemas.runpodkit.dev/v2/job-status.schema.json"));
        assertNull(Schemas.classpathResource("http://schemas.runpodkit.dev/v1/job-status.schema.json"));
        assertNull(Schemas.classpathResource("https://example.com/job-status.schema.json"));
        assertNull(Schemas.classpathResource("https://schemas.runpodkit.dev/v1/../secret.json"));
    }

    @Test
    void loading_and_validating_use_no_network() {
        try (NetworkGuard guard = new NetworkGuard()) {
            Schemas fresh = Schemas.load(getClass().getClassLoader()); // not the cached instance
            for (Example e : Example.all()) {
                fresh.validate(e.schema(), e.text());
            }
            assertEquals(List.of(), fresh.validate("runsync-response",
                    "{\"id\": \"sync-1\", \"status\": \"COMPLETED\", \"output\": 1}"));
            assertEquals(List.of(), guard.attempts());
        }
    }

    @Test
    void a_ref_to_an_unmapped_remote_url_fails_instead_of_fetching() {
        assertRefFailsOffline("https://example.com/remote.schema.json");
    }

    @Test
    void a_ref_to_a_missing_file_under_the_prefix_fails_instead_of_fetching() {
        assertRefFailsOffline(Schemas.ID_PREFIX + "missing.schema.json");
    }

    /** The guard itself: with networknt's remote fetching switched on, the same probe is caught. */
    @Test
    void the_network_guard_sees_a_fetch_when_remote_fetching_is_on() {
        SchemaRegistry fetching = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources()));
        try (NetworkGuard guard = new NetworkGuard()) {
            assertThrows(RuntimeException.class,
                    () -> fetching.getSchema(SchemaLocation.of("https://example.com/remote.schema.json")).initializeValidators());
            assertEquals(List.of(URI.create("https://example.com/remote.schema.json")), guard.attempts());
        }
    }

    private static void assertRefFailsOffline(String ref) {
        String probe = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                + " \"$id\": \"" + Schemas.ID_PREFIX + "probe.schema.json\","
                + " \"properties\": {\"x\": {\"$ref\": \"" + ref + "\"}}}";
        SchemaRegistry registry = Schemas.registry(Map.of("schemas/probe.schema.json", probe)::get);
        try (NetworkGuard guard = new NetworkGuard()) {
            RuntimeException failure = assertThrows(RuntimeException.class, () -> {
                Schema schema = registry.getSchema(SchemaLocation.of(Schemas.ID_PREFIX + "probe.schema.json"));
                schema.initializeValidators();
                schema.validate("{\"x\": 1}", InputFormat.JSON);
            });
            assertEquals(List.of(), guard.attempts(), "tried the network for " + ref + ": " + failure);
        }
    }
}
