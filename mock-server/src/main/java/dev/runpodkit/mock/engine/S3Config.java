package dev.runpodkit.mock.engine;

import dev.runpodkit.mock.Redaction;

/**
 * S3-compatible storage credentials a job carries to its worker. They are never returned to a client;
 * {@link #toString()} redacts the secret and the endpoint URL's credentials so a stray log line cannot leak them.
 */
public record S3Config(String accessId, String accessSecret, String bucketName, String endpointUrl, String objectPath) {

    @Override
    public String toString() {
        return "S3Config[accessId=" + redact(accessId) + ", accessSecret=***, bucketName=" + bucketName
                + ", endpointUrl=" + Redaction.url(endpointUrl) + ", objectPath=" + objectPath + "]";
    }

    static String redact(String value) {
        if (value == null || value.length() <= 4) {
            return "***";
        }
        return value.substring(0, 2) + "***";
    }
}
