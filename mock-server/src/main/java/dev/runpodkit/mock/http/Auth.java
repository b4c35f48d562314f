package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * API-key auth as RunPod takes it: {@code Authorization: Bearer <key>} (every client SDK) or the raw
 * {@code Authorization: <key>} (the docs' cURL examples and the worker SDK). Both are accepted (runpod-api.md §1).
 */
final class Auth {

    private Auth() {
    }

    static void require(Context ctx, Settings settings) {
        if (settings.has(Defect.NO_AUTH)) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized();
        }
        String value = header.trim();
        boolean bearer = value.regionMatches(true, 0, "Bearer ", 0, 7);
        if (bearer && settings.has(Defect.REJECT_BEARER)) {
            throw ApiError.unauthorized();
        }
        if (!bearer && settings.has(Defect.REJECT_RAW_KEY)) {
            throw ApiError.unauthorized();
        }
        String key = bearer ? value.substring(7).trim() : value;
        for (String known : settings.apiKeys) {
            // constant-time comparison: a mock, but people copy code from mocks
            if (MessageDigest.isEqual(known.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
                return;
            }
        }
        throw ApiError.unauthorized();
    }
}
