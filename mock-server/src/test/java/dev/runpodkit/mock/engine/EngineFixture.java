package dev.runpodkit.mock.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.runpodkit.mock.clock.ControllableClock;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.workers.MockWorkerHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** An {@link Engine} on a manual clock with the built-in worker: nothing happens until {@link #advance}. */
final class EngineFixture implements AutoCloseable {

    static final String EP = "test-endpoint";
    static final long T0 = 1_700_000_000_000L;
    static final JsonMapper JSON = JsonMapper.builder().build();

    final ControllableClock clock = ControllableClock.manual(T0);
    final Settings settings = new Settings();
    final Engine engine;
    final List<JobView> terminalEvents = new CopyOnWriteArrayList<>();

    EngineFixture() {
        this(s -> { });
    }

    EngineFixture(Consumer<Settings> tweak) {
        settings.requestLog = false;
        tweak.accept(settings);
        engine = new Engine(settings, clock,
                () -> new MockWorkerHandler(settings.generator, settings.aggregateStream, false, false),
                new JobEvents() {
                    @Override
                    public void onTerminal(JobView job) {
                        terminalEvents.add(job);
                    }
                });
    }

    static ObjectNode input(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    static JsonNode json(String json) {
        return JSON.readTree(json);
    }

    JobView submit(String inputJson) {
        return submit(inputJson, Policy.NONE, false);
    }

    JobView submit(String inputJson, Policy policy) {
        return submit(inputJson, policy, false);
    }

    JobView submitSync(String inputJson) {
        return submit(inputJson, Policy.NONE, true);
    }

    JobView submit(String inputJson, Policy policy, boolean sync) {
        return engine.submit(EP, new JobRequest(input(inputJson), null, policy, null, sync));
    }

    /** The job as it is now; fails if it is gone. */
    JobView job(String id) {
        return engine.find(EP, id).orElseThrow(() -> new AssertionError("job " + id + " is gone"));
    }

    JobStatus status(String id) {
        return job(id).status();
    }

    boolean gone(String id) {
        return engine.find(EP, id).isEmpty();
    }

    HealthView health() {
        return engine.health(EP);
    }

    /** Moves mock time on, running every step that falls due on the way. */
    void advance(long ms) {
        clock.advance(ms);
    }

    long elapsed() {
        return clock.now() - T0;
    }

    void assertStatus(JobStatus expected, String id) {
        assertEquals(expected, status(id), () -> "job " + id + " at +" + elapsed() + " ms: " + job(id));
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the future did not complete within 5 s", e);
        }
    }

    /** True if the future has not completed after a short grace period (completions run on another thread). */
    static boolean stillPending(CompletableFuture<?> f) {
        try {
            f.get(100, TimeUnit.MILLISECONDS);
            return false;
        } catch (TimeoutException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }

    static JobView present(Optional<JobView> v) {
        return v.orElseThrow(() -> new AssertionError("expected a job, got none"));
    }

    @Override
    public void close() {
        engine.close();
        clock.close();
    }
}
