package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.NeedsMockWorker;
import dev.runpodkit.conformance.support.Poll;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.conformance.target.TargetTime;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * lowPriority (seeds/002, seeds/004) and the worker pool between workersMin and workersMax, with cold starts and
 * idle timeouts (runpod-api.md §2.8; design-sketch.md). The checks shape the pool through the mock's settings
 * (and put them back) and read /health's worker counts, so they need the mock's admin API: a real endpoint's
 * pool can be neither set nor known.
 */
@ConformanceCheck
@NeedsAdmin
@NeedsMockWorker
@DisplayName("Priority and scaling")
class PriorityAndScalingChecks {

    /**
     * Two minutes, in seconds of work, cold start or idle time; 3 * LONG_S of work stays inside the default 600 s
     * execution timeout. The clock is frozen while a check runs, so such a span passes only when the check
     * passes it ({@link TargetTime#pass}), however fast or slow the machine.
     */
    private static final int LONG_S = 120;
    private static final long LONG_MS = LONG_S * 1_000L;

    /**
     * Runs {@code body} (given the pool's workersMin as found) with the settings changed and the clock frozen,
     * and cancels every job it recorded. Afterwards the settings are put back and the pool is let shrink to what
     * it was, so the next check finds it as this one did; that last wait asserts nothing, as it is
     * housekeeping, not the check.
     */
    private static void withPool(Target target, String settings, List<String> jobs, Consumer<Integer> body) {
        MockAdmin admin = new MockAdmin(target);
        JsonPath found = admin.settings().jsonPath();
        int min = found.getInt("workersMin");
        Pool.holdWhenQuiet(target, () -> {
            try {
                admin.withSettings(settings, () -> {
                    try {
                        body.accept(min);
                    } finally {
                        Pool.cancel(target, jobs);
                    }
                });
            } finally {
                TargetTime.pass(target, found.getLong("idleTimeoutMs"));
                try {
                    Pool.awaitQuiet(target, min);
                } catch (AssertionError e) {
                    // left for the next check's own precondition to report
                }
            }
        });
    }

    private static String lowPriorityJob(String name, int seconds) {
        return "{\"input\": {\"mock_return\": \"" + name + "\", \"mock_delay\": " + seconds + "}, \"policy\": {\"lowPriority\": true}}";
    }

    private static String normalJob(String name, int seconds) {
        return "{\"input\": {\"mock_return\": \"" + name + "\", \"mock_delay\": " + seconds + "}}";
    }

    /** A /health reading that must not show more than {@code max} workers. */
    private static Pool.Workers atMost(Target target, int max) {
        Pool.Workers w = Pool.workers(target);
        assertTrue(w.total() <= max, "the pool exceeds workersMax " + max + ": " + w);
        return w;
    }

    @Test
    @Requirement("POLICY-013")
    @CaughtBy({"low-priority-scales", "low-priority-fifo"})
    @DisplayName("low-priority jobs start no worker: the one left waiting runs on a worker that was already up")
    void lowPriorityJobsStartNoWorker(Target target) {
        List<String> jobs = new ArrayList<>();
        withPool(target, "{\"workersMax\": 6, \"coldStartMs\": " + LONG_MS + "}", jobs, min -> {
            for (int i = 0; i <= min; i++) {
                jobs.add(Jobs.run(target, lowPriorityJob("low " + i, i < min ? 2 * LONG_S : 1)));
            }
            Pool.Workers busy = Poll.until(target, 10_000, min + " workers running", () -> Pool.workers(target),
                    w -> w.running() == min);
            assertEquals(0, busy.initializing(), "a waiting low-priority job started a worker: " + busy);
            assertEquals(min, busy.total(), busy.toString());
            assertEquals(1, busy.inQueue(), busy.toString());
            TargetTime.pass(target, LONG_MS); // a worker started for it would be up by now
            Pool.Workers still = Pool.workers(target);
            assertEquals(min, still.total(), "a waiting low-priority job started a worker: " + still);
            assertEquals(1, still.inQueue(), still.toString());

            Set<String> upFirst = new HashSet<>();
            for (String id : jobs.subList(0, min)) {
                upFirst.add(Jobs.status(target, id).jsonPath().getString("workerId"));
            }
            TargetTime.pass(target, LONG_MS + 1_000); // the first jobs end; the last runs 1 s
            Response last = Jobs.awaitTerminal(target, jobs.get(min), 60_000);
            assertEquals("COMPLETED", last.jsonPath().getString("status"), last.asString());
            assertTrue(upFirst.contains(last.jsonPath().getString("workerId")),
                    "the last low-priority job ran on worker " + last.jsonPath().getString("workerId")
                            + ", not on one of those already up " + upFirst);
        });
    }

