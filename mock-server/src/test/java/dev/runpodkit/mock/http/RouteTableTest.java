package dev.runpodkit.mock.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.config.JavalinConfig;
import org.junit.jupiter.api.Test;

/** The route table puts its 405 routes last, which is sound only while no URL matches two of its paths. */
class RouteTableTest {

    @Test
    void aUrlPathMatchesARouteSegmentBySegment() {
        assertTrue(RouteTable.matches("/v2/{endpointId}/status/{jobId}", "/v2/ep/status/abc"));
        assertFalse(RouteTable.matches("/v2/{endpointId}/status/{jobId}", "/v2/ep/status/"), "a parameter is never empty");
        assertFalse(RouteTable.matches("/v2/{endpointId}/status/{jobId}", "/v2/ep/status/a/b"));
        assertFalse(RouteTable.matches("/v2/{endpointId}/run", "/v2/ep/runsync"));
    }

    @Test
    void pathsThatCanMatchTheSameUrlOverlap() {
        assertTrue(RouteTable.overlap("/v2/{endpointId}/status/{jobId}", "/v2/{endpointId}/status/{other}"));
        assertTrue(RouteTable.overlap("/v2/{endpointId}/health", "/v2/abc/{what}"));
        assertFalse(RouteTable.overlap("/v2/{endpointId}/status/{jobId}", "/v2/{endpointId}/stream/{jobId}"));
        assertFalse(RouteTable.overlap("/v2/{endpointId}/run", "/v2/{endpointId}/run/{jobId}"));
    }

    @Test
    void aTableWithOverlappingPathsIsRefused() {
        RouteTable table = new RouteTable()
                .get("/v2/{endpointId}/health", ctx -> { })
                .post("/v2/{endpointId}/{action}", ctx -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> table.install((JavalinConfig) null, ctx -> { }));
        assertTrue(e.getMessage().contains("/v2/{endpointId}/health"), e.getMessage());
    }
}
