package dev.runpodkit.mock.engine;

import dev.runpodkit.mock.clock.Clock;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.workers.JobContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Workers connected over RunPod's worker protocol (runpod-api.md §6.2; wire-captures.md §3): a real
 * runpod-python handler, or anything that speaks job-take, job-done, job-stream, job-stop and ping. Knows
 * nothing of HTTP. It shares the {@link Engine}'s lock: every public method takes it, every long-poll and the
 * lost-worker check are timers on the engine's clock, and futures are completed after the lock is released.
 *
 * <p>A connected worker exists from its first request until it is lost (silent for
 * {@code workerLostAfterPings} ping intervals) or, after a {@code stopPod}, until that long has passed since it
 * retired or since the last job it still held ended (what it sends meanwhile does not keep it). The jobs it holds run through the engine like any other job (execution timeout, ttl, cancel,
 * webhooks); when the platform ends one (cancel, timeout, expiry) the worker learns it through job-stop.
 */
public final class ExternalWorkers {

    private static final Logger LOG = LoggerFactory.getLogger("runpod-mock.workers");
    /** How many finished and lost job records are kept to answer late or repeated posts. */
    private static final int MEMORY = 10_000;

    /** A job handed to a connected worker, with its run (the engine's handle on that attempt). */
    public record Claimed(JobView job, JobContext run) {
    }

    /** What a worker posts about a job it holds. */
    public enum Kind {
        /** job-done with a final result ({@code output}, {@code error}, {@code stopPod}). */
        RESULT,
        /** job-done with {@code "status": "IN_PROGRESS"}: a progress report (runpod-python's progress_update). */
        PROGRESS,
        /** job-stream: one chunk for /stream. */
        CHUNK
    }

    /** How a post was taken. */
    public enum Outcome {
        /** Applied to the job. */
        APPLIED,
        /** The same worker already ended the job with its result: a repeated post, nothing changes (HTTP 200). */
        DUPLICATE,
        /** The worker was lost while holding the job, which moved on: the late post is discarded (HTTP 200, DEC-022). */
        DISCARDED,
        /** No such job: unknown, purged or expired (HTTP 404). */
        NOT_FOUND,
        /** The job exists but this worker does not hold it: cancelled, timed out, queued, another worker's (HTTP 404). */
        NOT_HELD
    }

    public record Report(Outcome outcome, String message) {
        public boolean ok() {
            return outcome == Outcome.APPLIED || outcome == Outcome.DUPLICATE || outcome == Outcome.DISCARDED;
        }
    }

    /** A connected worker as the admin API shows it. */
    public record WorkerView(String endpointId, String workerId, long firstSeenAt, long lastSeenAt, List<String> jobs,
                             boolean retired, boolean waitingForJobs, boolean waitingForStop, List<String> pendingStops,
                             String runpodVersion, long pings) {
    }

    record Counts(long idle, long running) {
    }

    private final Engine engine;
    private final Clock clock;
    /** endpoint id → worker id → worker, in order of first contact. */
    private final Map<String, Map<String, Connected>> connected = new LinkedHashMap<>();
    /** endpoint id → job-takes waiting for a job, oldest first. */
    private final Map<String, Deque<Take>> waiting = new LinkedHashMap<>();
    /** "endpoint/job" → the worker whose result ended it, so a repeated job-done is recognised. */
    private final Map<String, String> finishedBy = bounded();
    /** "endpoint/job" → the workers that lost it, so their late posts are discarded (DEC-022). */
    private final Map<String, Set<String>> lostBy = bounded();

