package dev.runpodkit.mock.engine;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** The chunks a /stream call drained, with the job as it was at that moment. */
public record StreamBatch(JobView job, List<JsonNode> chunks) {
}
