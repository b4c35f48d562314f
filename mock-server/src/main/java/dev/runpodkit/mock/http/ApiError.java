package dev.runpodkit.mock.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A client-facing error: an HTTP status and a message for the {@code {"error": "..."}} body. Thrown by the
 * HTTP layer and rendered in one place, so every error has the same JSON shape and none carries a stack trace.
 */
final class ApiError extends RuntimeException {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();

    ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    ApiError header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError unauthorized() {
        return new ApiError(401, "Unauthorized: missing or invalid API key. Send 'Authorization: Bearer <key>' or 'Authorization: <key>'.");
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }
}
