package dev.runpodkit.mock.http;

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
}
