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
    NO_ALLOW_HEADER("405 answers carry no Allow header");

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
