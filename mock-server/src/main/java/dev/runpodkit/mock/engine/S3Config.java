package dev.runpodkit.mock.engine;

import dev.runpodkit.mock.Redaction;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * S3-compatible storage credentials a job carries to its worker. They are never returned to a client;
 * {@link #toString()} redacts the secret and the endpoint URL's credentials so a stray log line cannot leak them.
 * {@code others} holds the keys besides the five known ones (e.g. {@code region}, {@code sessionToken}), as sent:
 * they go to the worker unchanged (S3-005, DEC-042); anywhere else their values are masked, as nothing says which
 * of them are secret.
 */
public record S3Config(String accessId, String accessSecret, String bucketName, String endpointUrl, String objectPath,
                       Map<String, JsonNode> others) {

    public S3Config {
        others = others == null || others.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(others));
    }

    public S3Config(String accessId, String accessSecret, String bucketName, String endpointUrl, String objectPath) {
        this(accessId, accessSecret, bucketName, endpointUrl, objectPath, Map.of());
    }

    @Override
    public String toString() {
        return "S3Config[accessId=" + redact(accessId) + ", accessSecret=***, bucketName=" + bucketName
                + ", endpointUrl=" + Redaction.url(endpointUrl) + ", objectPath=" + objectPath
                + (others.isEmpty() ? "" : ", others=" + others.keySet() + " (values not shown)") + "]";
    }

    static String redact(String value) {
        if (value == null || value.length() <= 4) {
            return "***";
        }
        return value.substring(0, 2) + "***";
    }
}
