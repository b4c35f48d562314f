package dev.runpodkit.conformance.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.schemas.Schemas;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Which schema each answer the suite sees is held to. */
@DisplayName("Schema filter routes")
class SchemaFilterTest {

    @Test
    @DisplayName("endpoint routes map to their response schemas, every error to error")
    void endpointRoutes() {
        assertEquals("run-response", SchemaFilter.schemaFor("POST", "/v2/ep/run", 200));
        assertEquals("runsync-response", SchemaFilter.schemaFor("POST", "/v2/ep/runsync", 200));
        assertEquals("job-status", SchemaFilter.schemaFor("GET", "/v2/ep/status/abc-u1", 200));
        assertEquals("health-response", SchemaFilter.schemaFor("GET", "/v2/ep/health", 200));
        assertEquals("error", SchemaFilter.schemaFor("POST", "/v2/ep/run", 400));
        assertNull(SchemaFilter.schemaFor("HEAD", "/v2/ep/health", 200));
    }

    @Test
    @DisplayName("admin routes map to the admin schemas, admin errors to error")
    void adminRoutes() {
        assertEquals("admin-settings", SchemaFilter.schemaFor("GET", "/__admin/settings", 200));
        assertEquals("admin-settings", SchemaFilter.schemaFor("PATCH", "/__admin/settings", 200));
        assertEquals("admin-clock", SchemaFilter.schemaFor("GET", "/__admin/clock", 200));
        for (String op : new String[] {"advance", "freeze", "resume", "scale"}) {
            assertEquals("admin-clock", SchemaFilter.schemaFor("POST", "/__admin/clock/" + op, 200), op);
        }
        assertEquals("admin-jobs", SchemaFilter.schemaFor("GET", "/__admin/jobs", 200));
        assertEquals("admin-job", SchemaFilter.schemaFor("GET", "/__admin/jobs/abc-u1", 200));
        assertEquals("admin-defects", SchemaFilter.schemaFor("GET", "/__admin/defects", 200));
        assertEquals("error", SchemaFilter.schemaFor("GET", "/__admin/jobs/nope", 404));
        assertEquals("error", SchemaFilter.schemaFor("PATCH", "/__admin/settings", 400));
        assertNull(SchemaFilter.schemaFor("POST", "/__admin/reset", 200), "reset has no schema");
        assertNull(SchemaFilter.schemaFor("POST", "/__admin/faults", 200), "faults has no schema");
        // an admin path never falls through to an endpoint schema, e.g. a job id ending in "health"
        assertEquals("admin-job", SchemaFilter.schemaFor("GET", "/__admin/jobs/health", 200));
    }

    @Test
    @DisplayName("every schema the filter names exists")
    void everyNamedSchemaExists() {
        for (String name : new String[] {"admin-settings", "admin-clock", "admin-jobs", "admin-job", "admin-defects", "error"}) {
            assertTrue(Schemas.load().names().contains(name), name);
        }
    }
}
