package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertSchema;
import static dev.runpodkit.mock.testing.MockHarness.await;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import dev.runpodkit.schemas.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * One walk through every client route and every job state, checking each answer against its schema: the catalogue
 * of shapes the conformance suite checks the cloud against must hold for the mock first.
 */
class ResponseSchemaTest {

    /** The shapes of the client API's answers (the admin API is the mock's own and not part of the catalogue). */
    private static final Set<String> CLIENT_RESPONSE_SCHEMAS = new TreeSet<>(Set.of("run-response", "runsync-response",
            "job-status", "stream-response", "cancel-response", "retry-response", "purge-queue-response", "health-response",
            "error"));

    private final List<String> checked = new ArrayList<>();

    private Reply check(String schema, Reply r) {
        assertSchema(schema, r);
        checked.add(schema);
        return r;
    }

    @Test
    void everyClientAnswerValidatesAgainstItsSchema() {
        try (MockHarness m = MockHarness.frozen(s -> s.workersMin = s.workersMax = 1)) {
            String running = check("run-response", m.post(ep("/run"), "{\"input\": {\"mock_delay\": 10,"
                    + " \"mock_progress\": {\"updates\": [{\"p\": 1}]}}, \"policy\": {\"executionTimeout\": 5000}}")).text("id");
            String queued = check("run-response", m.post(ep("/run"), "{\"input\": {\"mock_generator\": true,"
                    + " \"mock_return\": [1, 2], \"mock_delay\": 1}}")).text("id");
            check("job-status", m.status(queued));                       // IN_QUEUE
            m.advance(0);
            check("job-status", m.status(running));                      // IN_PROGRESS with a progress output
            m.advance(5_000);
            check("job-status", m.status(running));                      // TIMED_OUT
            m.advance(1_000);
            check("stream-response", m.get(ep("/stream/" + queued)));    // IN_PROGRESS with a chunk
            m.advance(1_000);
            check("stream-response", m.get(ep("/stream/" + queued)));    // COMPLETED with the last chunk
            check("stream-response", m.get(ep("/stream/" + queued)));    // COMPLETED, empty
            check("job-status", m.status(queued));                       // COMPLETED
            check("retry-response", m.post(ep("/retry/" + running), null));
            check("cancel-response", m.post(ep("/cancel/" + running), null));
            check("job-status", m.status(running));                      // CANCELLED

            String failed = m.run("{\"mock_error\": \"bad\"}");
            m.advance(0);
            check("job-status", m.status(failed));                       // FAILED
            check("stream-response", m.get(ep("/stream/" + failed)));    // FAILED

            CompletableFuture<Reply> done = m.sendHeld("POST", ep("/runsync"), "{\"input\": {\"mock_delay\": 1}}", 3);
            m.advance(1_000);
            check("runsync-response", await(done));                      // COMPLETED
            CompletableFuture<Reply> fails = m.sendHeld("POST", ep("/runsync"), "{\"input\": {\"mock_error\": 1, \"mock_delay\": 1}}", 3);
            m.advance(1_000);
            check("runsync-response", await(fails));                     // FAILED
            m.run("{\"mock_delay\": 100}");
            CompletableFuture<Reply> slow = m.sendHeld("POST", ep("/runsync?wait=1000"), "{\"input\": {}}", 2);
            m.advance(1_000);
            check("runsync-response", await(slow));                      // IN_QUEUE after the wait

            check("job-status", m.get(ep("/status-sync/" + failed)));
            check("purge-queue-response", m.post(ep("/purge-queue"), null));
            check("health-response", m.get(ep("/health")));

            check("error", m.post(ep("/run"), "{}"));                   // 400
            check("error", m.send("GET", ep("/health"), null, "Authorization", "wrong"));  // 401
            check("error", m.status("nope"));                             // 404
            check("error", m.get(ep("/run")));                            // 405
        }
        Set<String> covered = new TreeSet<>(checked);
        assertEquals(CLIENT_RESPONSE_SCHEMAS, covered, "every client response schema was exercised");
        assertTrue(Schemas.load().names().containsAll(CLIENT_RESPONSE_SCHEMAS), () -> "schemas: " + Schemas.load().names());
        assertTrue(checked.size() >= 24, checked::toString);
    }
}
