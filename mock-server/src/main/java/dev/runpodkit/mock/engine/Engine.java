package dev.runpodkit.mock.engine;

import dev.runpodkit.mock.clock.Clock;
import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.workers.Handler;
import dev.runpodkit.mock.workers.JobContext;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The job engine: endpoints, their queues, workers and jobs, and every rule of a job's life. It knows
 * nothing of HTTP. All state is guarded by one lock (this object); operations are short and in memory, and
 * waiting is done with futures completed by events or by timers on the {@link Clock}, never by a blocked
 * thread. Futures are completed after the lock is released, so a caller's continuation never runs under it.
 */
public final class Engine {

    private final Clock clock;
    private final Supplier<Handler> handlers;
    private final JobEvents events;
    /**
     * Written under the lock, read without it: every request reads the settings first, and taking the engine's
     * lock for that made requests queue behind each other (the benchmark's main contention).
     */
    private volatile Settings settings;
    private final Map<String, EndpointState> endpoints = new LinkedHashMap<>();
    /** The endpoints' ids, for the lock-free {@link #hasEndpoint}; replaced whenever {@link #endpoints} changes. */
    private volatile java.util.Set<String> endpointIdSet = java.util.Set.of();
    /**
     * Work to do once the lock is free (completing futures, job events, zero-delay steps), kept per thread: the thread
     * that deferred it runs it as it leaves the engine, with no second trip through the lock to fetch it.
     */
    private final ThreadLocal<Deferred> afterUnlock = ThreadLocal.withInitial(Deferred::new);
    /**
     * How many jobs' zero-delay handler steps one thread runs itself on one way through the engine: its own job's,
     * and those of the next queued job that its finish started. Past that, steps go to the clock thread: a queue of
     * jobs behind a finished one would otherwise keep one thread (and the request it serves) busy for the whole queue.
     */
    static final int INLINE_JOBS_MAX = 2;
    private final SecureRandom random = new SecureRandom();
    /** Completes waiting requests off the clock thread, so a slow client cannot hold the clock up. */
    private final java.util.concurrent.Executor completions;
    /** Workers connected over the worker protocol (job-take, job-done, ...); they share this lock. */
    private final ExternalWorkers external;
    /** Finished jobs until their retention ends, oldest first: also the order the budget forgets them (DEC-034). */
    private final RetentionQueues<Job> retention;
    /** The estimated bytes of every stored job ({@link Job#approxBytes}). */
    private long storedBytes;
    /** Finished jobs forgotten before their retention ended, to stay within the budget. */
    private long evictedEarly;
    /** Set by {@link #beginShutdown()}: every wait answers at once. */
    private boolean shuttingDown;

