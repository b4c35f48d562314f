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

    /** Longest piece of the request (an id, a path) an error message repeats whole. */
    static final int SHOWN_MAX = 120;

    /**
     * A value from the request as an error message repeats it: whole up to {@link #SHOWN_MAX} characters, else its
     * start and its length. A 5,000-character id in a 404 helps nobody read the answer.
     */
    static String shown(String value) {
        if (value == null || value.length() <= SHOWN_MAX) {
            return value;
        }
        return value.substring(0, SHOWN_MAX) + "… (" + value.length() + " characters)";
    }
}
