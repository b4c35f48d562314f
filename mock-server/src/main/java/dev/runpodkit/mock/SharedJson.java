package dev.runpodkit.mock;

import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.json.JsonMapper;

/**
 * The mock's one JSON mapper, shared by the HTTP layer (parsing requests, writing answers) and the engine (keeping
 * finished jobs as text): one set of settings, so a tree written out by one and read back by the other is the same
 * tree.
 */
public final class SharedJson {

    /**
     * Buffers recycled per thread: Jackson's default pool is a concurrent deque shared by all threads, taken and
     * given back on every parse and write, four times per /run.
     */
    public static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.threadLocalPool()).build()).build();

    private SharedJson() {
    }
}
