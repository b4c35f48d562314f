package dev.runpodkit.conformance.target;

import dev.runpodkit.conformance.support.OtherReadings;
import dev.runpodkit.conformance.support.SchemaFilter;
import dev.runpodkit.conformance.support.Spend;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * What the checks talk to: the embedded mock or any endpoint URL. Checks are written once against this and
 * run unchanged on both; time in a check is target time, converted to wall time by {@link #wallMs}.
 */
public final class Target implements AutoCloseable {

    private final String baseUrl;
    private final String endpointId;
    private final String apiKey;
    private final Spend.Tier tier;
    private final boolean opaqueHandler;
    private final double timeScale;
    private final String adminUrl;
    private final String description;
    private final AutoCloseable owned;
    private final Set<String> secrets = new CopyOnWriteArraySet<>();
    private int webhookPort;
    private String webhookPublicUrl;
    private String workerEndpointId;
    private OtherReadings otherReadings = OtherReadings.none();

    public Target(String baseUrl, String endpointId, String apiKey, Spend.Tier tier, boolean opaqueHandler,
                  double timeScale, String adminUrl, String description, AutoCloseable owned) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.endpointId = endpointId;
        this.apiKey = apiKey;
        this.tier = tier;
        this.opaqueHandler = opaqueHandler;
        this.timeScale = timeScale;
        this.adminUrl = adminUrl;
        this.description = description;
        this.owned = owned;
        secrets.add(apiKey);
    }

    /** The base URL as the SDKs take it, ending in /v2. */
    public String baseUrl() {
        return baseUrl;
    }

    public String endpointId() {
        return endpointId;
    }

    /** e.g. url("run") → {base}/{endpointId}/run */
    public String url(String operation) {
        return baseUrl + "/" + endpointId + "/" + operation;
    }

    public String urlFor(String endpoint, String operation) {
        return baseUrl + "/" + endpoint + "/" + operation;
    }

    /** The server root: the base URL without its /v2. */
    public String rootUrl() {
        return baseUrl.endsWith("/v2") ? baseUrl.substring(0, baseUrl.length() - 3) : baseUrl;
    }

    /** Where the suite's webhook receiver listens (0: any free loopback port) and the URL the target should call. */
    public Target withWebhookReceiver(int port, String publicUrl) {
        this.webhookPort = port;
        this.webhookPublicUrl = publicUrl;
        return this;
    }

    public int webhookPort() {
        return webhookPort;
    }

    /** Null when the target can reach the receiver on loopback (the embedded mock). */
    public String webhookPublicUrl() {
        return webhookPublicUrl;
    }

    /** A remote target can only reach a receiver behind a public URL (runpod.webhookPublicUrl). */
    public boolean canReachWebhookReceiver() {
        return webhookPublicUrl != null || hasAdmin();
    }

    /** An endpoint in mode external, where the worker-protocol checks connect their own workers. */
    public Target withWorkerEndpoint(String endpointId) {
        this.workerEndpointId = endpointId;
        return this;
    }

    /** The decisions this target declares it reads otherwise (runpod.readings). */
    public Target withOtherReadings(OtherReadings readings) {
        this.otherReadings = readings;
        return this;
    }

    public OtherReadings otherReadings() {
        return otherReadings;
    }

    /** Null when the target has none (a real endpoint's worker side is the platform's, not reachable). */
    public String workerEndpointId() {
        return workerEndpointId;
    }

    /** The API key, for checks that build their own Authorization header. Never log it. */
    public String apiKey() {
        return apiKey;
    }

    public Spend.Tier tier() {
        return tier;
    }

    public boolean opaqueHandler() {
        return opaqueHandler;
    }

    public double timeScale() {
        return timeScale;
    }

    public boolean hasAdmin() {
        return adminUrl != null;
    }

    public String adminUrl(String path) {
        return adminUrl + path;
    }

    public String description() {
        return description;
    }

    /** Wall-clock milliseconds for {@code targetMs} of the target's time. */
    public long wallMs(long targetMs) {
        return (long) Math.ceil(targetMs / timeScale);
    }

    /** A request with the API key (Bearer form, as every SDK sends it) and the schema-checking filter. */
    public RequestSpecification given() {
        return givenWithoutAuth().header("Authorization", "Bearer " + apiKey);
    }

    /** The raw-key form, as the docs' cURL examples and the worker SDK send it. */
    public RequestSpecification givenRawKey() {
        return givenWithoutAuth().header("Authorization", apiKey);
    }

    public RequestSpecification givenWithoutAuth() {
        // long holds (runsync up to 300 s of target time) must not be cut by the client
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, wallMs(330_000) + 30_000);
        RestAssuredConfig config = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.connection.timeout", 10_000)
                .setParam("http.socket.timeout", timeoutMs));
        return RestAssured.given()
                .config(config)
                .filter(new SchemaFilter(this))
                .contentType(ContentType.JSON)
                .accept(ContentType.JSON);
    }

    /** Registers a value that must never appear in a report (an s3Config secret a check sends, say). */
    public void addSecret(String secret) {
        if (secret != null && !secret.isEmpty()) {
            secrets.add(secret);
        }
    }

    public List<String> secrets() {
        return List.copyOf(secrets);
    }

    /** True when this run started the server (the embedded mock): its keys and secrets are throwaway values. */
    public boolean ownsServer() {
        return owned != null;
    }

    @Override
    public void close() throws Exception {
        if (owned != null) {
            owned.close();
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
