package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.workers.MockWorkerHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A long queue of zero-delay jobs behind a slow one, on a running clock: when the slow job ends, each finished job
 * hands its worker the next, whose step is due at once. That chain must not run as a recursion on one thread (it
 * overflowed the stack at a few thousand jobs and left the worker busy for good) nor keep one thread serving the
 * queue without end: every job completes.
 */
class QueuedBacklogTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int QUEUED = 20_000;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void twentyThousandZeroDelayJobsBehindASlowOneAllComplete() throws InterruptedException {
        Settings settings = new Settings();
        settings.requestLog = false;
        settings.workersMin = 1;
        settings.workersMax = 1;
        CountDownLatch done = new CountDownLatch(QUEUED + 1);
        AtomicInteger notCompleted = new AtomicInteger();
        try (ControllableClock clock = ControllableClock.scaled(1.0)) {
            Engine engine = new Engine(settings, clock, () -> new MockWorkerHandler(false, false, false, false),
                    new JobEvents() {
                        @Override
                        public void onTerminal(JobView job) {
                            if (job.status() != JobStatus.COMPLETED) {
                                notCompleted.incrementAndGet();
                            }
                            done.countDown();
                        }
                    });
            try {
                engine.submit(EngineFixture.EP, request("{\"mock_delay\": 0.3}"));
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < QUEUED; i++) {
                    ids.add(engine.submit(EngineFixture.EP, request("{\"n\": " + i + "}")).id());
                }
                assertTrue(done.await(50, TimeUnit.SECONDS), done.getCount() + " of " + (QUEUED + 1)
                        + " jobs never ended: a worker is stuck or the clock thread died");
                assertEquals(0, notCompleted.get());
                assertEquals(JobStatus.COMPLETED, engine.find(EngineFixture.EP, ids.get(QUEUED - 1)).orElseThrow().status());
                assertEquals(QUEUED + 1, engine.health(EngineFixture.EP).completed());
            } finally {
                engine.close();
            }
        }
    }

    private static JobRequest request(String input) {
        return new JobRequest((ObjectNode) JSON.readTree(input), null, Policy.NONE, null, false);
    }
}
