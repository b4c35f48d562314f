package dev.runpodkit.mock.workers;

import java.util.ArrayList;
import java.util.List;
import dev.runpodkit.mock.engine.S3Config;
import dev.runpodkit.mock.storage.S3Uploader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The built-in worker: understands the input keys of RunPod's own test handler, runpod-workers/mock-worker
 * (wire-captures.md §4), so a check can run unchanged here and against a real endpoint running that image.
 *
 * <ul>
 *   <li>{@code mock_return}: the output (without it the job echoes its input, a convenience of this mock);</li>
 *   <li>{@code mock_delay}: seconds of work (per chunk in generator mode); the mock-worker passes it to
 *       {@code time.sleep}, which raises on anything but a number of seconds >= 0 (a string, null, -1): the job
 *       then ends FAILED before any work, as the handler's exception would end it;</li>
 *   <li>{@code mock_error}: the handler raises; the job ends FAILED;</li>
 *   <li>{@code mock_progress}: {@code {"updates":[...],"wait_time":s}} progress updates before the work;</li>
 *   <li>{@code mock_crash}: the worker process dies (after {@code mock_delay}); the job follows the lost-worker rule;</li>
 *   <li>{@code mock_refresh}: the handler returns {@code refresh_worker}: the worker is retired after the job;</li>
 *   <li>{@code mock_generator} / {@code mock_aggregate}: per-job generator mode and aggregation, the same as the
 *       mock-worker's {@code --generator} and {@code --return_aggregate_stream} flags (endpoint settings);</li>
 *   <li>{@code mock_s3_upload} (this mock's own key, DEC-032): upload the output as JSON to the job's s3Config
 *       bucket and return the object's URL as the output.</li>
 * </ul>
 */
public final class MockWorkerHandler implements Handler {

    /** The error_type runpod-python reports for a plain {@code raise Exception(...)}. */
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final boolean generatorByDefault;
    private final boolean aggregateByDefault;
    private final boolean wrongOutput;
    private final boolean errorCompletes;
    private final S3Uploader uploader;
    private final boolean secretInError;

    public MockWorkerHandler(boolean generatorByDefault, boolean aggregateByDefault,
                             boolean wrongOutput, boolean errorCompletes) {
        this(generatorByDefault, aggregateByDefault, wrongOutput, errorCompletes, null, false);
    }

    public MockWorkerHandler(boolean generatorByDefault, boolean aggregateByDefault, boolean wrongOutput,
                             boolean errorCompletes, S3Uploader uploader, boolean secretInError) {
        this.uploader = uploader;
        this.secretInError = secretInError;
        this.generatorByDefault = generatorByDefault;
        this.aggregateByDefault = aggregateByDefault;
        this.wrongOutput = wrongOutput;
        this.errorCompletes = errorCompletes;
    }

    @Override
    public void start(JobContext job) {
        ObjectNode input = job.readOnlyInput(); // read, never changed: the echo output is this very tree
        List<JsonNode> updates = new ArrayList<>();
        long progressGapMs = 0;
        JsonNode progress = input.get("mock_progress");
        if (progress != null && progress.isObject()) {
            JsonNode list = progress.get("updates");
            if (list != null && list.isArray()) {
                list.forEach(updates::add);
            }
            progressGapMs = seconds(progress.get("wait_time"));
        }
        if (isTrue(input.get("mock_refresh"))) {
            job.retireWorkerAfterJob();
        }
        // progress updates first, wait_time apart, then the work itself
        long at = 0;
        for (JsonNode update : updates) {
            long when = at;
            job.after(when, () -> job.progress(update));
            at += progressGapMs;
        }
        long workStartsAt = at;
        Raised badDelay = delayProblem(input.get("mock_delay"));
        if (badDelay != null) {
            // time.sleep raises first thing in the handler: before a crash, an error or any chunk
            boolean generator = isGenerator(input);
            job.after(workStartsAt, () -> job.fail(generator ? generatorErrorText(badDelay.type(), badDelay.message())
                    : errorText(job, badDelay.type(), badDelay.message())));
            return;
        }
        if (isTrue(input.get("mock_crash"))) {
            job.after(workStartsAt + seconds(input.get("mock_delay")), job::crash);
            return;
        }
        if (isGenerator(input)) {
            job.after(workStartsAt, () -> runGenerator(job, input));
        } else {
            job.after(workStartsAt + seconds(input.get("mock_delay")), () -> finish(job, input, result(input), false));
        }
    }

    private boolean isGenerator(ObjectNode input) {
        JsonNode flag = input.get("mock_generator");
        return flag != null && flag.isBoolean() ? flag.booleanValue() : generatorByDefault;
    }

    private boolean aggregates(ObjectNode input) {
        JsonNode flag = input.get("mock_aggregate");
        return flag != null && flag.isBoolean() ? flag.booleanValue() : aggregateByDefault;
    }

    private JsonNode result(ObjectNode input) {
        if (wrongOutput) {
            return NODES.stringNode("Hello World!");
        }
        JsonNode mockReturn = input.get("mock_return");
        return mockReturn != null ? mockReturn : input;
    }

    private void runGenerator(JobContext job, ObjectNode input) {
        JsonNode mockReturn = input.get("mock_return");
        List<JsonNode> items = new ArrayList<>();
        if (mockReturn == null) {
            items.add(NODES.stringNode("Hello World!"));
        } else if (mockReturn.isArray()) {
            mockReturn.forEach(items::add);
        } else {
            items.add(mockReturn);
        }
        long gap = seconds(input.get("mock_delay"));
        ArrayNode aggregate = NODES.arrayNode();
        long at = 0;
        for (JsonNode item : items) {
            at += gap;
            job.after(at, () -> {
                job.chunk(item);
                aggregate.add(item);
            });
        }
        // the final post of a streaming job: the aggregate, or [] without aggregation (wire-captures.md §3)
        job.after(at, () -> finish(job, input, aggregates(input) ? aggregate : NODES.arrayNode(), true));
    }

    private void finish(JobContext job, ObjectNode input, JsonNode output, boolean generator) {
        JsonNode mockError = input.get("mock_error");
        if (mockError != null && !isFalse(mockError) && !errorCompletes) {
            String message = mockError.isTextual() ? mockError.stringValue() : "Mock error";
            job.fail(generator ? generatorErrorText(message) : errorText(job, message));
        } else if (wantsUpload(input)) {
            upload(job, output);
        } else {
            job.complete(output);
        }
    }

    private static boolean wantsUpload(ObjectNode input) {
        JsonNode flag = input.get("mock_s3_upload");
        return flag != null && !isFalse(flag);
    }

    /** Uploads off the clock thread; the job ends when the store has answered. */
    private void upload(JobContext job, JsonNode output) {
        S3Config s3 = job.s3Config();
        if (s3 == null || uploader == null) {
            job.fail(errorText(job, "mock_s3_upload needs an s3Config in the request"));
            return;
        }
        byte[] body = output.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        uploader.upload(s3, S3Uploader.keyFor(s3, job.jobId()), body, "application/json")
                .whenComplete((url, error) -> {
                    if (error == null) {
                        job.complete(NODES.stringNode(url));
                        return;
                    }
                    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    String message = cause instanceof S3Uploader.UploadFailed ? cause.getMessage()
                            : "upload failed: " + S3Uploader.scrub(String.valueOf(cause.getMessage()), s3);
                    if (secretInError) {
                        message += " (credentials " + s3.accessId() + ":" + s3.accessSecret() + ")";
                    }
                    job.fail(errorText(job, message));
                });
    }

    /** The error string runpod-python posts when a handler raises: JSON text (runpod-api.md §6.2.4). */
    private String errorText(JobContext job, String message) {
        return errorText(job, "Exception", message);
    }

    /** As {@link #errorText(JobContext, String)}, for a handler that raised the Python exception {@code type}. */
    private String errorText(JobContext job, String type, String message) {
        ObjectNode error = NODES.objectNode();
        error.put("error_type", "<class '" + type + "'>");
        error.put("error_message", message);
        error.put("error_traceback", "Traceback (most recent call last):\n  File \"handler.py\", line 1, in handler\n" + type + ": " + message + "\n");
        error.put("hostname", "runpod-mock");
        error.put("worker_id", job.workerId());
        error.put("runpod_version", "1.12.0");
        return error.toString();
    }

    /**
     * The error string runpod-python posts when a generator handler raises (rp_job.run_job_generator): plain text
     * "handler: <message> \ntraceback: <traceback>", not the JSON text of a plain handler (runpod-api.md §6.2.5;
     * wire-captures.md §3, "Generator raising after two yields").
     */
    private static String generatorErrorText(String message) {
        return generatorErrorText("Exception", message);
    }

    private static String generatorErrorText(String type, String message) {
        return "handler: " + message + " \ntraceback: Traceback (most recent call last):\n  File \"handler.py\", line 1, in handler\n"
                + type + ": " + message + "\n";
    }

    /** Python truthiness, as the mock-worker reads its flags: present and not false, null, 0 or "". */
    private static boolean isTrue(JsonNode node) {
        if (node == null || isFalse(node)) {
            return false;
        }
        if (node.isNumber()) {
            return node.doubleValue() != 0;
        }
        return !(node.isTextual() && node.stringValue().isEmpty());
    }

    private static boolean isFalse(JsonNode node) {
        return node.isNull() || (node.isBoolean() && !node.booleanValue());
    }

    /** A Python exception the handler raises: its class name (TypeError) and message. */
    private record Raised(String type, String message) { }

    /**
     * Why {@code time.sleep(mock_delay)} would raise, or null when it would sleep. A JSON number of seconds >= 0
     * sleeps; true and false are Python's 1 and 0. Anything else raises in Python (TypeError for a string, null,
     * object or array, ValueError "sleep length must be non-negative" for a negative number).
     */
    private static Raised delayProblem(JsonNode delay) {
        if (delay == null || delay.isBoolean()) {
            return null;
        }
        if (!delay.isNumber()) {
            return new Raised("TypeError", "mock_delay must be a number of seconds, not "
                    + delay.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (delay.doubleValue() < 0) {
            return new Raised("ValueError", "mock_delay must be a number of seconds >= 0 (sleep length must be non-negative), not " + delay);
        }
        return null;
    }

    private static long seconds(JsonNode node) {
        if (node != null && node.isBoolean()) {
            return node.booleanValue() ? 1_000 : 0; // time.sleep(True) sleeps a second: a bool is an int in Python
        }
        if (node == null || !node.isNumber()) {
            return 0;
        }
        return Math.max(0, Math.round(node.doubleValue() * 1000));
    }
}
