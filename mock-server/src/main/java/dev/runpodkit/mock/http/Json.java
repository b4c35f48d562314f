package dev.runpodkit.mock.http;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the HTTP layer. */
final class Json {
    /**
     * Buffers recycled per thread: Jackson's default pool is a concurrent deque shared by all threads, taken and
     * given back on every parse and write, four times per /run (the engine's StoredJson uses the same pool).
     */
    static final JsonMapper MAPPER = JsonMapper.builder(tools.jackson.core.json.JsonFactory.builder()
            .recyclerPool(tools.jackson.core.util.JsonRecyclerPools.threadLocalPool()).build()).build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }
}
