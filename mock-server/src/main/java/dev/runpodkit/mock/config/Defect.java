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
    NO_SCALE_DOWN("idle workers above workersMin are never stopped"),
    // webhooks
    WEBHOOK_URL_UNCHECKED("a webhook that is not an absolute http(s) URL is accepted"),
    WEBHOOK_NO_RETRY("a failed webhook attempt is never repeated"),
    WEBHOOK_EXTRA_RETRY("a failing webhook is attempted once more than documented (4 in all)"),
    WEBHOOK_NO_DELAY("failed webhook attempts are repeated at once, not 10 s later"),
    WEBHOOK_NO_TIMEOUT("a webhook attempt waits minutes for an answer instead of 10 s"),
    WEBHOOK_RETRIES_AFTER_SUCCESS("a 200 answer does not stop further webhook attempts"),
    WEBHOOK_NOT_ON_FAILURE("FAILED and TIMED_OUT jobs are not webhooked"),
    WEBHOOK_ON_CANCELLED("CANCELLED jobs are webhooked"),
    WEBHOOK_STATUS_ONLY("the webhook body lacks the job's input and webhook"),
    WEBHOOK_LEAKS_S3CONFIG("the webhook body carries the job's s3Config"),
    WEBHOOK_WRONG_CONTENT_TYPE("webhooks are sent as text/plain"),
    WEBHOOK_NO_JOURNAL("webhook attempts are not recorded in the journal"),
    // limits and s3Config
    LIMIT_NOT_ENFORCED("bodies over the payload limits are accepted"),
    RATE_LIMITS_OFF("no rate or concurrency limit: never 429"),
    RATE_NO_RETRY_AFTER("429 answers carry no Retry-After header"),
    RATE_WINDOW_STUCK("a rate window never frees up once it is full"),
    S3_NOT_PASSED("the job reaches its worker without its s3Config"),
    S3_SECRET_IN_ERROR("a failed upload's error names the s3Config secret"),
    LEAK_S3CONFIG_EVERYWHERE("s3Config is returned by /stream, /status-sync, /cancel and /retry too"),
    ADMIN_SHOWS_SECRETS("the admin API shows s3Config credentials unredacted"),
    RATE_NO_DYNAMIC("the rate limit ignores running workers (no max(base, workers x requestsPerWorker))"),
    LIMIT_OLD_2MB("bodies over 2 MB are refused (the 2023 limit)"),
    LIMIT_CONTENT_LENGTH_ONLY("only a declared Content-Length is checked: chunked bodies have no limit"),
    // the worker protocol: connected workers (job-take, job-done, job-stream, job-stop, ping)
    WORKER_TAKE_NO_HOLD("an empty job-take answers 204 at once instead of holding"),
    WORKER_BATCH_AS_OBJECT("job-take-batch answers one job object instead of an array"),
    WORKER_DOUBLE_DELIVERY("a taken job goes back to the head of the queue once, so a second worker takes it too"),
    WORKER_FORM_BODY_REJECTED("job-done and job-stream refuse a JSON body sent as application/x-www-form-urlencoded"),
    WORKER_STRICT_HEADERS("worker routes refuse the SDK's extra headers (a literal charset, X-Request-ID) and unknown query parameters"),
    WORKER_ERROR_COMPLETES("a job-done error string ends the job COMPLETED"),
    WORKER_PROGRESS_ENDS_JOB("a job-done progress report (status IN_PROGRESS) ends the job COMPLETED"),
    WORKER_STREAM_DROPPED("job-stream posts never reach /stream"),
    WORKER_NO_STOP("job-stop never names cancelled or timed-out jobs"),
    WORKER_PING_IGNORED("pings neither keep a worker alive nor count it in /health"),
    WORKER_LOST_NOT_REQUEUED("a lost worker's job stays IN_PROGRESS until its execution timeout"),
    WORKER_LOST_FAILS_AT_ONCE("a lost worker's job ends FAILED at once, without the one requeue"),
    WORKER_DONE_ALWAYS_200("job-done for an unknown, expired, cancelled or timed-out job answers 200"),
    WORKER_DONE_NOT_IDEMPOTENT("a repeated job-done answers 404"),
    WORKER_STOP_POD_IGNORED("stopPod is ignored: the worker keeps getting jobs"),
    WORKER_CHUNK_UNLIMITED("job-stream takes a chunk of any size: no 1 MB limit"),
    WORKER_RESULT_UNLIMITED("job-done takes a result of any size: no payload limit, the job ends COMPLETED"),
    WORKER_JOB_NO_S3CONFIG("the job a worker takes lacks its s3Config"),
    STRIP_EMPTY_INPUT("an empty input {} is left out of the job a worker takes"),
    MOCK_REFRESH_IGNORED("mock_refresh does not retire the built-in worker after the job"),
    EXTERNAL_RUNS_BUILTIN("an endpoint in mode external runs its jobs on built-in workers"),
    WORKER_ENV_NO_QUERY("the printed worker URL templates lack the ?query the worker appends its parameters to");

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
