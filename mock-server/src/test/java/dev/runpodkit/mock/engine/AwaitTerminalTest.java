package dev.runpodkit.mock.engine;

import static dev.runpodkit.mock.engine.EngineFixture.EP;
import static dev.runpodkit.mock.engine.EngineFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The wait behind /runsync and /status-sync: ends when the job ends, or with the job as it is when time is up. */
class AwaitTerminalTest {

    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theWaitEndsWhenTheJobEnds() {
        String id = f.submit("{\"mock_delay\": 3, \"mock_return\": \"r\"}").id();
        CompletableFuture<Optional<JobView>> waiting = f.engine.awaitTerminal(EP, id, 10_000);
        f.advance(2_999);
        assertTrue(EngineFixture.stillPending(waiting), "the job is still running");
        f.advance(1);
        JobView done = await(waiting).orElseThrow();
        assertEquals(JobStatus.COMPLETED, done.status());
        assertEquals(EngineFixture.json("\"r\""), done.output());
    }

    @Test
    void whenTheWaitRunsOutItAnswersWithTheJobAsItIs() {
        String id = f.submit("{\"mock_delay\": 30}").id();
        CompletableFuture<Optional<JobView>> waiting = f.engine.awaitTerminal(EP, id, 5_000);
        f.advance(4_999);
        assertTrue(EngineFixture.stillPending(waiting));
        f.advance(1);
        JobView now = await(waiting).orElseThrow();
        assertEquals(JobStatus.IN_PROGRESS, now.status());
        f.advance(25_000);
        f.assertStatus(JobStatus.COMPLETED, id);
    }

    @Test
    void aTerminalJobOrAZeroWaitIsAnsweredAtOnce() {
        String done = f.submit("{}").id();
        f.advance(0);
        CompletableFuture<Optional<JobView>> terminal = f.engine.awaitTerminal(EP, done, 60_000);
        assertTrue(terminal.isDone());
        assertEquals(JobStatus.COMPLETED, terminal.join().orElseThrow().status());

        String running = f.submit("{\"mock_delay\": 10}").id();
        CompletableFuture<Optional<JobView>> zero = f.engine.awaitTerminal(EP, running, 0);
        assertTrue(zero.isDone());
        assertEquals(JobStatus.IN_PROGRESS, zero.join().orElseThrow().status());
    }

    @Test
    void anUnknownJobIsAnsweredAtOnceWithNothing() {
        CompletableFuture<Optional<JobView>> w = f.engine.awaitTerminal(EP, "nope", 60_000);
        assertTrue(w.isDone());
        assertEquals(Optional.empty(), w.join());
    }

    @Test
    void aCancelEndsTheWait() {
        String id = f.submit("{\"mock_delay\": 10}").id();
        CompletableFuture<Optional<JobView>> waiting = f.engine.awaitTerminal(EP, id, 60_000);
        f.engine.cancel(EP, id);
        assertEquals(JobStatus.CANCELLED, await(waiting).orElseThrow().status());
    }

    @Test
    void aThousandConcurrentWaitsOnOneJobAllComplete() throws Exception {
        String id = f.submit("{\"mock_delay\": 1}").id();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<CompletableFuture<Optional<JobView>>>> started = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                started.add(pool.submit(() -> f.engine.awaitTerminal(EP, id, 60_000)));
            }
            List<CompletableFuture<Optional<JobView>>> waits = new ArrayList<>();
            for (Future<CompletableFuture<Optional<JobView>>> s : started) {
                waits.add(s.get(5, TimeUnit.SECONDS));
            }
            assertTrue(waits.stream().noneMatch(CompletableFuture::isDone), "nobody is answered before the job ends");

            f.advance(1_000);

            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            for (CompletableFuture<Optional<JobView>> w : waits) {
                assertEquals(JobStatus.COMPLETED, w.join().orElseThrow().status());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aThousandWaitsOnDifferentJobsAllRunOut() throws Exception {
        List<CompletableFuture<Optional<JobView>>> waits = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            String id = f.submit("{\"mock_delay\": 100}").id();
            waits.add(f.engine.awaitTerminal(EP, id, 1_000 + i));
        }
        f.advance(2_000);
        CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        long notDone = waits.stream().map(w -> w.join().orElseThrow().status()).filter(s -> !s.isTerminal()).count();
        assertEquals(1_000, notDone, "every wait ran out while its job was still queued or running");
    }
}
