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
        ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
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
