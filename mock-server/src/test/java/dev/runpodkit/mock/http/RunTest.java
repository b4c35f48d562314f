package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /run: queue a job, answer at once with its id and IN_QUEUE. */
class RunTest {

    private static MockHarness m;

    @BeforeAll
    static void start() {
        m = MockHarness.frozen();
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    @Test
    void runAnswers200WithTheJobIdAndInQueue() {
        Reply r = m.post(ep("/run"), "{\"input\": {\"prompt\": \"hi\"}}");
        assertEquals(200, r.status(), r::toString);
        assertSchema("run-response", r);
        assertEquals("IN_QUEUE", r.text("status"));
        assertTrue(r.text("id").matches("[0-9a-f-]{36}-u1"), r.text("id"));
        assertEquals(Set.of("id", "status"), fieldNames(r));
        assertTrue(r.header("Content-Type").startsWith("application/json"));
    }

    @Test
    void everyRunGetsANewId() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(m.run("{}"));
        }
        assertEquals(20, ids.size());
    }

    @Test
    void theQueuedJobRunsAndItsResultCanBeFetched() {
        String id = m.run("{\"mock_return\": {\"ok\": true}, \"mock_delay\": 2}");
        m.advance(2_000);
        Reply s = m.status(id);
        assertEquals("COMPLETED", s.text("status"));
        assertEquals("{\"ok\":true}", s.json().get("output").toString());
    }

    @Test
    void anEmptyInputObjectIsAccepted() {
        Reply r = m.post(ep("/run"), "{\"input\": {}}");
        assertEquals(200, r.status(), r::toString);
    }

    @Test
    void aBodyWithAllOptionalFieldsIsAccepted() {
        Reply r = m.post(ep("/run"), "{\"input\": {\"a\": 1}, \"webhook\": \"https://example.com/hook?x=1\","
                + " \"policy\": {\"executionTimeout\": 5000, \"ttl\": 604800000, \"lowPriority\": true, \"unknownPolicyKey\": 1},"
                + " \"s3Config\": {\"accessId\": \"id\", \"accessSecret\": \"s\", \"bucketName\": \"b\","
                + " \"endpointUrl\": \"http://127.0.0.1:9000\", \"objectPath\": \"p/q\"}}");
        assertEquals(200, r.status(), r::toString);
        assertSchema("run-response", r);
    }

    @Test
    void runOnAnotherConfiguredEndpointUsesThatEndpointsQueue() {
        try (MockHarness two = MockHarness.frozen(s -> s.endpoints = new java.util.ArrayList<>(java.util.List.of("ep-a", "ep-b")))) {
            Reply r = two.post("/v2/ep-b/run", "{\"input\": {}}");
            assertEquals(200, r.status(), r::toString);
            String id = r.text("id");
            assertEquals(200, two.get("/v2/ep-b/status/" + id).status());
            assertNotEquals(200, two.get("/v2/ep-a/status/" + id).status(), "jobs belong to one endpoint");
        }
    }

    private static Set<String> fieldNames(Reply r) {
        Set<String> names = new HashSet<>();
        r.json().propertyNames().forEach(names::add);
        return names;
    }
}
