package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import io.javalin.http.Context;

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
        // the key is compared where it stands in the header: no trimmed copies of a credential per request
        int start = skipSpaces(header, 0, header.length());
        int end = header.length();
        while (end > start && header.charAt(end - 1) <= ' ') {
            end--;
        }
        boolean bearer = end - start > 7 && header.regionMatches(true, start, "Bearer ", 0, 7);
        if (bearer && settings.has(Defect.REJECT_BEARER)) {
            throw ApiError.unauthorized();
        }
        if (!bearer && settings.has(Defect.REJECT_RAW_KEY)) {
            throw ApiError.unauthorized();
        }
        int keyStart = bearer ? skipSpaces(header, start + 7, end) : start;
        for (String known : settings.apiKeys) {
            if (sameKey(known, header, keyStart, end)) {
                return;
            }
        }
        throw ApiError.unauthorized();
    }

    /** Where the text from {@code from} stops being spaces (as String.trim counts them), at most {@code end}. */
    private static int skipSpaces(String s, int from, int end) {
        int i = from;
        while (i < end && s.charAt(i) <= ' ') {
            i++;
        }
        return i;
    }

    /**
     * Whether {@code given[from, to)} is {@code known}, in time that depends only on their lengths: a mock, but
     * people copy code from mocks.
     */
    static boolean sameKey(String known, String given, int from, int to) {
        int length = to - from;
        int diff = known.length() ^ length;
        for (int i = 0; i < known.length(); i++) {
            char g = i < length ? given.charAt(from + i) : 0;
            diff |= known.charAt(i) ^ g;
        }
        return diff == 0;
    }
}
