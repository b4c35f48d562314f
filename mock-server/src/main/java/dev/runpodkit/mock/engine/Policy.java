package dev.runpodkit.mock.engine;

/**
 * A job's execution policy as sent in the request ({@code policy}); {@code null} fields take the
 * endpoint's defaults. Values are already validated by the HTTP layer.
 */
public record Policy(Long executionTimeoutMs, Long ttlMs, boolean lowPriority) {
    public static final Policy NONE = new Policy(null, null, false);
}