    public Engine(Settings settings, Clock clock, Supplier<Handler> handlers, JobEvents events) {
        this.settings = settings;
        this.clock = clock;
        this.handlers = handlers;
        this.events = events == null ? JobEvents.NONE : events;
        this.completions = java.util.concurrent.Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mock-completions");
            t.setDaemon(true);
            return t;
        });
        this.external = new ExternalWorkers(this, clock);
        this.retention = new RetentionQueues<>(clock, this::underLock,
                (job, ticket) -> !job.removed && job.retentionTicket == ticket, this::retentionOver);
        synchronized (this) {
            for (String id : settings.endpoints) {
                EndpointState endpoint = new EndpointState(id);
                endpoints.put(id, endpoint);
                ensureMinimumWorkers(endpoint, true);
            }
            endpointIdSet = java.util.Set.copyOf(endpoints.keySet());
        }
    }

    public Clock clock() {
        return clock;
    }

    public Settings settings() {
        return settings;
    }

    public boolean hasEndpoint(String endpointId) {
        return endpointIdSet.contains(endpointId);
    }

    // ---------------------------------------------------------------- client operations

    /** Queues a job (/run, /runsync) and returns it as it is right after queueing. */
    public JobView submit(String endpointId, JobRequest request) {
        return submit(endpointId, request, 0);
    }

    /**
     * As {@link #submit(String, JobRequest)}, with the size of the request body the job came in, which the job
     * store's memory budget counts (DEC-034).
     */
    public JobView submit(String endpointId, JobRequest request, long bodyBytes) {
        String id = newJobId(request); // outside the lock: nothing in it needs the engine's state
        try {
            synchronized (this) {
                EndpointState endpoint = endpoint(endpointId);
                Job job = new Job(id, endpoint, request, clock.now(), JOB_BYTES + Math.max(0, bodyBytes));
                Job replaced = store(job);
                if (replaced != null) {
                    endpoint.dequeue(replaced); // only with the ID_REUSED defect
                    storedBytes -= replaced.approxBytes;
                    replaced.removed = true;
                }
                // the ttl's timer is armed only where nothing else ends the job first (see armTtlIfFirst): most
                // jobs start at once, end within their execution timeout and are forgotten long before their ttl
                job.ttlDeadline = clock.now() + ttlOf(request);
                enqueue(job);
                JobView view = job.view();
                dispatch(endpoint);
                if (job.status == JobStatus.IN_QUEUE) {
                    rearmTtl(job); // it waits: only the ttl can end it now
                    job.shelve(); // its input's text is enough until a worker takes it
                }
                return view;
            }
        } finally {
            runDeferred();
        }
    }

    private long ttlOf(JobRequest request) {
        return ttlOf(request.policy());
    }

    private long ttlOf(Policy policy) {
        if (policy.ttlMs() != null && !settings.has(Defect.TTL_IGNORED)) {
            return policy.ttlMs();
        }
        return settings.has(Defect.TTL_DEFAULT_1H) ? 3_600_000L : settings.ttlDefaultMs;
    }

    /** {@code ?ttl=ms} on /status: the job's remaining lifetime becomes ms from now (DEC-030). */
    public Optional<JobView> setTtl(String endpointId, String jobId, long ttlMs) {
        try {
            synchronized (this) {
                Job job = job(endpointId, jobId);
                if (job == null) {
                    return Optional.empty();
                }
                if (settings.statusTtl == Settings.StatusTtl.APPLY && !settings.has(Defect.STATUS_TTL_IGNORED)) {
                    cancelTimer(job.ttlTimer);
                    armTtl(job, ttlMs);
                }
                return Optional.of(job.view());
            }
        } finally {
            runDeferred();
        }
    }

    /**
     * Keeps this job's result for {@code ms} after it ends, if that is longer than its retention: ?wait on /runsync
     * in DEC-006's older reading (setting runsyncWaitMeaning RETENTION, or the RETAIN_WAIT_EXTENDS defect).
     */
    public synchronized void keepResultFor(String endpointId, String jobId, long ms) {
        Job job = job(endpointId, jobId);
        if (job != null) {
            job.retentionOverrideMs = ms;
            if (job.status.isTerminal()
                    && (job.retentionTicket != 0 || (job.retentionTimer != null && job.retentionTimer.cancel()))) {
                // a quick job can end before this call: keep its result longer all the same (on a timer of its own:
                // the retention queues hold only deadlines that come in order, and this one jumps the queue)
                job.retentionTicket = 0;
                long keepFor = Math.max(0, Math.max(ms, settings.retentionSyncMs) - (clock.now() - job.finishedAt));
                job.retentionTimer = clock.schedule(keepFor, () -> underLock(() -> retentionOver(job)));
                rearmTtl(job);
            }
        }
    }

    /** Applies new settings at run time: pools grow or shrink toward the new bounds; jobs keep going. */
    public void updateSettings(Settings newSettings) {
        try {
            synchronized (this) {
                settings = newSettings;
                for (EndpointState e : endpoints.values()) {
                    dispatch(e);
                }
            }
        } finally {
            runDeferred();
        }
    }

    public synchronized Optional<JobView> find(String endpointId, String jobId) {
        Job job = job(endpointId, jobId);
        return job == null ? Optional.empty() : Optional.of(job.view());
    }

    /**
     * Completes with the job once it is terminal, or as it is when {@code waitMs} of mock time have passed,
     * or empty if the job is unknown or disappears (ttl, retention) meanwhile.
     */
    public CompletableFuture<Optional<JobView>> awaitTerminal(String endpointId, String jobId, long waitMs) {
        try {
            synchronized (this) {
                Job job = job(endpointId, jobId);
                if (job == null) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                if (job.status.isTerminal() || waitMs <= 0 || shuttingDown) {
                    return CompletableFuture.completedFuture(Optional.of(job.view()));
                }
                Waiter waiter = new Waiter(job, j -> j.status.isTerminal());
                job.addWaiter(waiter);
                waiter.timer = clock.schedule(waitMs, () -> timeOut(waiter));
                return waiter.future;
            }
        } finally {
            runDeferred();
        }
    }

    /**
     * Drains the chunks not yet returned. When none is buffered and the job is still running, holds up to
     * {@code waitMs} for one; a terminal job that is drained answers at once with no chunks.
     */
    public CompletableFuture<Optional<StreamBatch>> drainStream(String endpointId, String jobId, long waitMs) {
        try {
            synchronized (this) {
                Job job = job(endpointId, jobId);
                if (job == null) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                if (job.hasUndrained() || job.status.isTerminal() || waitMs <= 0 || shuttingDown) {
                    return CompletableFuture.completedFuture(Optional.of(job.drain()));
                }
                CompletableFuture<Optional<StreamBatch>> result = new CompletableFuture<>();
                Waiter waiter = new Waiter(job, j -> j.hasUndrained() || j.status.isTerminal());
                job.addWaiter(waiter);
                waiter.timer = clock.schedule(waitMs, () -> timeOut(waiter));
                // the drain happens when the waiter fires, under the lock, so two streams never get one chunk twice
                waiter.onFire = j -> j == null ? Optional.empty() : Optional.of(j.drain());
                return waiter.streamFuture = result;
            }
        } finally {
            runDeferred();
        }
    }

    /**
     * The chunks a /stream call would drain now, left undrained: what a HEAD /stream answers, since a HEAD (a safe
     * method) must not take chunks the client never sees. Empty if the job is unknown.
     */
    public synchronized Optional<StreamBatch> peekStream(String endpointId, String jobId) {
        Job job = job(endpointId, jobId);
        return job == null ? Optional.empty() : Optional.of(job.peek());
    }

    /** Cancels a queued or running job; a terminal job is left as it is. Empty if the job is unknown. */
    public Optional<JobView> cancel(String endpointId, String jobId) {
        try {
            synchronized (this) {
                Job job = job(endpointId, jobId);
                if (job == null) {
                    return Optional.empty();
                }
                if (settings.has(Defect.CANCEL_IGNORED)) {
                    return Optional.of(job.view().withStatus(JobStatus.CANCELLED));
                }
                if (job.status.isTerminal() && settings.has(Defect.CANCEL_OVERWRITES_TERMINAL)) {
                    job.status = JobStatus.CANCELLED;
                }
                if (!job.status.isTerminal()) {
                    if (job.status == JobStatus.IN_QUEUE) {
                        job.endpoint.dequeue(job);
                    } else {
                        stopRunning(job);
                    }
                    finish(job, JobStatus.CANCELLED, null, null);
                    dispatch(job.endpoint);
                }
                return Optional.of(job.view());
            }
        } finally {
            runDeferred();
        }
    }

    /** Outcome of a retry request. */
    public enum RetryOutcome { REQUEUED, NOT_FOUND, NOT_RETRYABLE }

    public record RetryResult(RetryOutcome outcome, JobView job) { }

    /** Requeues a FAILED or TIMED_OUT job under the same id with its original input (docs:opref /retry). */
    public RetryResult retry(String endpointId, String jobId) {
        try {
            synchronized (this) {
                Job job = job(endpointId, jobId);
                if (job == null) {
                    return new RetryResult(RetryOutcome.NOT_FOUND, null);
                }
                boolean retryable = job.status == JobStatus.FAILED || job.status == JobStatus.TIMED_OUT
                        || (settings.has(Defect.RETRY_ANY_STATUS) && job.status.isTerminal());
                if (!retryable) {
                    return new RetryResult(RetryOutcome.NOT_RETRYABLE, job.view());
                }
                if (settings.has(Defect.RETRY_NEW_ID)) {
                    JobRequest again = job.asRequest();
                    Job copy = new Job(newJobId(again), job.endpoint, again, clock.now(), job.approxBytes);
                    store(copy);
                    armTtl(copy, ttlOf(again));
                    job.endpoint.retried++;
                    enqueue(copy);
                    JobView view = copy.view();
                    dispatch(copy.endpoint);
                    return new RetryResult(RetryOutcome.REQUEUED, view);
                }
                cancelTimer(job.retentionTimer);
                job.retentionTimer = null;
                job.retentionTicket = 0;
                job.resetForRetry(clock.now());
                restartQueueTtl(job);
                rearmTtl(job);
                job.endpoint.retried++;
                enqueue(job);
                JobView view = job.view();
                dispatch(job.endpoint);
                return new RetryResult(RetryOutcome.REQUEUED, view);
            }
        } finally {
            runDeferred();
        }
    }

    /** Removes every queued job of the endpoint (they end CANCELLED); running jobs go on. */
    public int purgeQueue(String endpointId) {
        try {
            synchronized (this) {
                EndpointState endpoint = endpoint(endpointId);
                List<Job> queued = new ArrayList<>(endpoint.normalQueue);
                queued.addAll(endpoint.lowQueue);
                endpoint.normalQueue.clear();
                endpoint.lowQueue.clear();
                for (Job job : queued) {
                    if (settings.purgedJobs == Settings.PurgedJobs.CANCELLED || settings.has(Defect.PURGE_KEEPS_JOBS)) {
                        finish(job, JobStatus.CANCELLED, null, null); // the other reading: kept as CANCELLED
                    } else {
                        remove(job); // purged jobs are gone: 404 from now on (DEC-028)
                    }
                }
                if (settings.has(Defect.PURGE_STOPS_RUNNING)) {
                    for (Job job : endpoint.jobs.snapshot()) {
                        if (job.status == JobStatus.IN_PROGRESS) {
                            stopRunning(job);
                            finish(job, JobStatus.CANCELLED, null, null);
                        }
                    }
                    dispatch(endpoint);
                }
                return settings.has(Defect.PURGE_COUNT_ZERO) ? 0 : queued.size();
            }
        } finally {
            runDeferred();
        }
    }

    /** Jobs waiting in the endpoint's queues, both priorities (0 for an unknown endpoint; the QUEUE_SIZE rate rule). */
    public synchronized long queuedJobs(String endpointId) {
        EndpointState e = endpoints.get(endpointId);
        return e == null ? 0 : e.normalQueue.size() + e.lowQueue.size();
    }

    /** Workers holding a job now (for the dynamic rate limit); cheap, unlike {@link #health}. */
    public synchronized int runningWorkers(String endpointId) {
        EndpointState e = endpoints.get(endpointId);
        if (e == null) {
            return 0;
        }
        int n = 0;
        for (Worker w : e.workers) {
            if (w.state == WorkerState.RUNNING) {
                n++;
            }
        }
        return n;
    }

    public synchronized HealthView health(String endpointId) {
        EndpointState e = endpoint(endpointId);
        long inProgress = e.jobs.count(j -> j.status == JobStatus.IN_PROGRESS);
        long inQueue = e.normalQueue.size() + e.lowQueue.size();
        long idle = e.workers.stream().filter(w -> w.state == WorkerState.IDLE).count();
        long initializing = e.workers.stream().filter(w -> w.state == WorkerState.INITIALIZING).count();
        long running = e.workers.stream().filter(w -> w.state == WorkerState.RUNNING).count();
        if (isExternal(e.id)) {
            // an external endpoint's workers are the connected ones, counted while they keep in touch
            ExternalWorkers.Counts connected = external.counts(e.id);
            idle = connected.idle();
            initializing = 0;
            running = connected.running();
        }
        if (settings.has(Defect.HEALTH_STALE)) {
            inProgress = 0;
            inQueue = 0;
            running = 0;
        }
        if (settings.has(Defect.HEALTH_COUNTERS_FROZEN)) {
            return new HealthView(0, 0, inProgress, inQueue, 0, idle, initializing, idle, running, 0);
        }
        return new HealthView(e.completed, e.failed, inProgress, inQueue, e.retried, idle, initializing, idle, running, 0);
    }

    // ---------------------------------------------------------------- admin operations

    public synchronized List<JobView> jobs(Predicate<JobView> filter) {
        List<JobView> all = new ArrayList<>();
        for (EndpointState e : endpoints.values()) {
            e.jobs.forEach(j -> {
                JobView v = j.view();
                if (filter.test(v)) {
                    all.add(v);
                }
            });
        }
        return all;
    }

    public synchronized Optional<JobView> findAnywhere(String jobId) {
        for (EndpointState e : endpoints.values()) {
            Job j = e.jobs.get(jobId);
            if (j != null) {
                return Optional.of(j.view());
            }
        }
        return Optional.empty();
    }

    /** Forgets every job and worker and starts the pools afresh, with the given settings. */
    public void reset(Settings newSettings) {
        try {
            synchronized (this) {
                for (EndpointState e : endpoints.values()) {
                    for (Job j : e.jobs.snapshot()) {
                        stopRunning(j);
                        cancelTimer(j.ttlTimer);
                        cancelTimer(j.retentionTimer);
                        wakeWaiters(j, true);
                    }
                    e.workers.forEach(w -> cancelTimer(w.timer));
                }
                endpoints.clear();
                retention.clear();
                storedBytes = 0;
                external.reset();
                settings = newSettings;
                for (String id : settings.endpoints) {
                    EndpointState endpoint = new EndpointState(id);
                    endpoints.put(id, endpoint);
                    ensureMinimumWorkers(endpoint, true);
                }
                endpointIdSet = java.util.Set.copyOf(endpoints.keySet());
            }
        } finally {
            runDeferred();
        }
    }

    // ---------------------------------------------------------------- the life of a job

    private void enqueue(Job job) {
        job.status = JobStatus.IN_QUEUE;
        job.queuedAt = clock.now();
        job.wallQueuedAt = System.currentTimeMillis();
        if (job.policy.lowPriority() && !settings.has(Defect.LOW_PRIORITY_FIFO)) {
            job.endpoint.lowQueue.addLast(job);
        } else {
            job.endpoint.normalQueue.addLast(job);
        }
    }

    /** Gives queued jobs to idle workers (normal before low priority, FIFO within each) and scales the pool. */
    private void dispatch(EndpointState endpoint) {
        if (isExternal(endpoint.id)) {
            // jobs go only to connected workers; built-in workers leave once idle (after a switch at run time)
            endpoint.workers.removeIf(w -> {
                boolean leaves = w.state != WorkerState.RUNNING;
                if (leaves) {
                    cancelTimer(w.timer);
                }
                return leaves;
            });
            external.dispatch(endpoint.id);
            return;
        }
        scaleUp(endpoint);
        for (Worker worker : endpoint.workers) {
            if (worker.state != WorkerState.IDLE) {
                continue;
            }
            Job next = endpoint.normalQueue.pollFirst();
            if (next == null) {
                next = endpoint.lowQueue.pollFirst();
            }
            if (next == null) {
                break;
            }
            startOn(worker, next);
        }
        scheduleIdleTimeouts(endpoint);
    }

    private void startOn(Worker worker, Job job) {
        cancelTimer(worker.timer);
        worker.timer = null;
        worker.state = WorkerState.RUNNING;
        worker.job = job;
        RunningContext context = begin(job, worker.id, false);
        Handler handler = handlers.get();
        try {
            handler.start(context);
        } finally {
            if (!context.tookInlineStep()) {
                context.armTimeout(); // else the inline step arms it, if the job still runs after that step
            }
        }
        wakeWaiters(job, false);
    }

    /**
     * The job starts running on worker {@code workerId}: IN_PROGRESS, its delay measured, its timeout due. The
     * timeout's timer is armed now, or (armTimeout false) left to the run's context: before the handler's first step
     * on the clock, or after its zero-delay step if that did not end the job. A zero-delay job ends in that step, so
     * most jobs never need the timer (scheduling and cancelling it were two trips through the clock's lock per /run).
     */
    private RunningContext begin(Job job, String workerId, boolean armTimeout) {
        long now = clock.now();
        job.unshelve();
        job.status = JobStatus.IN_PROGRESS;
        job.startedAt = now;
        job.delayTime = now - job.queuedAt;
        job.wallStartedAt = System.currentTimeMillis();
        if (settings.has(Defect.TIMINGS_WALL_CLOCK)) {
            job.delayTime = job.wallStartedAt - job.wallQueuedAt;
        }
        job.workerId = workerId;
        job.attempt++;
        if (ttlBoundsTheQueueOnly()) {
            // older reading: ttl bounds only the time in the queue
            cancelTimer(job.ttlTimer);
            job.ttlTimer = null;
            job.ttlDeadline = NONE;
        }
        long timeout = timeoutOf(job);
        // the ttl needs a timer of its own while running only if it ends before the execution timeout (armed
        // first, so a ttl and a timeout due at the same instant fire in the order they always have: ttl first)
        armTtlIfFirst(job, now + timeout);
        RunningContext context = new RunningContext(job, job.attempt, workerId, now + timeout);
        job.context = context;
        if (armTimeout) {
            context.armTimeout();
        }
        return context;
    }

    private void executionTimedOut(Job job, int attempt) {
        try {
            synchronized (this) {
                if (job.attempt != attempt || job.status != JobStatus.IN_PROGRESS || job.removed) {
                    return;
                }
                if (settings.has(Defect.TIMEOUT_KEEPS_WORKER) && job.context != null) {
                    job.context.zombie = true; // the worker stays busy until the handler would have ended
                    cancelTimer(job.timeoutTimer);
                    job.timeoutTimer = null;
                } else {
                    stopRunning(job);
                }
                JobStatus status = settings.timeoutStatus == Settings.TimeoutStatus.FAILED
                        ? JobStatus.FAILED : JobStatus.TIMED_OUT;
                finish(job, status, null, "Job timed out: execution exceeded " + timeoutOf(job) + " ms");
                dispatch(job.endpoint);
            }
        } finally {
            runDeferred();
        }
    }

    private long timeoutOf(Job job) {
        Long t = job.policy.executionTimeoutMs();
        boolean policyLost = job.retries > 0 && settings.has(Defect.RETRY_LOSES_POLICY);
        if (t != null && !settings.has(Defect.EXECUTION_TIMEOUT_IGNORED) && !policyLost) {
            return t;
        }
        return settings.has(Defect.DEFAULT_TIMEOUT_24H) ? 86_400_000L : settings.executionTimeoutDefaultMs;
    }

    /**
     * ttl passed: the job is removed wherever it is, and /status answers 404 from now on. In DEC-003's queue reading
     * (ttlMode queue) a job still queued is not removed but ends TIMED_OUT.
     */
    private void expire(Job job) {
        try {
            synchronized (this) {
                if (job.removed) {
                    return;
                }
                if (job.status == JobStatus.IN_QUEUE) {
                    job.endpoint.dequeue(job);
                    if (ttlBoundsTheQueueOnly()) {
                        // DEC-003's queue reading: the job "expired before it was picked up by a worker" (docs:states)
                        // and ends TIMED_OUT; it is kept, answered and webhooked like any finished job
                        job.ttlTimer = null;
                        job.ttlDeadline = NONE;
                        finish(job, JobStatus.TIMED_OUT, null, "Job expired: its ttl ended before a worker took it.");
                        dispatch(job.endpoint);
                        return;
                    }
                } else if (job.status == JobStatus.IN_PROGRESS) {
                    stopRunning(job);
                }
                remove(job);
                dispatch(job.endpoint);
            }
        } finally {
            runDeferred();
        }
    }

    /**
     * DEC-003's queue reading: a job that goes back to the queue (/retry, a lost worker) waits under a fresh ttl, from
     * now; it dropped its ttl when a worker took it, and without this it could wait for ever.
     */
    private void restartQueueTtl(Job job) {
        if (ttlBoundsTheQueueOnly() && job.ttlDeadline == NONE) {
            job.ttlDeadline = clock.now() + ttlOf(job.policy);
        }
    }

    /** DEC-003's older reading (setting ttlMode queue): ttl bounds only the time a job waits in the queue. */
    private boolean ttlBoundsTheQueueOnly() {
        return settings.ttlMode == Settings.TtlMode.QUEUE || settings.has(Defect.TTL_QUEUE_ONLY);
    }

    /** The job is removed {@code ttlMs} from now, whatever its state (DEC-017), unless its ttl is set again. */
    private void armTtl(Job job, long ttlMs) {
        job.ttlDeadline = clock.now() + ttlMs;
        job.ttlTimer = clock.schedule(ttlMs, () -> expire(job));
    }

    /**
     * Arms the job's ttl timer if the ttl ends at or before {@code otherEnd}, the instant something else ends the
     * job anyway (its execution timeout, or the end of its retention). Until then the job keeps only its ttl's
     * deadline: a timer per job, armed at submit and called off when it finished, was two trips through the
     * clock's lock and a timer object for every /run.
     */
    private void armTtlIfFirst(Job job, long otherEnd) {
        if (job.ttlDeadline != NONE && job.ttlDeadline <= otherEnd) {
            rearmTtl(job);
        }
    }

    /** Arms the job's ttl timer for its deadline, unless it is armed already (or ttl no longer applies). */
    private void rearmTtl(Job job) {
        if (job.ttlTimer == null && job.ttlDeadline != NONE) {
            long deadline = job.ttlDeadline;
            job.ttlTimer = clock.schedule(Math.max(0, deadline - clock.now()), () -> expire(job));
        }
    }

    /** Puts a new job in its endpoint's store and counts it against the budget (DEC-034); returns the job it replaced. */
    private Job store(Job job) {
        storedBytes += job.approxBytes;
        return job.endpoint.jobs.put(job);
    }

    private void remove(Job job) {
        if (!job.removed) {
            storedBytes -= job.approxBytes;
        }
        job.removed = true;
        cancelTimer(job.ttlTimer);
        cancelTimer(job.retentionTimer);
        cancelTimer(job.timeoutTimer);
        job.endpoint.jobs.remove(job);
        wakeWaiters(job, true);
    }

    /** Stops a running job's handler and frees its worker (no-op for a job that is not running). */
    private void stopRunning(Job job) {
        if (job.context != null) {
            if (job.context.external) {
                external.stopped(job.endpoint.id, job.context.workerId(), job.id); // job-stop tells the worker
            }
            job.context.stop();
            job.context = null;
        }
        cancelTimer(job.timeoutTimer);
        job.timeoutTimer = null;
        Worker w = workerOf(job);
        if (w != null) {
            idle(w);
        }
    }

    /** The built-in worker holding the job, or null. */
    private Worker workerOf(Job job) {
        for (Worker w : job.endpoint.workers) {
            if (w.job == job) {
                return w;
            }
        }
        return null;
    }

    /** The worker is free; its idle timeout counts from now. */
    private void idle(Worker w) {
        w.job = null;
        w.state = WorkerState.IDLE;
        w.idleSince = clock.now();
    }

    private void finish(Job job, JobStatus status, JsonNode output, String error) {
        long now = clock.now();
        if (job.startedAt != NONE && job.executionTime == NONE) {
            job.executionTime = settings.has(Defect.TIMINGS_WALL_CLOCK)
                    ? System.currentTimeMillis() - job.wallStartedAt : now - job.startedAt;
        }
        job.status = status;
        job.finishedAt = now;
        job.output = output;
        job.error = error;
        cancelTimer(job.timeoutTimer);
        job.timeoutTimer = null;
        switch (status) {
            case COMPLETED -> job.endpoint.completed++;
            case FAILED, TIMED_OUT -> job.endpoint.failed++;
            default -> { }
        }
        long retentionMs = job.sync && !settings.has(Defect.RETAIN_SYNC_AS_RUN)
                ? settings.retentionSyncMs : settings.retentionRunMs;
        if (job.retentionOverrideMs != NONE) {
            retentionMs = Math.max(retentionMs, job.retentionOverrideMs);
        }
        if (settings.has(Defect.RETAIN_FOREVER)) {
            retentionMs = RetentionQueues.FOREVER;
        }
        keepWithinBudget(); // before this job joins the finished: a job is never forgotten as it finishes
        long forgottenAt = retention.deadlineFor(retentionMs);
        if (job.ttlDeadline != NONE && job.ttlDeadline < forgottenAt) {
            rearmTtl(job); // the ttl ends the stored result before its retention does
        } else if (job.ttlTimer != null) {
            // retention forgets the job before its ttl could: a stored result keeps no timer of its own
            cancelTimer(job.ttlTimer);
            job.ttlTimer = null;
        }
        job.retentionTicket = retention.add(job, retentionMs);
        wakeWaiters(job, false);
        if (job.webhook != null || events.followsJobsWithoutWebhook()) {
            JobView view = job.view();
            defer(() -> events.onTerminal(view));
        }
        job.compact(); // after the views above took the trees: those keep them as long as they need them
    }

    /**
     * The bytes a stored job is counted at beyond its request body: the job, its input's tree while it runs (and
     * the copy a handler other than the built-in worker asks for), its timers and views. On the safe side: a queued
     * job measures about 530 bytes beyond its body (QueuedJobsMemoryIT), a finished one about 350 beyond its input
     * and output text.
     */
    static final long JOB_BYTES = 1_200;

    /** The job store's budget (DEC-034): the setting, or 40 % of the heap when it is 0. */
    private long retainedBudget() {
        return settings.retainedBytesMax > 0 ? settings.retainedBytesMax : AUTO_RETAINED_BYTES;
    }

    private static final long AUTO_RETAINED_BYTES = Runtime.getRuntime().maxMemory() / 5 * 2;

    /**
     * Over budget, the oldest finished jobs are forgotten before their retention ends (DEC-034): a flood of jobs
     * must not end in an OutOfMemoryError. Queued and running jobs are never forgotten: that would lose them.
     */
    private void keepWithinBudget() {
        long budget = retainedBudget();
        while (storedBytes > budget) {
            Job oldest = retention.pollOldest();
            if (oldest == null) {
                return;
            }
            remove(oldest);
            if (++evictedEarly == 1) {
                org.slf4j.LoggerFactory.getLogger(Engine.class).warn("the job store is over its memory budget ({} bytes):"
                        + " the oldest finished jobs are now forgotten before their retention ends (--retained-bytes-max)", budget);
            }
        }
    }

    /** Finished jobs forgotten before their retention ended, to keep the store within its budget (DEC-034). */
    public synchronized long evictedEarly() {
        return evictedEarly;
    }

    /** The job store's estimated size in bytes, as the budget counts it (DEC-034). */
    public synchronized long storedBytes() {
        return storedBytes;
    }

    /** A finished job's retention has ended: it is forgotten. Called under the lock. */
    private void retentionOver(Job job) {
        if (!job.removed && job.status.isTerminal()) {
            remove(job);
        }
    }

    /** Runs {@code task} under the lock from a timer, then what it deferred. */
    private void underLock(Runnable task) {
        try {
            synchronized (this) {
                task.run();
            }
        } finally {
            runDeferred();
        }
    }

    /** The handler's report that a job ended (called through its context, under the lock). */
    private void handlerFinished(Job job, JobStatus status, JsonNode output, String error) {
        Worker worker = workerOf(job);
        boolean retire = job.context != null && job.context.retireWorker && !settings.has(Defect.MOCK_REFRESH_IGNORED);
        job.context = null;
        finish(job, status, output, error);
        if (worker != null) {
            if (retire) {
                worker.job = null;
                cancelTimer(worker.timer); // refresh_worker: this worker stops; a fresh one takes its place
                job.endpoint.workers.remove(worker);
            } else {
                idle(worker);
            }
        }
        dispatch(job.endpoint);
    }

    // ---------------------------------------------------------------- connected workers (the worker protocol)

    /** The worker-protocol side: job-take, job-done, job-stream, job-stop and ping of connected workers. */
    public ExternalWorkers workers() {
        return external;
    }

    /** True when the endpoint's jobs go only to connected workers (mode external). */
    synchronized boolean isExternal(String endpointId) {
        return settings.modeOf(endpointId) == Settings.Mode.EXTERNAL && !settings.has(Defect.EXTERNAL_RUNS_BUILTIN);
    }

    /**
     * Hands up to {@code max} queued jobs (normal before low priority, first in first out) to connected worker
     * {@code workerId}; each starts running at once. Called by {@link ExternalWorkers} under the lock.
     */
    List<ExternalWorkers.Claimed> claim(String endpointId, String workerId, int max) {
        EndpointState endpoint = endpoint(endpointId);
        List<ExternalWorkers.Claimed> claimed = new ArrayList<>();
        List<Job> again = new ArrayList<>();
        while (claimed.size() < max) {
            Job next = endpoint.normalQueue.pollFirst();
            if (next == null) {
                next = endpoint.lowQueue.pollFirst();
            }
            if (next == null) {
                break;
            }
            RunningContext run = begin(next, workerId, true);
            run.external = true;
            wakeWaiters(next, false);
            claimed.add(new ExternalWorkers.Claimed(next.view(), run));
            if (settings.has(Defect.WORKER_DOUBLE_DELIVERY) && next.attempt == 1) {
                again.add(next);
            }
        }
        for (int i = again.size() - 1; i >= 0; i--) {
            endpoint.normalQueue.addFirst(again.get(i));
        }
        return claimed;
    }

    /** A connected worker holding this run was lost: the job follows the lost-worker rule (DEC-022). */
    void loseRun(JobContext run, String reason) {
        if (run instanceof RunningContext rc && rc.live()) {
            rc.stop();
            rc.job.context = null;
            lose(rc.job, reason);
        }
    }

    /**
     * DEC-022: the job's worker is gone. It is requeued under the same id at the head of its priority, up to
     * {@code lostWorkerRetries} times, without the lost run's progress and stream chunks (DEC-040); lost once more,
     * it ends FAILED with an error string.
     */
    private void lose(Job job, String reason) {
        if (settings.has(Defect.WORKER_LOST_NOT_REQUEUED)) {
            dispatch(job.endpoint); // the job stays IN_PROGRESS, held by no one, until its execution timeout
            return;
        }
        job.lost++;
        if (job.lost > settings.lostWorkerRetries || settings.has(Defect.WORKER_LOST_FAILS_AT_ONCE)) {
            finish(job, JobStatus.FAILED, null, "Job failed: its worker was lost while running it ("
                    + reason + "); lost " + job.lost + " time(s), requeued at most " + settings.lostWorkerRetries + ".");
        } else {
            cancelTimer(job.timeoutTimer);
            job.timeoutTimer = null;
            // the lost run's chunks not yet read go with it: /stream shows the run that goes on, not two interleaved
            // (DEC-040); those a client already read cannot be taken back
            job.clearRun(clock.now());
            job.wallQueuedAt = System.currentTimeMillis();
            restartQueueTtl(job);
            rearmTtl(job); // back in the queue: no execution timeout ends it before its ttl now
            if (job.policy.lowPriority() && !settings.has(Defect.LOW_PRIORITY_FIFO)) {
                job.endpoint.lowQueue.addFirst(job);
            } else {
                job.endpoint.normalQueue.addFirst(job);
            }
            wakeWaiters(job, false);
        }
        dispatch(job.endpoint);
    }

    /** Runs {@code action} under the lock, then completes whatever it deferred (futures, events). */
    <T> T locked(Supplier<T> action) {
        try {
            synchronized (this) {
                return action.get();
            }
        } finally {
            runDeferred();
        }
    }

    /** Completes {@code future} once the lock is released, off the caller's thread. Call under the lock. */
    <T> void completeLater(CompletableFuture<T> future, T value) {
        defer(() -> completions.execute(() -> future.complete(value)));
    }

    // ---------------------------------------------------------------- workers and scaling

    private void ensureMinimumWorkers(EndpointState endpoint, boolean atStart) {
        if (isExternal(endpoint.id)) {
            return; // an external endpoint has no built-in workers
        }
        while (endpoint.workers.size() < settings.workersMin) {
            Worker w = new Worker(newWorkerId());
            endpoint.workers.add(w);
            if (atStart || settings.coldStartMs <= 0) {
                idle(w);
            } else {
                coldStart(endpoint, w);
            }
        }
    }

    /** Queued normal jobs scale the pool toward workersMax; a queue of only low-priority jobs never does. */
    private void scaleUp(EndpointState endpoint) {
        ensureMinimumWorkers(endpoint, false);
        if (settings.has(Defect.NO_SCALE_UP)) {
            return;
        }
        int available = 0; // a loop, not a stream: this runs for every job submitted and every job finished
        for (Worker w : endpoint.workers) {
            if (w.state == WorkerState.IDLE || w.state == WorkerState.INITIALIZING) {
                available++;
            }
        }
        long waiting = endpoint.normalQueue.size() + (settings.has(Defect.LOW_PRIORITY_SCALES) ? endpoint.lowQueue.size() : 0);
        long wanted = waiting - available;
        while (wanted > 0 && endpoint.workers.size() < settings.workersMax) {
            Worker w = new Worker(newWorkerId());
            endpoint.workers.add(w);
            coldStart(endpoint, w);
            wanted--;
        }
    }

    private void coldStart(EndpointState endpoint, Worker w) {
        if (settings.coldStartMs <= 0 || settings.has(Defect.NO_COLD_START)) {
            idle(w);
            return;
        }
        w.state = WorkerState.INITIALIZING;
        w.timer = clock.schedule(settings.coldStartMs, () -> {
            try {
                synchronized (this) {
                    if (w.state == WorkerState.INITIALIZING && endpoint.workers.contains(w)) {
                        idle(w);
                        w.timer = null;
                        dispatch(endpoint);
                    }
                }
            } finally {
                runDeferred();
            }
        });
    }

    /** Idle workers above workersMin are retired after the idle timeout. */
    private void scheduleIdleTimeouts(EndpointState endpoint) {
        if (settings.has(Defect.NO_SCALE_DOWN)) {
            return;
        }
        for (Worker w : endpoint.workers) {
            if (w.state == WorkerState.IDLE && w.timer == null && endpoint.workers.size() > settings.workersMin) {
                w.timer = clock.schedule(settings.idleTimeoutMs, () -> {
                    try {
                        synchronized (this) {
                            w.timer = null;
                            if (w.state == WorkerState.IDLE && endpoint.workers.size() > settings.workersMin
                                    && endpoint.workers.contains(w)) {
                                endpoint.workers.remove(w);
                            }
                        }
                    } finally {
                        runDeferred();
                    }
                });
            }
        }
    }

    // ---------------------------------------------------------------- waiting

    private void wakeWaiters(Job job, boolean gone) {
        if (job.waiters == null) {
            return;
        }
        for (Iterator<Waiter> it = job.waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (gone || w.ready.test(job)) {
                it.remove();
                fire(w, gone ? null : job);
            }
        }
    }

    private void timeOut(Waiter waiter) {
        try {
            synchronized (this) {
                if (waiter.job.waiters != null && waiter.job.waiters.remove(waiter)) {
                    fire(waiter, waiter.job.removed ? null : waiter.job);
                }
            }
        } finally {
            runDeferred();
        }
    }

    private void fire(Waiter w, Job jobOrNull) {
        cancelTimer(w.timer);
        if (w.streamFuture != null) {
            Optional<StreamBatch> batch = w.onFire.apply(jobOrNull);
            defer(() -> completions.execute(() -> w.streamFuture.complete(batch)));
        } else {
            Optional<JobView> view = jobOrNull == null ? Optional.empty() : Optional.of(jobOrNull.view());
            defer(() -> completions.execute(() -> w.future.complete(view)));
        }
    }

    /** One thread's deferred work. */
    private static final class Deferred {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        /** True while this thread runs its tasks: a task that enters the engine must not start a second loop. */
        boolean draining;
        /** Jobs whose zero-delay steps this thread has taken on since it last had nothing deferred. */
        int inlineJobs;
    }

    /** Runs {@code task} on this thread once it has left the lock (called under the lock). */
    private void defer(Runnable task) {
        afterUnlock.get().tasks.addLast(task);
    }

    /**
     * Runs what this thread deferred, in order. Every way into the engine that may defer ends here (in a finally),
     * so nothing deferred waits for another thread. A task may enter the engine and defer more: those join the
     * queue, and the loop already running takes them (a loop, not a recursion: a chain of jobs, each finish
     * starting the next, once overflowed the stack).
     */
    private void runDeferred() {
        Deferred mine = afterUnlock.get();
        if (mine.draining || mine.tasks.isEmpty()) {
            return; // checked first: asking the JVM whether this thread holds the lock costs more than all this
        }
        if (Thread.holdsLock(this)) {
            return; // a nested call under the lock: the outermost caller runs them once the lock is free
        }
        mine.draining = true;
        try {
            Runnable task;
            while ((task = mine.tasks.pollFirst()) != null) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(Engine.class).error("a job event listener failed", e);
                }
            }
        } finally {
            mine.draining = false;
            mine.inlineJobs = 0;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** "No value" for a job's primitive time fields. */
    private static final long NONE = Long.MIN_VALUE;

    private static Long boxed(long value) {
        return value == NONE ? null : value;
    }

    private EndpointState endpoint(String endpointId) {
        EndpointState e = endpoints.get(endpointId);
        if (e == null) {
            throw new IllegalArgumentException("unknown endpoint " + endpointId);
        }
        return e;
    }

    private Job job(String endpointId, String jobId) {
        EndpointState e = endpoints.get(endpointId);
        return e == null || jobId == null ? null : e.jobs.get(jobId);
    }

    private static void cancelTimer(Clock.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** RunPod-style ids: a UUID with a "-u1" suffix, "sync-" in front for /runsync jobs (runpod-api.md §2.1). */
    private String newJobId(JobRequest request) {
        if (settings.has(Defect.ID_REUSED)) {
            return UUID.nameUUIDFromBytes(String.valueOf(request.input()).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "-u1";
        }
        if (settings.has(Defect.ID_PLAIN_UUID)) {
            return randomUuid().toString();
        }
        String id = randomUuid() + "-u1";
        return request.sync() ? "sync-" + id : id;
    }

    /**
     * A version-4 UUID from {@link java.util.concurrent.ThreadLocalRandom}: job ids must be unique and
     * unpredictable enough for a test double, and {@link UUID#randomUUID()}'s shared SecureRandom serialises
     * every submitter on one lock.
     */
    private static UUID randomUuid() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;              // version 4
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low);
    }

    /** RunPod worker ids look like "uhbbfre73gqjwh": 14 lowercase letters and digits. */
    private String newWorkerId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder sb = new StringBuilder(14);
        for (int i = 0; i < 14; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- state

    private enum WorkerState { INITIALIZING, IDLE, RUNNING }

    private static final class Worker {
        final String id;
        WorkerState state = WorkerState.IDLE;
        Job job;
        long idleSince;
        Clock.Timer timer; // cold start or idle timeout

        Worker(String id) {
            this.id = id;
        }
    }

    private static final class EndpointState {
        final String id;
        final StoredJobs<Job> jobs = new StoredJobs<>(job -> job.id);
        final Deque<Job> normalQueue = new ArrayDeque<>();
        final Deque<Job> lowQueue = new ArrayDeque<>();
        final List<Worker> workers = new ArrayList<>();
        long completed;
        long failed;
        long retried;

        EndpointState(String id) {
            this.id = id;
        }

        void dequeue(Job job) {
            if (!normalQueue.remove(job)) {
                lowQueue.remove(job);
            }
        }
    }

    private static final class Waiter {
        final Job job;
        final Predicate<Job> ready;
        final CompletableFuture<Optional<JobView>> future = new CompletableFuture<>();
        CompletableFuture<Optional<StreamBatch>> streamFuture;
        java.util.function.Function<Job, Optional<StreamBatch>> onFire;
        Clock.Timer timer;

        Waiter(Job job, Predicate<Job> ready) {
            this.job = job;
            this.ready = ready;
        }
    }

    private final class Job {
        final String id;
        final EndpointState endpoint;
        /** What the request asked for besides the input (kept field by field: no request object per stored job). */
        final String webhook;
        final Policy policy;
        final S3Config s3Config;
        final boolean sync;
        /**
         * The input: its JSON text while the job waits in the queue ({@link #shelve}), its tree while it runs (a
         * handler reads it; an echo's output is that very tree), its JSON text again once the job has finished
         * ({@link #compact}); null for a body without one (BODY-009).
         */
        Object input;
        /** The input's JSON text as it came in the body, while {@link #input} is a tree; null when not known. */
        byte[] inputJson;
        /** The output, or the latest progress update: a tree, or its JSON text once finished; null when none. */
        Object output;
        final long submittedAt;
        long queuedAt;
        JobStatus status = JobStatus.IN_QUEUE;
        /** Mock-time instants and durations; {@link #NONE} while there is none (a primitive: no box per stored job). */
        long startedAt = NONE;
        long finishedAt = NONE;
        long delayTime = NONE;
        long executionTime = NONE;
        String error;
        String workerId;
        int retries;
        int attempt;
        /** How many times this job's worker was lost while running it (DEC-022). */
        int lost;
        boolean removed;
        long wallQueuedAt;
        long wallStartedAt;
        long retentionOverrideMs = NONE;
        /** Stream chunks; null until the first (most jobs never stream, and a stored job should carry nothing extra). */
        List<JsonNode> chunks;
        int drained;
        RunningContext context;
        /** Armed only while nothing else would end the job before its ttl does (see armTtlIfFirst); null otherwise. */
        Clock.Timer ttlTimer;
        /** When the ttl ends (mock time); NONE once ttl no longer applies. */
        long ttlDeadline = NONE;
        Clock.Timer timeoutTimer;
        /** Only for a retention kept longer after the job ended (keepResultFor); otherwise the retention queues rule. */
        Clock.Timer retentionTimer;
        /** The ticket of the job's entry in the retention queues while it is finished and stored; 0 otherwise. */
        long retentionTicket;
        /** Held requests (runsync, status-sync, stream) waiting on this job; null while there are none. */
        List<Waiter> waiters;
        /** What the job store's budget counts this job at (DEC-034). */
        final long approxBytes;

        Job(String id, EndpointState endpoint, JobRequest request, long now, long approxBytes) {
            this.approxBytes = approxBytes;
            this.id = id;
            this.endpoint = endpoint;
            this.webhook = request.webhook();
            this.policy = request.policy();
            this.s3Config = request.s3Config();
            this.sync = request.sync();
            this.input = request.input();
            this.inputJson = request.inputJson();
            this.submittedAt = now;
            this.queuedAt = now;
        }

        boolean hasUndrained() {
            return chunks != null && drained < chunks.size();
        }

        void addChunk(JsonNode chunk) {
            if (chunks == null) {
                chunks = new ArrayList<>();
            }
            chunks.add(chunk);
        }

        void addWaiter(Waiter waiter) {
            if (waiters == null) {
                waiters = new ArrayList<>(1);
            }
            waiters.add(waiter);
        }

        StreamBatch peek() {
            if (chunks == null) {
                return new StreamBatch(view(), List.of());
            }
            int from = settings.has(Defect.STREAM_NOT_DRAINED) ? 0 : drained;
            return new StreamBatch(view(), List.copyOf(chunks.subList(from, chunks.size())));
        }

        StreamBatch drain() {
            if (chunks == null) {
                return new StreamBatch(view(), List.of());
            }
            if (settings.has(Defect.STREAM_NOT_DRAINED)) {
                return new StreamBatch(view(), List.copyOf(chunks));
            }
            List<JsonNode> batch = List.copyOf(chunks.subList(drained, chunks.size()));
            drained = chunks.size();
            return new StreamBatch(view(), batch);
        }

        /**
         * Back in the queue with nothing of its last run (status, timings, result, worker, stream): a lost worker's
         * requeue (DEC-022, DEC-040) and, with what only a retry resets, {@link #resetForRetry}.
         */
        void clearRun(long now) {
            status = JobStatus.IN_QUEUE;
            startedAt = NONE;
            delayTime = NONE;
            executionTime = NONE;
            output = null;
            error = null;
            workerId = null;
            chunks = null;
            drained = 0;
            queuedAt = now;
        }

        void resetForRetry(long now) {
            Object keptOutput = output;
            String keptError = error;
            clearRun(now);
            finishedAt = NONE;
            if (settings.has(Defect.RETRY_KEEPS_RESULT)) {
                output = keptOutput;
                error = keptError;
            }
            retries++;
            lost = 0;
        }

        JobView view() {
            return new JobView(id, endpoint.id, status, input, webhook, policy, s3Config, sync, submittedAt,
                    boxed(startedAt), boxed(finishedAt), status == JobStatus.IN_QUEUE ? null : boxed(delayTime),
                    boxed(executionTime), output, error, workerId, retries);
        }

        ObjectNode inputTree() {
            return (ObjectNode) StoredJson.tree(input);
        }

        /** The request again, for the RETRY_NEW_ID defect's copy. */
        JobRequest asRequest() {
            return new JobRequest(input == null ? null : inputTree(), webhook, policy, s3Config, sync);
        }

        /**
         * The job waits in the queue: it keeps only its input's text, not the tree parsed from it too (a queued
         * 1 KB input held both: 2.9 KB a job instead of 1.8; QueuedJobsMemoryIT).
         */
        void shelve() {
            if (input instanceof ObjectNode && inputJson != null) {
                input = inputJson;
                inputJson = null;
            }
        }

        /** The job starts running: its handler reads the input's tree; the text is kept for when it finishes. */
        void unshelve() {
            if (input instanceof byte[] json) {
                inputJson = json;
                input = inputTree();
            }
        }

        /**
         * The job has finished and is only kept for reading: its input and output become JSON text (shared when
         * the output is the input, as for an echo). See {@link StoredJson} for why.
         */
        void compact() {
            if (input instanceof ObjectNode tree) {
                byte[] json = inputJson != null ? inputJson : StoredJson.bytes(tree);
                inputJson = null;
                if (output == tree) {
                    output = json;
                }
                input = json;
            }
            if (output instanceof JsonNode tree) {
                output = StoredJson.bytes(tree);
            }
        }

    }

    /** The handler's window on one run of a job; dead once the run ends, so late reports are dropped. */
    private final class RunningContext implements JobContext {
        private final Job job;
        private final int attempt;
        private final String workerId;
        /** Steps scheduled on the clock; null until the first (a zero-delay step run by its thread needs none). */
        private List<Clock.Timer> steps;
        /** Volatile: a zero-delay step run by the thread that scheduled it checks it without the lock. */
        private volatile boolean stopped;
        /** TIMEOUT_KEEPS_WORKER defect: the job has ended but the handler still occupies its worker. */
        boolean zombie;
        /** Run by a connected worker over the worker protocol, not by a built-in handler. */
        boolean external;
        /** refresh_worker / stopPod: the worker is retired when this job ends. */
        boolean retireWorker;
        /** The thread whose deferred work has taken on this run's zero-delay steps, if any (see INLINE_JOBS_MAX). */
        private Deferred inlineBy;
        /** When the execution timeout ends the run (mock time), until its timer is armed; NONE after. */
        private long timeoutDue;

        RunningContext(Job job, int attempt, String workerId, long timeoutDue) {
            this.job = job;
            this.attempt = attempt;
            this.workerId = workerId;
            this.timeoutDue = timeoutDue;
        }

        /** Whether a zero-delay step of this run was handed to a thread's deferred work (see after). */
        boolean tookInlineStep() {
            return inlineBy != null;
        }

        /** Arms the execution timeout's timer, once, while the run is live (under the lock). */
        void armTimeout() {
            if (timeoutDue == NONE || !live()) {
                return;
            }
            long due = timeoutDue;
            timeoutDue = NONE;
            job.timeoutTimer = clock.schedule(Math.max(0, due - clock.now()), () -> executionTimedOut(job, attempt));
        }

        void stop() {
            stopped = true;
            if (steps != null) {
                steps.forEach(Engine::cancelTimer);
                steps.clear();
            }
        }

        /** The handler of a timed-out job ended at last (TIMEOUT_KEEPS_WORKER defect): its worker is free now. */
        private void releaseZombie() {
            if (!zombie || stopped) {
                return;
            }
            stop();
            Worker w = workerOf(job);
            if (w != null) {
                idle(w);
            }
            dispatch(job.endpoint);
        }

        private boolean live() {
            return !stopped && !job.removed && job.attempt == attempt && job.status == JobStatus.IN_PROGRESS;
        }

        @Override
        public String jobId() {
            return job.id;
        }

        @Override
        public String workerId() {
            return workerId;
        }

        @Override
        public S3Config s3Config() {
            return settings.has(Defect.S3_NOT_PASSED) ? null : job.s3Config;
        }

        @Override
        public ObjectNode input() {
            return readOnlyInput().deepCopy();
        }

        @Override
        public ObjectNode readOnlyInput() {
            if ((settings.has(Defect.RETRY_LOSES_INPUT) && job.retries > 0) || job.input == null) {
                return tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            }
            return job.inputTree();
        }

        @Override
        public void progress(JsonNode output) {
            locked(() -> {
                if (live()) {
                    job.output = output;
                    wakeWaiters(job, false);
                }
            });
        }

        @Override
        public void chunk(JsonNode output) {
            locked(() -> {
                if (live() && !settings.has(Defect.GENERATOR_NO_CHUNKS)) {
                    job.addChunk(output);
                    wakeWaiters(job, false);
                }
            });
        }

        @Override
        public void complete(JsonNode output) {
            locked(() -> {
                if (live()) {
                    stop();
                    handlerFinished(job, JobStatus.COMPLETED, output, null);
                } else {
                    releaseZombie();
                }
            });
        }

        @Override
        public void fail(String error) {
            locked(() -> {
                if (live()) {
                    stop();
                    handlerFinished(job, JobStatus.FAILED, null, error);
                } else {
                    releaseZombie();
                }
            });
        }

        @Override
        public void after(long delayMs, Runnable step) {
            locked(() -> {
                if (!live()) {
                    return;
                }
                Deferred mine = afterUnlock.get();
                boolean inline = delayMs <= 0 && !clock.frozen()
                        && (inlineBy == mine || mine.inlineJobs < INLINE_JOBS_MAX);
                if (inline) {
                    // Due now on a running clock: the scheduling thread runs it once the engine lock is free,
                    // instead of handing every zero-delay job to the clock thread (a wake-up and a context
                    // switch per job: the largest cost of /run under load). A frozen clock keeps it for advance().
                    if (inlineBy != mine) {
                        inlineBy = mine;
                        mine.inlineJobs++;
                    }
                    defer(() -> {
                        if (!stopped) {
                            step.run();
                        }
                        if (!stopped) {
                            locked(this::armTimeout); // the step did not end the job: its timeout counts now
                        }
                    });
                } else {
                    armTimeout(); // before the step: a step and the timeout due at one instant, the timeout fires first
                    if (steps == null) {
                        steps = new ArrayList<>(2);
                    }
                    steps.add(clock.schedule(delayMs, step));
                }
            });
        }

        @Override
        public boolean active() {
            synchronized (Engine.this) {
                return live();
            }
        }

        @Override
        public void crash() {
            locked(() -> {
                if (!live()) {
                    return;
                }
                for (Worker w : List.copyOf(job.endpoint.workers)) {
                    if (w.job == job) {
                        cancelTimer(w.timer); // the process is gone, and its worker with it
                        job.endpoint.workers.remove(w);
                    }
                }
                stop();
                job.context = null;
                lose(job, "worker " + workerId + " crashed");
            });
        }

        @Override
        public void retireWorkerAfterJob() {
            locked(() -> retireWorker = true);
        }

        private void locked(Runnable action) {
            try {
                synchronized (Engine.this) {
                    action.run();
                }
            } finally {
                runDeferred();
            }
        }
    }

    /**
     * The first step of a graceful stop: every held request (runsync, status-sync, stream) is answered now with
     * the job as it is, as when its wait runs out, and no later request holds. Jobs are left as they are.
     *
     * @return how many held requests were released
     */
    public int beginShutdown() {
        try {
            synchronized (this) {
                shuttingDown = true;
                int released = 0;
                for (EndpointState e : endpoints.values()) {
                    for (Job job : e.jobs.snapshot()) {
                        for (Waiter w : job.waiters == null ? List.<Waiter>of() : List.copyOf(job.waiters)) {
                            job.waiters.remove(w);
                            fire(w, job);
                            released++;
                        }
                    }
                }
                return released;
            }
        } finally {
            runDeferred();
        }
    }

    /** Stops the completion threads; pending waits are dropped. */
    public void close() {
        ((java.util.concurrent.ExecutorService) completions).shutdownNow();
    }

    /** Exposed for tests and the admin API: how many jobs each endpoint holds. */
    synchronized Collection<String> endpointIds() {
        return List.copyOf(endpoints.keySet());
    }
}
