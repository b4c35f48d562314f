package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import io.javalin.http.Context;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Writing JSON bodies, including the one error shape {@code {"error": "..."}} every 4xx/5xx carries. */
final class Responses {

    private Responses() {
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType("application/json").result(bytes(body));
    }

    /** The body as compact JSON, the bytes the mapper writes. */
    static byte[] bytes(JsonNode body) {
        byte[] plain = plainStrings(body);
        return plain != null ? plain : Json.MAPPER.writeValueAsBytes(body);
    }

    /**
     * An object of a few string fields, none of which needs escaping (the /run answer: id and status), written
     * straight into its bytes, or null for anything else. The mapper's serialization context and generator for
     * {@code {"id":"…","status":"IN_QUEUE"}} were a tenth of the mock's own work per /run.
     */
    static byte[] plainStrings(JsonNode body) {
        if (!(body instanceof ObjectNode object) || object.size() > PLAIN_FIELDS_MAX) {
            return null;
        }
        int length = 2; // the braces
        for (java.util.Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (!value.isString() || !plain(field.getKey()) || !plain(value.stringValue())) {
                return null;
            }
            length += field.getKey().length() + value.stringValue().length() + 6; // "k":"v" and a comma
        }
        byte[] out = new byte[Math.max(2, length - 1)]; // no comma after the last field
        int at = 0;
        out[at++] = '{';
        for (java.util.Map.Entry<String, JsonNode> field : object.properties()) {
            if (at > 1) {
                out[at++] = ',';
            }
            at = quoted(field.getKey(), out, at);
            out[at++] = ':';
            at = quoted(field.getValue().stringValue(), out, at);
        }
        out[at] = '}';
        return out;
    }

    private static final int PLAIN_FIELDS_MAX = 4;

    /** Printable ASCII without a quote or a backslash: written as it is, one byte a character. */
    static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static int quoted(String s, byte[] out, int at) {
        out[at++] = '"';
        for (int i = 0; i < s.length(); i++) {
            out[at++] = (byte) s.charAt(i); // plain ASCII: each char is its byte
        }
        out[at++] = '"';
        return at;
    }

    static void error(Context ctx, Settings settings, ApiError error) {
        error.headers.forEach(ctx::header);
        if (settings != null && settings.has(Defect.ERROR_BODY_TEXT)) {
            ctx.status(error.status).contentType("text/plain").result(error.getMessage());
            return;
        }
        ObjectNode body = Json.object();
        body.put("error", error.getMessage());
        json(ctx, error.status, body);
    }
}