    ExternalWorkers(Engine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    private final class Connected {
        final String endpointId;
        final String id;
        final long firstSeen;
        long lastSeen;
        long pings;
        String runpodVersion;
        final Map<String, Held> held = new LinkedHashMap<>();
        Take take;
        StopPoll stop;
        final Set<String> toStop = new LinkedHashSet<>();
        Clock.Timer lostCheck;
        boolean retired;
        boolean warnedBuiltin;

        Connected(String endpointId, String id, long now) {
            this.endpointId = endpointId;
            this.id = id;
            this.firstSeen = now;
            this.lastSeen = now;
        }
    }

    private static final class Held {
        final JobContext run;
        int missedPings;

        Held(JobContext run) {
            this.run = run;
        }
    }

    private static final class Take {
        final Connected worker;
        final int max;
        final CompletableFuture<List<JobView>> future = new CompletableFuture<>();
        Clock.Timer timer;

        Take(Connected worker, int max) {
            this.worker = worker;
            this.max = max;
        }
    }

    private static final class StopPoll {
        final CompletableFuture<List<String>> future = new CompletableFuture<>();
        Clock.Timer timer;
    }

    // ---------------------------------------------------------------- job-take, job-take-batch

    /**
     * job-take (max 1) and job-take-batch (max N): completes with up to {@code max} jobs, each now running on
     * this worker, or with none once {@code waitMs} of mock time have passed. A worker has one take at a time:
     * a new take releases (empty) one still parked, whose connection the worker has given up on.
     */
    public CompletableFuture<List<JobView>> take(String endpointId, String workerId, int max, long waitMs) {
        return engine.locked(() -> {
            Connected w = contact(endpointId, workerId);
            releaseTake(w);
            Settings s = engine.settings();
            if (!engine.isExternal(endpointId)) {
                if (!w.warnedBuiltin && s.requestLog) {
                    w.warnedBuiltin = true;
                    LOG.warn("worker {} asks endpoint {} for jobs, but the endpoint runs built-in workers: it gets none."
                            + " Start the mock with --mode external (or --endpoint-mode {}=external).", workerId, endpointId, endpointId);
                }
            } else if (!w.retired || s.has(Defect.WORKER_STOP_POD_IGNORED)) {
                List<Claimed> claimed = engine.claim(endpointId, workerId, Math.max(1, max));
                if (!claimed.isEmpty()) {
                    return CompletableFuture.completedFuture(hold(w, claimed));
                }
            }
            if (waitMs <= 0) {
                return CompletableFuture.completedFuture(List.of());
            }
            Take take = new Take(w, Math.max(1, max));
            w.take = take;
            waiting.computeIfAbsent(endpointId, k -> new ArrayDeque<>()).addLast(take);
            take.timer = clock.schedule(waitMs, () -> engine.locked(() -> {
                if (w.take == take) {
                    w.take = null;
                    touchIfActive(w);
                    engine.completeLater(take.future, List.of());
                }
                return null;
            }));
            return take.future;
        });
    }

    /** Called by the engine, under its lock, whenever an external endpoint's queue may have work for waiting takes. */
    void dispatch(String endpointId) {
        Deque<Take> takes = waiting.get(endpointId);
        if (takes == null) {
            return;
        }
        boolean stopPodIgnored = engine.settings().has(Defect.WORKER_STOP_POD_IGNORED);
        for (Iterator<Take> it = takes.iterator(); it.hasNext(); ) {
            Take take = it.next();
            if (take.worker.take != take) {
                it.remove(); // answered or released meanwhile
                continue;
            }
            if (take.worker.retired && !stopPodIgnored) {
                continue;
            }
            List<Claimed> claimed = engine.claim(endpointId, take.worker.id, take.max);
            if (claimed.isEmpty()) {
                break; // the queue is empty
            }
            it.remove();
            take.worker.take = null;
            // parked until now, so alive until now: its silence counts from the answer, as after an empty take
            touchIfActive(take.worker);
            cancel(take.timer);
            engine.completeLater(take.future, hold(take.worker, claimed));
        }
    }

    private List<JobView> hold(Connected w, List<Claimed> claimed) {
        List<JobView> jobs = new ArrayList<>(claimed.size());
        for (Claimed c : claimed) {
            w.held.put(c.job().id(), new Held(c.run()));
            jobs.add(c.job());
        }
        return jobs;
    }

    private void releaseTake(Connected w) {
        Take old = w.take;
        if (old != null) {
            w.take = null;
            cancel(old.timer);
            engine.completeLater(old.future, List.of());
        }
    }

    // ---------------------------------------------------------------- job-done, job-stream

    /**
     * A worker's post about job {@code jobId}: a result, a progress report or a stream chunk. Applied only if the
     * worker holds the job's current run; otherwise nothing changes and the outcome says why.
     *
     * @param error   the job-done {@code error} when it is a string (the job ends FAILED), else null
     * @param stopPod the job-done {@code stopPod}: the worker is retired after this job
     */
    public Report report(String endpointId, String workerId, String jobId, Kind kind, JsonNode output, String error,
                         boolean stopPod) {
        return engine.locked(() -> {
            Settings s = engine.settings();
            // a post keeps a connected worker alive, but does not connect one: a worker that never took a job holds
            // none, and registering it on a refused post showed a phantom idle worker in /health
            Connected w = find(endpointId, workerId);
            if (w != null) {
                touchIfActive(w);
            }
            Optional<JobView> job = engine.find(endpointId, jobId);
            if (job.isEmpty()) {
                if (s.has(Defect.WORKER_DONE_ALWAYS_200)) {
                    return new Report(Outcome.DISCARDED, "ignored");
                }
                return new Report(Outcome.NOT_FOUND, "Job '" + jobId + "' not found on endpoint '" + endpointId
                        + "': unknown, purged, or expired (ttl or retention).");
            }
            String key = endpointId + "/" + jobId;
            Held held = w == null ? null : w.held.get(jobId);
            if (held != null && held.run.active()) {
                switch (kind) {
                    case PROGRESS -> {
                        if (s.has(Defect.WORKER_PROGRESS_ENDS_JOB)) {
                            w.held.remove(jobId);
                            finishedBy.put(key, workerId);
                            held.run.complete(output);
                        } else {
                            held.run.progress(output);
                        }
                    }
                    case CHUNK -> {
                        if (!s.has(Defect.WORKER_STREAM_DROPPED)) {
                            held.run.chunk(output);
                        }
                    }
                    case RESULT -> {
                        w.held.remove(jobId);
                        w.toStop.remove(jobId);
                        finishedBy.put(key, workerId);
                        if (stopPod) {
                            retire(w);
                        }
                        if (error != null && !s.has(Defect.WORKER_ERROR_COMPLETES)) {
                            held.run.fail(error);
                        } else {
                            held.run.complete(output);
                        }
                    }
                }
                return new Report(Outcome.APPLIED, "accepted");
            }
            if (held != null) {
                w.held.remove(jobId); // its run ended without the stop hook (cannot happen today; be safe)
            }
            JobView v = job.get();
            if (workerId.equals(finishedBy.get(key)) && v.status().isTerminal()) {
                if (kind == Kind.RESULT && s.has(Defect.WORKER_DONE_NOT_IDEMPOTENT)) {
                    return new Report(Outcome.NOT_HELD, "Job '" + jobId + "' is already " + v.status() + ".");
                }
                return new Report(Outcome.DUPLICATE, "duplicate: job " + jobId + " already ended " + v.status()
                        + " with this worker's result; nothing changed");
            }
            if (lostBy.getOrDefault(key, Set.of()).contains(workerId)) {
                return new Report(Outcome.DISCARDED, "discarded: worker " + workerId + " was lost while holding job "
                        + jobId + ", which has moved on (now " + v.status() + ")");
            }
            if (s.has(Defect.WORKER_DONE_ALWAYS_200)) {
                return new Report(Outcome.DISCARDED, "ignored");
            }
            return new Report(Outcome.NOT_HELD, "Job '" + jobId + "' is " + v.status() + " and not held by worker '"
                    + workerId + "'" + (v.status() == JobStatus.CANCELLED || v.status() == JobStatus.TIMED_OUT
                    ? ": it was stopped (job-stop names it)." : "."));
        });
    }

    // ---------------------------------------------------------------- job-stop

    /**
     * job-stop: completes with the ids of this worker's jobs the platform has ended (cancelled, timed out,
     * expired) since its last job-stop, at once if there are some, else when one arrives or {@code waitMs} passes.
     */
    public CompletableFuture<List<String>> stopPoll(String endpointId, String workerId, long waitMs) {
        return engine.locked(() -> {
            Connected w = contact(endpointId, workerId);
            StopPoll old = w.stop;
            if (old != null) {
                w.stop = null;
                cancel(old.timer);
                engine.completeLater(old.future, List.of());
            }
            if (!w.toStop.isEmpty()) {
                List<String> ids = List.copyOf(w.toStop);
                w.toStop.clear();
                return CompletableFuture.completedFuture(ids);
            }
            if (waitMs <= 0) {
                return CompletableFuture.completedFuture(List.of());
            }
            StopPoll poll = new StopPoll();
            w.stop = poll;
            poll.timer = clock.schedule(waitMs, () -> engine.locked(() -> {
                if (w.stop == poll) {
                    w.stop = null;
                    touchIfActive(w);
                    engine.completeLater(poll.future, List.of());
                }
                return null;
            }));
            return poll.future;
        });
    }

    /** Called by the engine, under its lock, when it stops a run a connected worker holds (cancel, timeout, ttl). */
    void stopped(String endpointId, String workerId, String jobId) {
        Connected w = find(endpointId, workerId);
        if (w == null || w.held.remove(jobId) == null || engine.settings().has(Defect.WORKER_NO_STOP)) {
            return;
        }
        w.toStop.add(jobId);
        StopPoll poll = w.stop;
        if (poll != null) {
            w.stop = null;
            cancel(poll.timer);
            List<String> ids = List.copyOf(w.toStop);
            w.toStop.clear();
            engine.completeLater(poll.future, ids);
        }
    }

    // ---------------------------------------------------------------- ping

    /**
     * ping: the worker is alive and holds {@code jobIds} (empty when idle). A job this worker holds that its
     * pings stop listing (it restarted under the same id, or never received the job) is lost to it.
     *
     * @param unhealthy the worker reports a failed fitness check ({@code status=unhealthy}) and is about to exit
     */
    public void ping(String endpointId, String workerId, Collection<String> jobIds, String runpodVersion,
                     boolean unhealthy, String detail) {
        engine.locked(() -> {
            Settings s = engine.settings();
            if (s.has(Defect.WORKER_PING_IGNORED)) {
                return null;
            }
            Connected w = contact(endpointId, workerId);
            w.pings++;
            if (runpodVersion != null && !runpodVersion.isBlank()) {
                w.runpodVersion = runpodVersion.length() > 40 ? runpodVersion.substring(0, 40) : runpodVersion;
            }
            if (unhealthy) {
                lose(w, "it reported a failed start-up check (" + detail + ")");
                return null;
            }
            int limit = Math.max(2, s.workerLostAfterPings);
            Set<String> listed = new HashSet<>(jobIds);
            List<Map.Entry<String, Held>> forgotten = new ArrayList<>();
            for (Map.Entry<String, Held> e : w.held.entrySet()) {
                if (listed.contains(e.getKey())) {
                    e.getValue().missedPings = 0;
                } else if (++e.getValue().missedPings >= limit) {
                    forgotten.add(e);
                }
            }
            for (Map.Entry<String, Held> e : forgotten) {
                w.held.remove(e.getKey());
                lostBy.computeIfAbsent(endpointId + "/" + e.getKey(), k -> new HashSet<>()).add(workerId);
                log("worker {} on endpoint {} no longer lists job {} in its pings: the job is lost to it", workerId, endpointId, e.getKey());
                engine.loseRun(e.getValue().run, "worker " + workerId + " stopped listing it in its pings");
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- life and loss of a worker

    /** Any request from a worker: it is connected (first contact) and alive (unless retired with no job left). */
    private Connected contact(String endpointId, String workerId) {
        Map<String, Connected> workers = connected.computeIfAbsent(endpointId, k -> new LinkedHashMap<>());
        Connected w = workers.get(workerId);
        long now = clock.now();
        if (w == null) {
            w = new Connected(endpointId, workerId, now);
            workers.put(workerId, w);
            log("worker {} connected to endpoint {}", workerId, endpointId);
            scheduleLostCheck(w, engine.settings().workerLostAfterMs());
        } else {
            touchIfActive(w);
        }
        return w;
    }

    /**
     * The worker is in touch: its silence counts from now. A retired worker (stopPod) counts only while it still
     * holds jobs: it takes no new one, but runpod-python finishes those it holds, pinging meanwhile.
     */
    private void touchIfActive(Connected w) {
        if (!w.retired || !w.held.isEmpty()) {
            w.lastSeen = clock.now();
        }
    }

    private void scheduleLostCheck(Connected w, long delayMs) {
        w.lostCheck = clock.schedule(Math.max(1, delayMs), () -> engine.locked(() -> {
            w.lostCheck = null;
            checkLost(w);
            return null;
        }));
    }

    /** A worker is alive while it keeps in touch: a request within the limit, or a job-take or job-stop it is parked in. */
    private void checkLost(Connected w) {
        if (find(w.endpointId, w.id) != w) {
            return;
        }
        long limit = engine.settings().workerLostAfterMs();
        long silent = clock.now() - w.lastSeen;
        boolean parked = (!w.retired || !w.held.isEmpty()) && (w.take != null || w.stop != null);
        if (parked || silent < limit) {
            scheduleLostCheck(w, parked ? limit : limit - silent);
            return;
        }
        if (w.retired && w.held.isEmpty()) {
            forget(w);
            log("retired worker {} on endpoint {} is forgotten; its id may connect again", w.id, w.endpointId);
            return;
        }
        lose(w, "no ping, job-take or job-done for " + silent + " ms (limit " + limit + " ms)");
    }

    /** The worker is gone: it is forgotten, and each job it held follows the lost-worker rule (DEC-022). */
    private void lose(Connected w, String reason) {
        forget(w);
        List<Map.Entry<String, Held>> held = new ArrayList<>(w.held.entrySet());
        w.held.clear();
        log("worker {} on endpoint {} is lost: {}; {} job(s) affected", w.id, w.endpointId, reason, held.size());
        for (Map.Entry<String, Held> e : held) {
            lostBy.computeIfAbsent(w.endpointId + "/" + e.getKey(), k -> new HashSet<>()).add(w.id);
            engine.loseRun(e.getValue().run, "worker " + w.id + " lost: " + reason);
        }
    }

    private void forget(Connected w) {
        Map<String, Connected> workers = connected.get(w.endpointId);
        if (workers != null) {
            workers.remove(w.id, w);
        }
        cancel(w.lostCheck);
        w.lostCheck = null;
        releaseTake(w);
        StopPoll poll = w.stop;
        if (poll != null) {
            w.stop = null;
            cancel(poll.timer);
            engine.completeLater(poll.future, List.of());
        }
    }

    /**
     * stopPod: no further job for this worker. It is forgotten the lost-worker limit after it retired, or after the
     * last of the other jobs it held ended; while it holds some it is kept, and lost like any worker if it falls silent.
     */
    private void retire(Connected w) {
        if (engine.settings().has(Defect.WORKER_STOP_POD_IGNORED)) {
            return;
        }
        w.retired = true;
        w.lastSeen = clock.now();
        releaseTake(w);
        log("worker {} on endpoint {} is retired (stopPod): it gets no further job", w.id, w.endpointId);
    }

    /** Forgets every worker (admin reset); waiting requests are answered empty. */
    void reset() {
        for (Map<String, Connected> workers : connected.values()) {
            for (Connected w : List.copyOf(workers.values())) {
                forget(w);
            }
        }
        connected.clear();
        waiting.clear();
        finishedBy.clear();
        lostBy.clear();
    }

    // ---------------------------------------------------------------- views

    /**
     * /health of an external endpoint: connected workers without a job are idle, with one running; a retired worker
     * (stopPod) is never idle, but running while it finishes the jobs it still holds.
     */
    Counts counts(String endpointId) {
        long idle = 0;
        long running = 0;
        for (Connected w : connected.getOrDefault(endpointId, Map.of()).values()) {
            if (w.retired && w.held.isEmpty()) {
                continue;
            }
            if (w.held.isEmpty()) {
                idle++;
            } else {
                running++;
            }
        }
        return new Counts(idle, running);
    }

    /** Every connected worker (of one endpoint, or all when null), for the admin API. */
    public List<WorkerView> list(String endpointIdOrNull) {
        return engine.locked(() -> {
            List<WorkerView> out = new ArrayList<>();
            for (Map.Entry<String, Map<String, Connected>> e : connected.entrySet()) {
                if (endpointIdOrNull != null && !endpointIdOrNull.equals(e.getKey())) {
                    continue;
                }
                for (Connected w : e.getValue().values()) {
                    out.add(new WorkerView(w.endpointId, w.id, w.firstSeen, w.lastSeen, List.copyOf(w.held.keySet()),
                            w.retired, w.take != null, w.stop != null, List.copyOf(w.toStop), w.runpodVersion, w.pings));
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- helpers

    private Connected find(String endpointId, String workerId) {
        Map<String, Connected> workers = connected.get(endpointId);
        return workers == null ? null : workers.get(workerId);
    }

    private void log(String format, Object... args) {
        if (engine.settings().requestLog) {
            LOG.info(format, args);
        }
    }

    private static void cancel(Clock.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    private static <V> Map<String, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MEMORY;
            }
        };
    }
}
