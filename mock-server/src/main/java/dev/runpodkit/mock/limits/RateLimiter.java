package dev.runpodkit.mock.limits;

import dev.runpodkit.mock.clock.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RunPod's per-endpoint, per-operation limits (runpod-api.md §4.3; DEC-029): a number of requests per
 * sliding 10 s window and a number of requests in flight at once. Windows are measured on the mock's
 * {@link Clock}, so a test can fill one and let it pass in milliseconds.
 */
public final class RateLimiter {

    /** The documented limits of one operation; {@code concurrent} 0 means none. */
    public record Limit(int perWindow, int concurrent) { }

    /** docs:send-requests, "Rate limits" (unchanged since 2025-04). /status-sync shares /status's. */
    public static final Map<String, Limit> DOCUMENTED = Map.of(
            "runsync", new Limit(2000, 400),
            "run", new Limit(1000, 200),
            "status", new Limit(2000, 400),
            "stream", new Limit(2000, 400),
            "cancel", new Limit(100, 20),
            "purge-queue", new Limit(2, 0));

    /** The outcome of asking to start a request. */
    public sealed interface Decision permits Permit, Refused { }

    /** Granted; {@link #release()} when the answer has gone out. */
    public static final class Permit implements Decision {
        private final Bucket bucket;
        private boolean released;

        Permit(Bucket bucket) {
            this.bucket = bucket;
        }

        public synchronized void release() {
            if (!released && bucket != null) {
                released = true;
                bucket.release();
            }
        }
    }

    /** Refused: over the limit; try again after {@code retryAfterSeconds} (whole seconds, at least 1). */
    public record Refused(String reason, long retryAfterSeconds) implements Decision { }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param operation     one of {@link #DOCUMENTED}'s keys; other operations are not limited
     * @param windowMs      the window (10000 documented)
     * @param runningWorkers for the dynamic rule: the rate limit is max(base, running workers × perWorker)
     */
    public Decision acquire(String endpointId, String operation, long windowMs, int runningWorkers, int perWorker) {
        Limit limit = DOCUMENTED.get(operation);
        if (limit == null) {
            return new Permit(null);
        }
        int perWindow = Math.max(limit.perWindow(), runningWorkers * perWorker);
        Bucket bucket = buckets.computeIfAbsent(endpointId + " " + operation, k -> new Bucket());
        return bucket.acquire(clock.now(), windowMs, perWindow, limit.concurrent(), operation);
    }

    /** Forgets every window (admin reset). */
    public void clear() {
        buckets.clear();
    }

    static final class Bucket {
        private final Deque<Long> starts = new ArrayDeque<>();
        private int inFlight;

        synchronized Decision acquire(long now, long windowMs, int perWindow, int concurrent, String operation) {
            while (!starts.isEmpty() && starts.peekFirst() <= now - windowMs) {
                starts.removeFirst();
            }
            if (starts.size() >= perWindow) {
                long freesAt = starts.peekFirst() + windowMs;
                return new Refused("/" + operation + " allows " + perWindow + " requests per " + windowMs / 1000
                        + " s per endpoint", Math.max(1, (long) Math.ceil((freesAt - now) / 1000.0)));
            }
            if (concurrent > 0 && inFlight >= concurrent) {
                return new Refused("/" + operation + " allows " + concurrent + " requests in flight per endpoint", 1);
            }
            starts.addLast(now);
            inFlight++;
            return new Permit(this);
        }

        synchronized void release() {
            inFlight = Math.max(0, inFlight - 1);
        }
    }
}
