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
        json(ctx, status, bytes(body));
    }

    /** A body already written as JSON bytes. */
    static void json(Context ctx, int status, byte[] body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    /** The body as compact JSON, the bytes the mapper writes. */
    static byte[] bytes(JsonNode body) {
        byte[] plain = plainStrings(body);
        return plain != null ? plain : Json.MAPPER.writeValueAsBytes(body);
    }

    /**
     * An object of a few string fields, none of which needs escaping (the /cancel and /retry answers, most error
     * bodies), written straight into its bytes, or null for anything else. The mapper's serialization context and
     * generator for {@code {"id":"…","status":"IN_QUEUE"}} were a tenth of the mock's own work per /run.
     */
    static byte[] plainStrings(JsonNode body) {
        if (!(body instanceof ObjectNode object) || object.size() > PLAIN_FIELDS_MAX) {
            return null;
        }
        int length = 1; // the braces, less the comma the last field does not have
        for (java.util.Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (!value.isString() || !plain(field.getKey()) || !plain(value.stringValue())) {
                return null;
            }
            length += field.getKey().length() + value.stringValue().length() + 6; // "k":"v" and a comma
        }
        DirectJson out = new DirectJson(length);
        for (java.util.Map.Entry<String, JsonNode> field : object.properties()) {
            out.plainString(field.getKey(), field.getValue().stringValue());
        }
        return out.end();
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
