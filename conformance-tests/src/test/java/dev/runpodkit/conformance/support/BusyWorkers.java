package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Holds jobs in the queue: first occupies every worker the target reports (/health: idle + running +
 * initializing) with a long job, so the jobs submitted next stay IN_QUEUE. On the mock (a fixed pool) that is
 * certain; on a real endpoint that scales, a new job waits in the queue at least for a cold start, and a check
 * that needs a queued job is skipped (not failed) when the target ran it at once. {@link #close} cancels every
 * job submitted through here, queued ones first, so none outlives the check.
 */
public final class BusyWorkers implements AutoCloseable {

    /** Long enough to outlast any check that holds the pool; cancelled at the end. */
    private static final String BLOCKER = "{\"input\": {\"mock_return\": \"blocker\", \"mock_delay\": 300}}";

    private final Target target;
    private final List<String> blockers = new ArrayList<>();
    private final List<String> queued = new ArrayList<>();

    private BusyWorkers(Target target) {
        this.target = target;
    }

    public static BusyWorkers occupy(Target target) {
        BusyWorkers busy = new BusyWorkers(target);
        Response health = target.given().get(target.url("health"));
        int workers = 1;
        if (health.statusCode() == 200) {
            workers = Math.max(1, count(health, "workers.idle") + count(health, "workers.running")
                    + count(health, "workers.initializing"));
        }
        for (int i = 0; i < workers; i++) {
            busy.blockers.add(Jobs.run(target, BLOCKER));
        }
        return busy;
    }

    private static int count(Response health, String path) {
        Object v = health.jsonPath().get(path);
        return v instanceof Number n ? n.intValue() : 0;
    }

    /** The long jobs that occupy the workers. */
    public List<String> blockers() {
        return List.copyOf(blockers);
    }

    /**
     * Submits {@code body} with /run and returns its id once /status shows it IN_QUEUE; skips the check (an
     * assumption, not a failure) if the target started it at once.
     */
    public String queue(String body) {
        String id = Jobs.run(target, body);
        queued.add(id);
        Response r = Jobs.status(target, id);
        Assumptions.assumeTrue(r.statusCode() == 200 && "IN_QUEUE".equals(Jobs.statusOf(r)),
                "could not hold a job in the queue: the target started it at once (" + r.asString() + ")");
        return id;
    }

    /** Cancels the long jobs that occupy the workers, so the queued jobs start. */
    public void releaseWorkers() {
        Jobs.cancelQuietly(target, blockers);
    }

    @Override
    public void close() {
        Jobs.cancelQuietly(target, queued);
        Jobs.cancelQuietly(target, blockers);
    }
}
