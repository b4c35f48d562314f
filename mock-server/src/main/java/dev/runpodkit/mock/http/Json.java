package dev.runpodkit.mock.http;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The HTTP layer's JSON: the mock's one mapper ({@link dev.runpodkit.mock.SharedJson}) and a node factory. */
final class Json {
    static final JsonMapper MAPPER = dev.runpodkit.mock.SharedJson.MAPPER;
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /**
     * Counts the non-finite doubles (NaN, Infinity, -Infinity) in {@code node}, noting where the first {@code keep}
     * are, in document order, as a path ({@code input.a[1].b}; keys as {@link ApiError#shown}) to the value. A tree
     * read with big decimals for floats has doubles only where NaN or an infinity was written.
     */
    static int nonFiniteNumbers(JsonNode node, String path, int keep, java.util.Map<String, Double> found) {
        if (node.isNumber()) {
            if (node.isDouble() && !Double.isFinite(node.doubleValue())) {
                if (found.size() < keep) {
                    found.put(path, node.doubleValue());
                }
                return 1;
            }
            return 0;
        }
        int count = 0;
        if (node.isObject()) {
            for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
                String key = ApiError.shown(e.getKey());
                count += nonFiniteNumbers(e.getValue(), path.isEmpty() ? key : path + "." + key, keep, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                count += nonFiniteNumbers(node.get(i), path + "[" + i + "]", keep, found);
            }
        }
        return count;
    }
}
