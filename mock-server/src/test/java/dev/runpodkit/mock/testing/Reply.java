package dev.runpodkit.mock.testing;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP answer, as the tests look at it. */
public record Reply(String method, String path, int status, HttpHeaders headers, String body) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The body as JSON; fails the test if it is not JSON. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new AssertionError(this + " does not have a JSON body", e);
        }
    }

    /** The body as JSON, or null if it is not JSON. */
    public JsonNode jsonOrNull() {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public String text(String field) {
        JsonNode v = json().get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    public boolean has(String field) {
        return json().has(field);
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return method + " " + path + " -> " + status + " " + body;
    }
}
