package dev.runpodkit.mock.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: s3proxy with its in-memory ("transient") store, run as a child
 * process on a free loopback port (lighter than embedding its ~220 jars). The build copies the jar to
 * target/s3proxy/s3proxy.jar. The process is wrapped in coreutils {@code timeout}, so it stops by itself
 * even if the test JVM dies without closing it.
 */
public final class S3ProxyProcess implements AutoCloseable {

    private final Process process;
    private final String endpoint;
    private final String identity;
    private final String credential;
    private final Path properties;

    private S3ProxyProcess(Process process, String endpoint, String identity, String credential, Path properties) {
        this.process = process;
        this.endpoint = endpoint;
        this.identity = identity;
        this.credential = credential;
        this.properties = properties;
    }

    /** Null when the jar is not there (e.g. the build skipped copying it): callers skip with that reason. */
    public static Path locateJar() {
        String configured = System.getProperty("s3proxy.jar");
        if (configured != null && Files.exists(Paths.get(configured))) {
            return Paths.get(configured);
        }
        Path local = Paths.get("target", "s3proxy", "s3proxy.jar");
        return Files.exists(local) ? local.toAbsolutePath() : null;
    }

    public static S3ProxyProcess start(String identity, String credential) throws IOException, InterruptedException {
        Path jar = locateJar();
        if (jar == null) {
            throw new IllegalStateException("s3proxy jar not found (target/s3proxy/s3proxy.jar; set -Ds3proxy.jar=...)");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + port;
        Path props = Files.createTempFile("s3proxy", ".properties");
        Files.writeString(props, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + identity,
                "s3proxy.credential=" + credential,
                "s3proxy.ignore-unknown-headers=true",
                "jclouds.provider=transient",
                "jclouds.identity=unused",
                "jclouds.credential=unused",
                ""));
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Paths.get("/usr/bin/timeout"))) {
            command.addAll(List.of("/usr/bin/timeout", "900"));
        }
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        command.addAll(List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", props.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        S3ProxyProcess proxy = new S3ProxyProcess(p, endpoint, identity, credential, props);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                proxy.close();
                throw new IllegalStateException("s3proxy exited at start-up with code " + p.exitValue());
            }
            if (answers(endpoint)) {
                return proxy;
            }
            Thread.sleep(100);
        }
        proxy.close();
        throw new IllegalStateException("s3proxy did not start within 90 s");
    }

    private static boolean answers(String endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(endpoint + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            int code = c.getResponseCode();
            c.disconnect();
            return code > 0;
        } catch (IOException e) {
            return false;
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public String identity() {
        return identity;
    }

    public String credential() {
        return credential;
    }

    /** A client with the server's own credentials, path-style, for setting up buckets and reading objects back. */
    public S3Client client() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, credential)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public void createBucket(String name) {
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(name));
        }
    }

    public String read(String bucket, String key) {
        try (S3Client c = client()) {
            return c.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(properties);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
