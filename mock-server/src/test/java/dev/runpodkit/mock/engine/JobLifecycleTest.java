package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A job's way from submit to a terminal status, with the built-in worker's mock_* keys. */
class JobLifecycleTest {

    private EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aSubmittedJobIsInQueueThenInProgressThenCompletedWithItsMockReturn() {
        JobView submitted = f.submit("{\"mock_return\": {\"answer\": 42}, \"mock_delay\": 2}");

        assertEquals(JobStatus.IN_QUEUE, submitted.status(), "the answer to submit is the job as queued");
        assertNull(submitted.delayTime());
        assertTrue(submitted.id().matches("[0-9a-f-]{36}-u1"), submitted.id());

        JobView running = f.job(submitted.id());
        assertEquals(JobStatus.IN_PROGRESS, running.status(), "an idle worker takes it at once");
        assertNotNull(running.workerId());
        assertTrue(running.workerId().matches("[a-z0-9]{14}"), running.workerId());
        assertEquals(0L, running.delayTime());
        assertNull(running.output());

        f.advance(1_999);
        f.assertStatus(JobStatus.IN_PROGRESS, submitted.id());
        f.advance(1);
        JobView done = f.job(submitted.id());
        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(json("{\"answer\": 42}"), done.output());
        assertNull(done.error());
        assertEquals(running.workerId(), done.workerId());
    }

    @Test
    void aJobWithoutMockReturnEchoesItsInput() {
        String id = f.submit("{\"prompt\": \"hi\", \"n\": [1, 2]}").id();
        f.advance(0);
        JobView done = f.job(id);
        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(json("{\"prompt\": \"hi\", \"n\": [1, 2]}"), done.output());
    }

    @Test
    void aSyncJobIdStartsWithSync() {
        JobView job = f.submitSync("{}");
        assertTrue(job.id().startsWith("sync-"), job.id());
        assertTrue(job.sync());
        assertFalse(f.submit("{}").id().startsWith("sync-"));
    }

    @Test
    void delayTimeAndExecutionTimeAreMeasuredOnTheClock() {
        f.close();
        f = new EngineFixture(s -> s.workersMin = s.workersMax = 1);
        String a = f.submit("{\"mock_delay\": 2}").id();
        String b = f.submit("{\"mock_delay\": 3.5}").id();
        f.assertStatus(JobStatus.IN_QUEUE, b);
        assertNull(f.job(b).delayTime(), "a queued job has no delayTime yet");

        f.advance(2_000);
        JobView doneA = f.job(a);
        assertEquals(JobStatus.COMPLETED, doneA.status());
        assertEquals(0L, doneA.delayTime());
        assertEquals(2_000L, doneA.executionTime());

        JobView runningB = f.job(b);
        assertEquals(JobStatus.IN_PROGRESS, runningB.status());
        assertEquals(2_000L, runningB.delayTime(), "b waited for a's 2 s");
        assertNull(runningB.executionTime());

        f.advance(3_500);
        JobView doneB = f.job(b);
        assertEquals(JobStatus.COMPLETED, doneB.status());
        assertEquals(2_000L, doneB.delayTime());
        assertEquals(3_500L, doneB.executionTime());
        assertEquals(EngineFixture.T0 + 2_000, doneB.startedAt());
        assertEquals(EngineFixture.T0 + 5_500, doneB.finishedAt());
    }

    @Test
    void aMockErrorEndsFailedWithAnErrorStringThatIsJsonText() {
        String id = f.submit("{\"mock_error\": \"boom\", \"mock_return\": \"never\", \"mock_delay\": 1}").id();
        f.advance(1_000);
        JobView failed = f.job(id);
        assertEquals(JobStatus.FAILED, failed.status());
        assertNull(failed.output(), "a failed job has no output");
        assertEquals(1_000L, failed.executionTime());

        JsonNode error = json(failed.error());
        assertTrue(error.isObject(), failed.error());
        assertEquals("<class 'Exception'>", error.get("error_type").asString());
        assertEquals("boom", error.get("error_message").asString());
        assertTrue(error.get("error_traceback").asString().contains("boom"));
        assertEquals(failed.workerId(), error.get("worker_id").asString());
    }

    @Test
    void aMockErrorThatIsNotAStringUsesAGenericMessage() {
        String id = f.submit("{\"mock_error\": true}").id();
        f.advance(0);
        assertEquals(JobStatus.FAILED, f.status(id));
        assertEquals("Mock error", json(f.job(id).error()).get("error_message").asString());
    }

    @Test
    void aMockErrorOfFalseOrNullDoesNotFailTheJob() {
        String no = f.submit("{\"mock_error\": false, \"mock_return\": 1}").id();
        String nil = f.submit("{\"mock_error\": null, \"mock_return\": 2}").id();
        f.advance(0);
        assertEquals(JobStatus.COMPLETED, f.status(no));
        assertEquals(JobStatus.COMPLETED, f.status(nil));
    }

    @Test
    void progressUpdatesShowInProgressWithTheLatestUpdateAsOutput() {
        String id = f.submit("{\"mock_progress\": {\"updates\": [{\"pct\": 10}, {\"pct\": 60}], \"wait_time\": 1},"
                + " \"mock_delay\": 1, \"mock_return\": \"done\"}").id();

        f.advance(0);
        JobView first = f.job(id);
        assertEquals(JobStatus.IN_PROGRESS, first.status());
        assertEquals(json("{\"pct\": 10}"), first.output());

        f.advance(1_000);
        assertEquals(JobStatus.IN_PROGRESS, f.status(id));
        assertEquals(json("{\"pct\": 60}"), f.job(id).output());

        f.advance(1_000); // the updates took 2 s; now the 1 s of work
        assertEquals(JobStatus.IN_PROGRESS, f.status(id));
        assertEquals(json("{\"pct\": 60}"), f.job(id).output());

        f.advance(1_000);
        JobView done = f.job(id);
        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(json("\"done\""), done.output(), "the final output replaces the last update");
        assertEquals(3_000L, done.executionTime());
    }

    @Test
    void everyTerminalStatusIsReportedOnceToTheJobEvents() {
        String ok = f.submit("{}").id();
        String bad = f.submit("{\"mock_error\": \"x\"}").id();
        f.advance(0);
        f.advance(60_000);
        List<String> ids = f.terminalEvents.stream().map(JobView::id).toList();
        assertEquals(2, ids.size(), ids.toString());
        assertTrue(ids.containsAll(List.of(ok, bad)));
    }
}
