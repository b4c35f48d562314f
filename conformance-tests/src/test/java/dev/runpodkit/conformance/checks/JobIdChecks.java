package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Job ids: a lowercase UUID with a suffix such as -u1 (-u2, -e1 from real endpoints), "sync-" in front for
 * /runsync jobs (seeds; runpod-api.md §2.1, §2.2), and never reused. Only these checks look at an id's shape.
 */
@ConformanceCheck
@NeedsMockWorker
@DisplayName("Job ids")
class JobIdChecks {

    private static final String UUID_AND_SUFFIX = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[a-z][0-9]+";
    static final Pattern RUN_ID = Pattern.compile(UUID_AND_SUFFIX);
    static final Pattern SYNC_ID = Pattern.compile("sync-" + UUID_AND_SUFFIX);

    @Test
    @Requirement("ID-001")
    @CaughtBy("id-plain-uuid")
    @DisplayName("a /run job id is a lowercase UUID with a suffix like -u1")
    void runIdsAreUuidsWithASuffix(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"id shape\"}}");
        assertTrue(RUN_ID.matcher(id).matches(), "a /run job id should look like 6de99fd1-4474-4565-9243-694ffeb65218-u1, not '" + id + "'");
    }

    @Test
    @Requirement("ID-002")
    @CaughtBy("id-plain-uuid")
    @DisplayName("a /runsync job id is 'sync-' and a lowercase UUID with a suffix like -u1")
    void runsyncIdsHaveTheSyncPrefix(Target target) {
        Response r = Jobs.runsync(target, "", "{\"input\": {\"mock_return\": \"id shape\"}}");
        assertEquals(200, r.statusCode(), r.asString());
        String id = r.jsonPath().getString("id");
        assertTrue(id != null && SYNC_ID.matcher(id).matches(),
                "a /runsync job id should look like sync-79164ff4-d212-44bc-9fe3-389e199a5c15-u1, not '" + id + "'");
    }

    @Test
    @Requirement("ID-003")
    @CaughtBy("id-reused")
    @DisplayName("every submission gets an id never used before, identical bodies included")
    void identicalBodiesGetFreshIds(Target target) {
        String body = "{\"input\": {\"mock_return\": \"same body\"}}";
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Jobs.run(target, body));
        }
        for (int i = 0; i < 2; i++) {
            Response r = Jobs.runsync(target, "", body);
            assertEquals(200, r.statusCode(), r.asString());
            ids.add(r.jsonPath().getString("id"));
        }
        assertEquals(ids.size(), new HashSet<>(ids).size(), "identical submissions got the same id: " + ids);
        for (String id : ids) {
            Response s = Jobs.awaitTerminal(target, id, 120_000);
            assertEquals(id, s.jsonPath().getString("id"), "each id is its own job: " + s.asString());
        }
    }
}
