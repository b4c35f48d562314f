package dev.runpodkit.mock.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Deliberate breakages, selected with {@code --defect NAME}. They exist so the conformance suite can prove
 * that each of its checks fails when the behaviour it checks is broken: a check never seen failing proves
 * nothing. Each constant names the one behaviour it breaks; grep the name to find where.
 */
public enum Defect {
    // /run and /runsync
    RUN_RETURNS_IN_PROGRESS("/run answers status IN_PROGRESS instead of IN_QUEUE"),
    RUN_RETURNS_202("/run answers HTTP 202 instead of 200"),
    RUN_MISSING_ID("/run answers without an id"),
    RUNSYNC_IGNORES_WAIT("/runsync returns at once with IN_QUEUE, never waiting for the job"),
    RUNSYNC_WAIT_UNCLAMPED("/runsync holds for the raw ?wait value, below 1000 ms too"),
    WAIT_NOT_VALIDATED("a ?wait or ?ttl that is not an integer is ignored instead of refused with 400"),
    RUNSYNC_TIMEOUT_IS_ERROR("/runsync answers 408 with an error when the job outlives the wait"),
    // /status
    STATUS_MISSING_ID("/status omits the job id"),
    STATUS_GET_ONLY("/status rejects POST with 405"),
    STATUS_NO_TIMINGS("/status omits delayTime and executionTime"),
    STATUS_NO_WORKER_ID("/status omits workerId"),
    STATUS_RUNNING("/status reports RUNNING instead of IN_PROGRESS"),
    ECHO_WRONG_OUTPUT("the built-in worker returns a fixed string instead of mock_return / the input"),
    FAILED_ERROR_OBJECT("a failed job's error is a JSON object instead of a string"),
    MOCK_ERROR_COMPLETES("mock_error jobs end COMPLETED"),
    FAILED_HTTP_500("/status of a FAILED job answers HTTP 500"),
    LEAK_S3CONFIG("s3Config is returned in /run, /runsync and /status responses"),
    // request bodies
    ACCEPT_MISSING_INPUT("a body without input is accepted"),
    ACCEPT_NON_OBJECT_INPUT("input that is not an object is accepted"),
    ACCEPT_WRONG_TYPES("wrong types in webhook, policy and s3Config are accepted"),
    KEEP_UNKNOWN_KEYS("unknown top-level keys are passed to the worker"),
    MALFORMED_JSON_500("malformed JSON answers 500 with a stack trace"),
    ERROR_NOT_NAMING_FIELD("400 errors do not say which field is wrong"),
    // auth
    NO_AUTH("any request is accepted, with or without a key"),
    REJECT_BEARER("only the raw key is accepted; 'Bearer <key>' is refused"),
    REJECT_RAW_KEY("only 'Bearer <key>' is accepted; the raw key is refused"),
    // errors and routing
    UNKNOWN_JOB_200("an unknown job id answers 200"),
    UNKNOWN_ENDPOINT_200("an unknown endpoint id is served like a known one"),
    ERROR_BODY_TEXT("error bodies are plain text, not JSON"),
    NO_405("a wrong method answers 404 instead of 405"),
    NO_ALLOW_HEADER("405 answers carry no Allow header"),
    INJECTED_FAULT_AS_TEXT("an injected server fault answers 500 with a plain-text stack trace"),
    // /stream and streaming jobs
    STREAM_NOT_DRAINED("/stream re-sends chunks it already returned"),
    STREAM_MISSING_ARRAY("/stream omits the stream array when nothing is pending"),
    STREAM_IGNORES_WAIT("/stream with nothing pending answers at once instead of holding"),
    STREAM_WAIT_UNCLAMPED("/stream holds for the raw ?wait value, above 300000 ms too"),
    STREAM_HOLDS_AFTER_END("/stream of a finished, drained job holds for the whole wait"),
    STREAM_GET_ONLY("/stream rejects POST with 405"),
    GENERATOR_NO_CHUNKS("a generator job's items never reach /stream"),
    AGGREGATE_ALWAYS("a streaming job's final output is the chunk list even without aggregation"),
    // /status-sync, progress, timings
    STATUS_SYNC_IGNORES_WAIT("/status-sync answers at once instead of holding"),
    STATUS_SYNC_WAIT_UNCLAMPED("/status-sync holds for the raw ?wait value, below 1000 ms and above 300000 ms too"),
    STATUS_HOLDS("/status holds like /status-sync"),
    PROGRESS_HIDDEN("/status of a running job hides its progress updates"),
    TIMINGS_WALL_CLOCK("delayTime and executionTime are measured on the wall clock, not the endpoint's clock"),
    STATUS_TTL_IGNORED("?ttl on /status is ignored"),
    // /cancel, /retry, /purge-queue
    CANCEL_IGNORED("/cancel answers CANCELLED but the job goes on and completes"),
    CANCEL_OVERWRITES_TERMINAL("/cancel of a finished job turns it CANCELLED"),
    CONTROL_REQUIRES_BODY("/cancel, /retry and /purge-queue refuse a request without a JSON body"),
    RETRY_ANY_STATUS("/retry requeues jobs in any state"),
    RETRY_NEW_ID("/retry queues a copy under a new id"),
    RETRY_KEEPS_RESULT("/retry leaves the old output and error visible until the new run ends"),
    RETRY_LOSES_INPUT("a retried job runs with an empty input"),
    RETRY_LOSES_POLICY("a retried job runs without its policy: the endpoint's execution timeout applies"),
    PURGE_STOPS_RUNNING("/purge-queue also cancels running jobs"),
    PURGE_COUNT_ZERO("/purge-queue always reports removed: 0"),
    PURGE_KEEPS_JOBS("purged jobs stay visible through /status"),
    // /health
    HEALTH_STALE("/health reports no jobs in queue or in progress and no running workers"),
    HEALTH_BASIC_KEYS("/health reports only idle and running workers"),
    HEALTH_COUNTERS_FROZEN("/health's completed, failed and retried never move"),
    HEALTH_NO_JOBS("/health answers only the workers object, without the jobs counters"),
    // retention and ids
    RETAIN_FOREVER("finished jobs are never removed"),
    RETAIN_SYNC_AS_RUN("/runsync results are kept 30 min, like /run results"),
    RETAIN_WAIT_EXTENDS("?wait on /runsync extends how long the result is kept (the pre-2026 reading)"),
    ID_PLAIN_UUID("job ids are bare UUIDs: no -u1 suffix, no sync- prefix"),
    ID_REUSED("identical bodies get the same job id"),
    // policy and workers
    POLICY_RANGE_UNCHECKED("out-of-range executionTimeout and ttl values are accepted"),
    POLICY_MIN_EXCLUSIVE("executionTimeout 5000 is refused (minimum read as exclusive)"),
    POLICY_UNKNOWN_KEYS_REJECTED("unknown keys inside policy are refused with 400"),
    EXECUTION_TIMEOUT_IGNORED("policy.executionTimeout is ignored"),
    DEFAULT_TIMEOUT_24H("the endpoint's default execution timeout is 24 h instead of 10 min"),
    TIMEOUT_KEEPS_WORKER("a timed-out job's worker stays busy until its handler would have ended"),
    TTL_IGNORED("policy.ttl is ignored"),
    TTL_QUEUE_ONLY("ttl bounds only the time in the queue (the pre-2026 reading)"),
    TTL_DEFAULT_1H("the default ttl is 1 h instead of 24 h"),
    LOW_PRIORITY_FIFO("lowPriority is ignored: all jobs run first in, first out"),
    LOW_PRIORITY_SCALES("low-priority jobs start new workers"),
    NO_SCALE_UP("the pool never grows past workersMin"),
    NO_COLD_START("new workers are ready at once, without the cold-start delay"),
    NO_SCALE_DOWN("idle workers above workersMin are never stopped");

    private final String description;

    Defect(String description) {
        this.description = description;
    }

    /** The name used on the command line, e.g. {@code status-missing-id}. */
    public String flagName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    public static Defect fromFlag(String name) {
        String key = name.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Defect.valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown defect '" + name + "'; known: "
                    + Arrays.stream(values()).map(Defect::flagName).collect(Collectors.joining(", ")));
        }
    }
}
