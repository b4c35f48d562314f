package dev.runpodkit.mock.engine;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A finished job's input and output kept as their JSON text (UTF-8 bytes) instead of a tree of nodes: one object
 * instead of half a dozen or more per value, for as long as the result is retained (30 minutes after /run). The
 * collector copies and marks every object a stored job holds, so this is most of what a stored job costs it.
 */
final class StoredJson {

    /** The mapper the HTTP layer parses requests with: a tree written out and read back is the same tree. */
    private static final JsonMapper MAPPER = dev.runpodkit.mock.SharedJson.MAPPER;

    private StoredJson() {
    }

    static byte[] bytes(JsonNode tree) {
        return MAPPER.writeValueAsBytes(tree);
    }

    /** The tree of a value held either way: a tree as it is, stored text parsed into a new tree. */
    static JsonNode tree(Object source) {
        if (source instanceof byte[] json) {
            return MAPPER.readTree(json);
        }
        return (JsonNode) source;
    }
}