    @Test
    @Requirement("POLICY-014")
    @CaughtBy("low-priority-fifo")
    @DisplayName("normal-priority jobs are taken before low-priority ones, and each priority first in, first out")
    void normalJobsGoFirstAndEachPriorityIsFifo(Target target) {
        MockAdmin admin = new MockAdmin(target);
        List<String> jobs = new ArrayList<>();
        // one worker, so the order in which jobs are taken is the order in which they start
        withPool(target, "{\"workersMin\": 1, \"workersMax\": 1, \"idleTimeoutMs\": 0}", jobs, min -> {
            TargetTime.pass(target, 0); // the surplus worker's idle timeout of 0 ms
            Pool.awaitQuiet(target, 1);
            String blocker = Jobs.run(target, normalJob("blocker", LONG_S));
            jobs.add(blocker);
            Jobs.awaitStarted(target, blocker, 30_000);
            String low1 = Jobs.run(target, lowPriorityJob("low 1", 1));
            String low2 = Jobs.run(target, lowPriorityJob("low 2", 1));
            String normal1 = Jobs.run(target, normalJob("normal 1", 1));
            String normal2 = Jobs.run(target, normalJob("normal 2", 1));
            List<String> waiting = List.of(low1, low2, normal1, normal2);
            jobs.addAll(waiting);
            TargetTime.pass(target, LONG_MS + 4_000); // the blocker, then 1 s each
            List<String> byStart = new ArrayList<>(waiting);
            for (String id : waiting) {
                Response done = Jobs.awaitTerminal(target, id, 30_000);
                assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
            }
            byStart.sort(Comparator.comparingLong(id -> startedAt(admin, id)));
            List<String> names = List.of("low 1", "low 2", "normal 1", "normal 2");
            assertEquals(List.of(normal1, normal2, low1, low2), byStart,
                    "submitted as " + names + "; started in the order " + byStart.stream().map(id -> names.get(waiting.indexOf(id))).toList());
        });
    }

    /** When the job started, on the mock's clock: submittedAt plus delayTime, from the admin view. */
    private static long startedAt(MockAdmin admin, String id) {
        JsonPath view = admin.job(id).jsonPath();
        return view.getLong("submittedAt") + view.getLong("status.delayTime");
    }

    @Test
    @Requirement("POLICY-016")
    @CaughtBy("no-scale-up")
    @DisplayName("waiting normal jobs scale the pool from workersMin up to workersMax, never beyond, and never below workersMin")
    void waitingJobsScaleThePoolUpToWorkersMax(Target target) {
        List<String> jobs = new ArrayList<>();
        MockAdmin admin = new MockAdmin(target);
        int foundMin = admin.settings().jsonPath().getInt("workersMin");
        int max = foundMin + 2;
        withPool(target, "{\"workersMax\": " + max + ", \"coldStartMs\": " + LONG_MS + "}", jobs, min -> {
            for (int i = 0; i < max + 2; i++) {
                jobs.add(Jobs.run(target, normalJob("scale " + i, 2 * LONG_S)));
            }
            Poll.until(target, 10_000, "the pool to grow to workersMax " + max, () -> atMost(target, max), w -> w.total() == max);
            TargetTime.pass(target, LONG_MS); // the new workers' cold start
            Pool.Workers busy = Poll.until(target, 10_000, max + " workers running", () -> atMost(target, max),
                    w -> w.running() == max);
            assertEquals(2, busy.inQueue(), "two jobs wait for a worker: the pool is at its ceiling: " + busy);
            TargetTime.pass(target, 4 * LONG_MS); // every job done: two rounds of 2 * LONG_MS
            for (String id : jobs) {
                Response done = Jobs.awaitTerminal(target, id, 30_000);
                assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
            }
            TargetTime.pass(target, admin.settings().jsonPath().getLong("idleTimeoutMs") * 2);
            Pool.Workers idle = atMost(target, max);
            assertTrue(idle.total() >= min, "the idle pool fell below workersMin " + min + ": " + idle);
        });
    }

