package dev.runpodkit.mock.engine;

import tools.jackson.databind.node.ObjectNode;

/**
 * What a client asked for, after validation: the only top-level keys that reach a worker. Unknown keys
 * were discarded before this was built (docs:old-send: "it will be discarded and unavailable to your handler").
 * {@code input} is null only for a body without one that the lenient mode let through (strictInput=false,
 * BODY-009): the job then reaches its worker without an {@code input} key.
 */
public record JobRequest(ObjectNode input, String webhook, Policy policy, S3Config s3Config, boolean sync,
                         byte[] inputJson) {
    /**
     * @param inputJson the input exactly as it came in the body (UTF-8 JSON text), or null when unknown: a finished
     *                  job keeps its input as text, and this spares writing the tree out again
     */
    public JobRequest {
        policy = policy == null ? Policy.NONE : policy;
    }

    public JobRequest(ObjectNode input, String webhook, Policy policy, S3Config s3Config, boolean sync) {
        this(input, webhook, policy, s3Config, sync, null);
    }
}
