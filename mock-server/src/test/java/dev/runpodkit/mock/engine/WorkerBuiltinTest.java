package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.config.Defect;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in worker's mock_crash and mock_refresh (runpod/mock-worker, WORKER-015): a crash is a lost worker
 * (DEC-022: requeued once under the same id, FAILED when lost again); a refresh retires the worker after its job.
 */
class WorkerBuiltinTest {

    private EngineFixture f;

    private EngineFixture fixture(Consumer<dev.runpodkit.mock.config.Settings> tweak) {
        f = new EngineFixture(s -> {
            s.workersMin = s.workersMax = 1;
            tweak.accept(s);
        });
        return f;
    }

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void aCrashRequeuesTheJobOnceOnAFreshWorkerThenFailsIt() {
        fixture(s -> { });
        String id = f.submit("{\"mock_crash\": true, \"mock_delay\": 1}").id();
        f.advance(0);
        String firstWorker = f.job(id).workerId();
        f.advance(1_000);
        JobView second = f.job(id);
        assertEquals(JobStatus.IN_PROGRESS, second.status(), "requeued at once and picked up by the replacement worker");
        assertNotEquals(firstWorker, second.workerId(), "the crashed worker is gone");
        assertEquals(0, second.retries(), "a requeue after a crash is not a /retry");
        f.advance(1_000);
        JobView failed = f.job(id);
        assertEquals(JobStatus.FAILED, failed.status());
        assertTrue(failed.error().contains("crashed"), failed.error());
        assertEquals(1, f.health().failed());
        assertEquals(1, f.terminalEvents.size(), "one terminal event (webhook) for the job");
        assertEquals(1, f.health().idle(), "the pool is back to its size");
    }

    @Test
    void moreLostWorkerRetriesMeanMoreRuns() {
        fixture(s -> s.lostWorkerRetries = 2);
        String id = f.submit("{\"mock_crash\": true, \"mock_delay\": 1}").id();
        f.advance(2_000);
        f.assertStatus(JobStatus.IN_PROGRESS, id);
        f.advance(1_000);
        f.assertStatus(JobStatus.FAILED, id);
    }

    @Test
    void aCrashedJobGoesBackAheadOfTheQueue() {
        fixture(s -> s.coldStartMs = 5_000);
        String crashing = f.submit("{\"mock_crash\": true}").id();
        String waiting = f.submit("{\"mock_return\": 2}").id();
        f.advance(0);
        f.assertStatus(JobStatus.IN_QUEUE, crashing);
        f.assertStatus(JobStatus.IN_QUEUE, waiting);
        f.advance(5_000); // the replacement worker is ready: the crashed job runs first
        f.assertStatus(JobStatus.FAILED, crashing);
        f.advance(5_000);
        f.assertStatus(JobStatus.COMPLETED, waiting);
    }

    @Test
    void aRefreshRetiresTheWorkerAfterItsJob() {
        fixture(s -> { });
        String id = f.submit("{\"mock_refresh\": true, \"mock_return\": 1}").id();
        f.advance(0);
        f.assertStatus(JobStatus.COMPLETED, id);
        String refreshed = f.job(id).workerId();
        String next = f.submit("{\"mock_return\": 2}").id();
        f.advance(0);
        f.assertStatus(JobStatus.COMPLETED, next);
        assertNotEquals(refreshed, f.job(next).workerId(), "a fresh worker took the retired one's place");
    }

    @Test
    void theRefreshIgnoredDefectKeepsTheWorker() {
        fixture(s -> s.defects.add(Defect.MOCK_REFRESH_IGNORED));
        String id = f.submit("{\"mock_refresh\": true}").id();
        f.advance(0);
        String next = f.submit("{}").id();
        f.advance(0);
        assertEquals(f.job(id).workerId(), f.job(next).workerId());
    }

    @Test
    void theLostNotRequeuedDefectLeavesTheJobToItsTimeout() {
        fixture(s -> s.defects.add(Defect.WORKER_LOST_NOT_REQUEUED));
        String id = f.submit("{\"mock_crash\": true}", new Policy(5_000L, null, false)).id();
        f.advance(1_000);
        f.assertStatus(JobStatus.IN_PROGRESS, id);
        f.advance(4_000);
        f.assertStatus(JobStatus.TIMED_OUT, id);
    }

    @Test
    void aMockDelayThatTimeSleepWouldRefuseFailsTheJobSayingItMustBeANumberOfSeconds() {
        // {"mock_delay": "x"} completed at once; the mock-worker's time.sleep("x") raises, so the job ends FAILED
        fixture(s -> s.workersMin = s.workersMax = 4);
        String text = f.submit("{\"mock_delay\": \"x\", \"mock_return\": 1}").id();
        String nul = f.submit("{\"mock_delay\": null}").id();
        String negative = f.submit("{\"mock_delay\": -1}").id();
        String generator = f.submit("{\"mock_delay\": [1], \"mock_generator\": true, \"mock_return\": [1, 2]}").id();
        f.advance(0);
        for (String id : new String[] {text, nul, negative, generator}) {
            JobView job = f.job(id);
            assertEquals(JobStatus.FAILED, job.status(), id);
            assertTrue(job.error().contains("mock_delay must be a number of seconds"), job.error());
        }
        assertTrue(f.job(text).error().contains("\"error_type\":\"<class 'TypeError'>\"") && f.job(text).error().contains("not string"),
                f.job(text).error());
        assertTrue(f.job(negative).error().contains("ValueError") && f.job(negative).error().contains(">= 0"), f.job(negative).error());
        assertTrue(f.job(generator).error().startsWith("handler: mock_delay"), "a generator's error text: " + f.job(generator).error());
    }

    @Test
    void aMockDelayThatIsANumberStillDelaysTheWork() {
        fixture(s -> s.workersMin = s.workersMax = 3);
        String whole = f.submit("{\"mock_delay\": 2}").id();
        String fraction = f.submit("{\"mock_delay\": 0.5}").id();
        String flag = f.submit("{\"mock_delay\": true}").id(); // a bool is an int to time.sleep: one second
        f.advance(499);
        f.assertStatus(JobStatus.IN_PROGRESS, fraction);
        f.advance(1);
        f.assertStatus(JobStatus.COMPLETED, fraction);
        f.advance(499);
        f.assertStatus(JobStatus.IN_PROGRESS, flag);
        f.advance(1);
        f.assertStatus(JobStatus.COMPLETED, flag);
        f.assertStatus(JobStatus.IN_PROGRESS, whole);
        f.advance(1_000);
        f.assertStatus(JobStatus.COMPLETED, whole);
    }
}