    @Test
    @Requirement("POLICY-017")
    @CaughtBy({"no-cold-start", "no-scale-up"})
    @DisplayName("a new worker initializes for coldStartMs before it takes a job, and the wait counts in the job's delayTime")
    void aNewWorkerColdStartsAndTheWaitCountsInDelayTime(Target target) {
        List<String> jobs = new ArrayList<>();
        MockAdmin admin = new MockAdmin(target);
        int foundMin = admin.settings().jsonPath().getInt("workersMin");
        withPool(target, "{\"workersMax\": " + (foundMin + 1) + ", \"coldStartMs\": " + LONG_MS + "}", jobs, min -> {
            for (int i = 0; i < min; i++) {
                jobs.add(Jobs.run(target, normalJob("blocker " + i, 3 * LONG_S)));
            }
            for (String id : jobs) {
                Jobs.awaitStarted(target, id, 10_000);
            }
            String late = Jobs.run(target, normalJob("after a cold start", 0));
            jobs.add(late);
            Pool.Workers starting = Poll.until(target, 10_000, "a new worker initializing", () -> Pool.workers(target),
                    w -> w.initializing() == 1);
            Response waiting = Jobs.status(target, late);
            assertEquals("IN_QUEUE", waiting.jsonPath().getString("status"), "while its worker initializes (" + starting
                    + ") the job waits: " + waiting.asString());
            TargetTime.pass(target, LONG_MS);
            Response done = Jobs.awaitTerminal(target, late, 30_000);
            assertEquals("COMPLETED", done.jsonPath().getString("status"), done.asString());
            long delay = done.jsonPath().getLong("delayTime");
            assertTrue(delay >= LONG_MS, "the job waited for a " + LONG_MS + " ms cold start, but its delayTime is " + delay);
            assertTrue(delay < 3 * LONG_MS, "the job should run on the new worker, not wait for a blocker: delayTime " + delay);
        });
    }

    @Test
    @Requirement("POLICY-018")
    @CaughtBy("no-scale-down")
    @DisplayName("a worker above workersMin stops once it has been idle for idleTimeoutMs")
    void anIdleWorkerAboveTheMinimumStops(Target target) {
        List<String> jobs = new ArrayList<>();
        MockAdmin admin = new MockAdmin(target);
        int foundMin = admin.settings().jsonPath().getInt("workersMin");
        withPool(target, "{\"workersMax\": " + (foundMin + 1) + ", \"idleTimeoutMs\": " + 2 * LONG_MS + "}", jobs, min -> {
            for (int i = 0; i <= min; i++) {
                jobs.add(Jobs.run(target, normalJob("busy " + i, LONG_S)));
            }
            Poll.until(target, 10_000, "the pool to grow to " + (min + 1), () -> Pool.workers(target), w -> w.total() == min + 1);
            TargetTime.pass(target, LONG_MS);
            for (String id : jobs) {
                Jobs.awaitTerminal(target, id, 30_000);
            }
            Pool.Workers justIdle = Pool.workers(target);
            assertEquals(min + 1, justIdle.total(), "before the idle timeout the extra worker is still up: " + justIdle);
            TargetTime.pass(target, 2 * LONG_MS);
            Poll.until(target, 10_000, "the pool to shrink back to workersMin " + min, () -> Pool.workers(target),
                    w -> w.total() == min);
            TargetTime.pass(target, 4 * LONG_MS);
            assertEquals(min, Pool.workers(target).total(), "the pool never shrinks below workersMin");
        });
    }
}
