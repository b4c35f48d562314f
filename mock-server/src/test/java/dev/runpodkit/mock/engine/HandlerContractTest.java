package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static dev.runpodkit.mock.engine.EngineFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.workers.JobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

/** What any handler may rely on: a private input, and a context that goes dead once the run has ended. */
class HandlerContractTest {

    private final ControllableClock clock = ControllableClock.manual(EngineFixture.T0);
    private final List<JobContext> started = new ArrayList<>();
    private final Engine engine;

    HandlerContractTest() {
        Settings s = new Settings();
        s.workersMin = s.workersMax = 1;
        engine = new Engine(s, clock, () -> started::add, JobEvents.NONE);
    }

    @AfterEach
    void close() {
        engine.close();
        clock.close();
    }

    private String submit(String input) {
        return engine.submit(EP, new JobRequest(EngineFixture.input(input), null, null, null, false)).id();
    }

    private JobView job(String id) {
        return engine.find(EP, id).orElseThrow();
    }

    @Test
    void aHandlerGetsAPrivateCopyOfTheInput() {
        String id = submit("{\"k\": 1}");
        JobContext ctx = started.get(0);
        ctx.input().put("k", 99);
        ctx.input().put("added", true);
        assertEquals(json("{\"k\": 1}"), ctx.input());
        assertEquals(json("{\"k\": 1}"), job(id).input());
        assertEquals(id, ctx.jobId());
        assertEquals(job(id).workerId(), ctx.workerId());
    }

    @Test
    void reportsAfterTheRunEndedAreIgnored() {
        String id = submit("{}");
        JobContext ctx = started.get(0);
        assertTrue(ctx.active());
        engine.cancel(EP, id);
        assertFalse(ctx.active());

        ctx.progress(json("\"late progress\""));
        ctx.chunk(json("\"late chunk\""));
        ctx.complete(json("\"late result\""));
        ctx.fail("late failure");
        AtomicInteger ran = new AtomicInteger();
        ctx.after(0, ran::incrementAndGet);
        clock.advance(1_000);

        JobView view = job(id);
        assertEquals(JobStatus.CANCELLED, view.status());
        assertNull(view.output());
        assertNull(view.error());
        assertEquals(0, ran.get(), "a step scheduled by a dead context never runs");
        assertEquals(List.of(), engine.drainStream(EP, id, 0).join().orElseThrow().chunks());
    }

    @Test
    void theFirstEndingWinsAndLaterOnesAreIgnored() {
        String id = submit("{}");
        JobContext ctx = started.get(0);
        ctx.complete(json("1"));
        ctx.fail("too late");
        ctx.complete(json("2"));
        assertEquals(JobStatus.COMPLETED, job(id).status());
        assertEquals(json("1"), job(id).output());
        assertEquals(1, engine.health(EP).completed());
        assertEquals(0, engine.health(EP).failed());
    }

    @Test
    void aRetriedJobGetsAFreshContextAndTheOldOneStaysDead() {
        String id = submit("{}");
        JobContext first = started.get(0);
        first.fail("boom");
        engine.retry(EP, id);
        JobContext second = started.get(1);
        assertFalse(first.active());
        assertTrue(second.active());
        first.complete(json("\"from the old run\""));
        assertEquals(JobStatus.IN_PROGRESS, job(id).status());
        second.complete(JsonNodeFactory.instance.stringNode("from the new run"));
        assertEquals(json("\"from the new run\""), job(id).output());
    }

    @Test
    void aStepRunsOnlyWhileTheRunIsLive() {
        String id = submit("{}");
        JobContext ctx = started.get(0);
        List<Long> ranAt = new ArrayList<>();
        ctx.after(100, () -> ranAt.add(clock.now() - EngineFixture.T0));
        ctx.after(300, () -> ranAt.add(clock.now() - EngineFixture.T0));
        clock.advance(200);
        ctx.complete(null);
        clock.advance(200);
        assertEquals(List.of(100L), ranAt);
        assertEquals(JobStatus.COMPLETED, job(id).status());
        assertNull(job(id).output());
    }
}
