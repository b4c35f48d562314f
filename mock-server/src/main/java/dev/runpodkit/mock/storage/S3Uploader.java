package dev.runpodkit.mock.storage;

import dev.runpodkit.mock.Redaction;
import dev.runpodkit.mock.engine.S3Config;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Uploads a job's output to the S3-compatible store its {@code s3Config} names, as a RunPod worker would
 * (the platform itself never uploads: DEC-032). Path-style addressing against {@code endpointUrl}, so MinIO,
 * s3proxy and friends work. Uploads run on their own threads, never on the clock's. Errors never carry the
 * credentials: they are scrubbed from every message, and the endpoint is named without its user-info or
 * credential-looking query values ({@link Redaction}); an endpoint that carries either is refused.
 */
public final class S3Uploader implements AutoCloseable {

    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "mock-s3-upload");
        t.setDaemon(true);
        return t;
    });

    /** Where an output goes: {@code objectPath} as the key, a prefix if it ends in '/', else the job id. */
    public static String keyFor(S3Config s3, String jobId) {
        String path = s3.objectPath();
        if (path == null || path.isBlank()) {
            return jobId;
        }
        String key = path.startsWith("/") ? path.substring(1) : path;
        return key.endsWith("/") ? key + jobId : key;
    }

    /** Completes with the object's URL, or exceptionally with an {@link UploadFailed} whose message is safe to show. */
    public CompletableFuture<String> upload(S3Config s3, String key, byte[] body, String contentType) {
        return CompletableFuture.supplyAsync(() -> {
            URI endpoint = endpoint(s3);
            try (S3Client client = S3Client.builder()
                    .endpointOverride(endpoint)
                    .forcePathStyle(true)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(s3.accessId(), s3.accessSecret())))
                    .httpClient(UrlConnectionHttpClient.builder()
                            .connectionTimeout(java.time.Duration.ofSeconds(5))
                            .socketTimeout(java.time.Duration.ofSeconds(30))
                            .build())
                    .build()) {
                client.putObject(PutObjectRequest.builder().bucket(s3.bucketName()).key(key).contentType(contentType).build(),
                        RequestBody.fromBytes(body));
                String base = s3.endpointUrl().replaceAll("/+$", "");
                return base + "/" + s3.bucketName() + "/" + key;
            } catch (RuntimeException e) {
                throw new UploadFailed("upload to bucket '" + s3.bucketName() + "' at " + shown(s3) + " failed: "
                        + scrub(firstLine(e), s3));
            }
        }, executor);
    }

    /**
     * The endpoint to upload to: an absolute URL without user-info or query. Credentials in the URL are refused,
     * not sent: S3 signs with accessId and accessSecret, a store would ignore (or a proxy log) basic auth, and the
     * object URL the job returns is built on the endpoint.
     */
    private static URI endpoint(S3Config s3) {
        URI endpoint;
        try {
            endpoint = new URI(s3.endpointUrl());
        } catch (URISyntaxException | NullPointerException e) {
            throw new UploadFailed("s3Config.endpointUrl '" + shown(s3) + "' is not an absolute URL");
        }
        if ((endpoint.getRawAuthority() != null && endpoint.getRawAuthority().contains("@")) || endpoint.getRawQuery() != null) {
            throw new UploadFailed("s3Config.endpointUrl '" + shown(s3) + "' carries user-info or a query string;"
                    + " the upload is refused (credentials belong in accessId and accessSecret)");
        }
        if (endpoint.getScheme() == null || endpoint.getHost() == null) {
            throw new UploadFailed("s3Config.endpointUrl '" + shown(s3) + "' is not an absolute URL");
        }
        return endpoint;
    }

    /** The endpoint as errors name it: never its credentials. */
    private static String shown(S3Config s3) {
        return Redaction.url(s3.endpointUrl());
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        String message = t.getMessage();
        while ((message == null || message.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            message = t.getMessage();
        }
        String text = message == null ? t.getClass().getSimpleName() : message;
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /**
     * Removes the access id and secret from a message, wherever the SDK or the store quoted them, and the
     * credentials of the endpoint URL.
     */
    public static String scrub(String message, S3Config s3) {
        String out = message;
        if (s3.endpointUrl() != null && !s3.endpointUrl().isEmpty()) {
            out = out.replace(s3.endpointUrl(), shown(s3));
        }
        for (String secret : new String[] {s3.accessSecret(), s3.accessId()}) {
            if (secret != null && !secret.isEmpty()) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }

    /** A failed upload, with a message fit for the job's error string. */
    public static final class UploadFailed extends RuntimeException {
        public UploadFailed(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
