package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.workers.Handler;
import dev.runpodkit.mock.workers.MockWorkerHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handler step due at once runs on the thread that scheduled it while the clock runs (no hand-off to the clock
 * thread per job), and still waits for {@code advance} while the clock is frozen.
 */
class ZeroDelayStepTest {

    private final ControllableClock clock = ControllableClock.system();
    private final List<String> terminalThreads = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstTerminal = new CountDownLatch(1);
    private final Engine engine;

    ZeroDelayStepTest() {
        Settings settings = new Settings();
        settings.requestLog = false;
        engine = new Engine(settings, clock, () -> new MockWorkerHandler(false, false, false, false), new JobEvents() {
            @Override
            public void onTerminal(JobView job) {
                terminalThreads.add(Thread.currentThread().getName());
                firstTerminal.countDown();
            }
        });
    }

    @AfterEach
    void close() {
        engine.close();
        clock.close();
    }

    private JobView submit(String inputJson) {
        return engine.submit(EngineFixture.EP, new JobRequest(EngineFixture.input(inputJson), null, Policy.NONE, null, false));
    }

    private JobStatus status(String id) {
        return engine.find(EngineFixture.EP, id).orElseThrow().status();
    }

    @Test
    void onARunningClockAZeroDelayJobHasCompletedWhenSubmitReturns() {
        JobView submitted = submit("{\"prompt\": \"hi\"}");

        assertEquals(JobStatus.IN_QUEUE, submitted.status(), "the answer is still the job as queued");
        assertEquals(JobStatus.COMPLETED, status(submitted.id()), "its step ran on this thread before submit returned");
        assertEquals(List.of(Thread.currentThread().getName()), terminalThreads, "and its terminal event too");
    }

    @Test
    void onAFrozenClockAZeroDelayStepWaitsForTheClockToMove() {
        clock.freeze();
        JobView submitted = submit("{\"prompt\": \"hi\"}");

        assertEquals(JobStatus.IN_PROGRESS, status(submitted.id()), "a frozen clock runs nothing by itself");
        clock.advance(0);
        assertEquals(JobStatus.COMPLETED, status(submitted.id()));
    }

    @Test
    void aJobWithADelayStillRunsOnTheClockThread() throws InterruptedException {
        // a running clock on purpose: what is tested is which thread runs the step; 0.2 s keeps the job in
        // progress past the first look even on a loaded machine, and the wait ends with the job, not a poll
        JobView submitted = submit("{\"prompt\": \"hi\", \"mock_delay\": 0.2}");

        assertEquals(JobStatus.IN_PROGRESS, status(submitted.id()));
        assertTrue(firstTerminal.await(10, TimeUnit.SECONDS), "the delayed job never ended");
        assertEquals(JobStatus.COMPLETED, status(submitted.id()));
        assertEquals(1, terminalThreads.size());
        assertNotEquals(Thread.currentThread().getName(), terminalThreads.get(0));
    }

    @Test
    void aZeroGapGeneratorStreamsEveryChunkAndEndsOnce() {
        // a generator with zero gaps schedules all its chunks at once, each a zero-delay step, run in order
        JobView submitted = submit("{\"mock_generator\": true, \"mock_aggregate\": true, \"mock_return\": [1, 2, 3]}");
        JobView done = engine.find(EngineFixture.EP, submitted.id()).orElseThrow();

        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(EngineFixture.json("[1, 2, 3]"), done.output());
        assertEquals(1, terminalThreads.size(), "one terminal event, not one per step");
    }

    @Test
    void aJobThatEndsInItsZeroDelayStepNeverArmsAnExecutionTimeout() {
        submit("{\"prompt\": \"warm\"}"); // the workers exist and are idle again: the next job scales nothing
        long timersBefore = clock.timersScheduled();

        JobView submitted = submit("{\"prompt\": \"hi\"}");

        assertEquals(JobStatus.COMPLETED, status(submitted.id()));
        assertEquals(timersBefore, clock.timersScheduled(), "a timer was scheduled for a job that ended at once");
    }

    @Test
    void aZeroDelayStepThatLeavesTheJobRunningStillLetsItTimeOut() {
        Settings settings = new Settings();
        settings.requestLog = false;
        // the step only reports progress: the job runs on, and its execution timeout must be armed after the step
        Handler reportsAndHangs = job -> job.after(0, () -> job.progress(EngineFixture.json("{\"step\": 1}")));
        ControllableClock running = ControllableClock.system();
        Engine other = new Engine(settings, running, () -> reportsAndHangs, JobEvents.NONE);
        try {
            JobView submitted = other.submit(EngineFixture.EP,
                    new JobRequest(EngineFixture.input("{}"), null, new Policy(5_000L, null, false), null, false));
            assertEquals(JobStatus.IN_PROGRESS, other.find(EngineFixture.EP, submitted.id()).orElseThrow().status());

            running.advance(5_000);

            assertEquals(JobStatus.TIMED_OUT, other.find(EngineFixture.EP, submitted.id()).orElseThrow().status(),
                    "the execution timeout never fired");
        } finally {
            other.close();
            running.close();
        }
    }

    @Test
    void aStepOfAJobThatEndedBeforeItRanDoesNotRun() {
        AtomicBoolean stepRan = new AtomicBoolean();
        Settings settings = new Settings();
        settings.requestLog = false;
        // the handler schedules a zero-delay step, then fails the job in the same breath: the step is pending
        // (deferred until the engine lock is free) when the job ends, and must then never run
        Handler failsAtOnce = job -> {
            job.after(0, () -> stepRan.set(true));
            job.fail("at once");
        };
        ControllableClock running = ControllableClock.system();
        Engine other = new Engine(settings, running, () -> failsAtOnce, JobEvents.NONE);
        try {
            JobView submitted = other.submit(EngineFixture.EP,
                    new JobRequest(EngineFixture.input("{}"), null, Policy.NONE, null, false));

            assertEquals(JobStatus.FAILED, other.find(EngineFixture.EP, submitted.id()).orElseThrow().status());
            assertFalse(stepRan.get(), "a step of an ended job ran");
        } finally {
            other.close();
            running.close();
        }
    }
}
