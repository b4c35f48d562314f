package dev.runpodkit.mock.engine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An immutable snapshot of a job, taken under the engine's lock. Rendering it is the HTTP layer's job. */
public record JobView(
        String id,
        String endpointId,
        JobStatus status,
        ObjectNode input,
        String webhook,
        Policy policy,
        S3Config s3Config,
        boolean sync,
        long submittedAt,
        Long startedAt,
        Long finishedAt,
        Long delayTime,
        Long executionTime,
        JsonNode output,
        String error,
        String workerId,
        int retries) {
}
