package dev.runpodkit.conformance.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.conformance.support.CaughtBy;
import dev.runpodkit.conformance.support.ConformanceCheck;
import dev.runpodkit.conformance.support.Jobs;
import dev.runpodkit.conformance.support.NeedsAdmin;
import dev.runpodkit.conformance.support.Requirement;
import dev.runpodkit.conformance.support.Spend;
import dev.runpodkit.conformance.target.MockAdmin;
import dev.runpodkit.conformance.target.Target;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The error table (400/401/404/405/429/500; docs:send-requests) and the one error shape. None of these
 * requests starts a job.
 */
@ConformanceCheck
@Spend(Spend.Tier.NONE)
@DisplayName("Errors")
class ErrorChecks {

    private static String unknownJob() {
        return UUID.randomUUID() + "-u1";
    }

    @Test
    @Requirement("ERR-001")
    @CaughtBy("unknown-endpoint-200")
    @DisplayName("an unknown endpoint id answers 404")
    void unknownEndpointIs404(Target target) {
        String endpoint = "no-such-endpoint-" + UUID.randomUUID().toString().substring(0, 8);
        target.given().get(target.urlFor(endpoint, "health")).then().statusCode(404);
        target.given().get(target.urlFor(endpoint, "status/" + unknownJob())).then().statusCode(404);
    }

    @Test
    @Requirement("ERR-002")
    @CaughtBy("unknown-job-200")
    @DisplayName("an unknown job id answers 404 on /status")
    void unknownJobIs404(Target target) {
        target.given().get(target.url("status/" + unknownJob())).then().statusCode(404);
        target.given().post(target.url("status/" + unknownJob())).then().statusCode(404);
    }

    @Test
    @Requirement("ERR-003")
    @CaughtBy("error-body-text")
    @DisplayName("an unknown route answers 404 with a JSON error")
    void unknownRouteIs404(Target target) {
        for (String url : List.of(target.url("no-such-operation"), target.url("status"), target.rootUrl() + "/v2",
                target.rootUrl() + "/definitely/not/here")) {
            Response r = target.given().get(url);
            assertEquals(404, r.statusCode(), "GET " + url + " answered " + r.statusCode());
            assertJsonError(r);
        }
    }

    @Test
    @Requirement("ERR-004")
    @CaughtBy({"no-405", "no-allow-header"})
    @DisplayName("a wrong method answers 405 with an Allow header")
    void wrongMethodIs405WithAllow(Target target) {
        record Case(String method, String op, String mustAllow) { }
        for (Case c : List.of(new Case("GET", "run", "POST"), new Case("PUT", "runsync", "POST"),
                new Case("DELETE", "status/" + unknownJob(), "GET"), new Case("GET", "purge-queue", "POST"),
                new Case("POST", "health", "GET"))) {
            Response r = target.given().request(c.method(), target.url(c.op()));
            assertEquals(405, r.statusCode(), c.method() + " /" + c.op() + " answered " + r.statusCode() + ": " + r.asString());
            String allow = r.header("Allow");
            assertNotNull(allow, c.method() + " /" + c.op() + ": 405 without an Allow header");
            assertTrue(allow.toUpperCase(Locale.ROOT).contains(c.mustAllow()),
                    c.method() + " /" + c.op() + ": Allow '" + allow + "' should list " + c.mustAllow());
            assertJsonError(r);
        }
    }

    /** A battery of client mistakes, each a different way to get it wrong. */
    private static List<Response> clientMistakes(Target target) {
        List<Function<Target, Response>> cases = new ArrayList<>();
        cases.add(t -> t.given().body("{\"input\": ").post(t.url("run")));
        cases.add(t -> t.given().body("").post(t.url("runsync")));
        cases.add(t -> t.given().body("{\"input\": {}, \"policy\": {\"executionTimeout\": \"soon\"}}").post(t.url("run")));
        cases.add(t -> t.given().body("{\"input\": {}, \"webhook\": [\"x\"]}").post(t.url("run")));
        cases.add(t -> t.given().body("\u0000\u0001\u0002").post(t.url("run")));
        cases.add(t -> t.given().body("{\"input\": {}}").post(t.url("runsync?wait=soon")));
        cases.add(t -> t.given().get(t.url("status/" + unknownJob())));
        cases.add(t -> t.given().get(t.url("status/%20")));
        cases.add(t -> t.given().get(t.url("no-such-operation")));
        cases.add(t -> t.given().delete(t.url("run")));
        cases.add(t -> t.givenWithoutAuth().header("Authorization", "Bearer").get(t.url("health")));
        cases.add(t -> t.givenWithoutAuth().header("Authorization", "Basic Zm9vOmJhcg==").get(t.url("health")));
        cases.add(t -> {
            RequestSpecification spec = t.given().contentType("text/plain").body("input=1");
            return spec.post(t.url("run"));
        });
        List<Response> answers = new ArrayList<>();
        for (Function<Target, Response> c : cases) {
            answers.add(c.apply(target));
        }
        return answers;
    }

    @Test
    @Requirement("ERR-005")
    @CaughtBy("error-body-text")
    @DisplayName("every error answer is application/json {\"error\": \"...\"}")
    void everyErrorIsJson(Target target) {
        for (Response r : clientMistakes(target)) {
            assertTrue(r.statusCode() >= 400, "a client mistake answered " + r.statusCode() + ": " + r.asString());
            assertJsonError(r);
        }
    }

    @Test
    @Requirement("ERR-006")
    @CaughtBy("malformed-json-500")
    @DisplayName("no error answer carries a stack trace")
    void noStackTraces(Target target) {
        for (Response r : clientMistakes(target)) {
            String body = r.asString();
            for (String marker : List.of("\tat ", "Exception", "Traceback", ".java:", "at java.", "at io.javalin")) {
                assertFalse(body.contains(marker), "error body carries internal detail ('" + marker.strip() + "'): " + body);
            }
        }
    }

    @Test
    @Requirement("ERR-007")
    @CaughtBy("malformed-json-500")
    @DisplayName("a client mistake never gets a 5xx")
    void clientMistakesAreNever5xx(Target target) {
        for (Response r : clientMistakes(target)) {
            assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, "a client mistake answered " + r.statusCode() + ": " + r.asString());
        }
    }

    @Test
    @NeedsAdmin
    @Requirement("ERR-008")
    @CaughtBy("injected-fault-as-text")
    @DisplayName("a fault of the endpoint itself answers 500 with a JSON error and no stack trace")
    void anEndpointFaultIs500Json(Target target) {
        MockAdmin admin = new MockAdmin(target);
        try {
            admin.armFaults(2);
            for (String url : List.of(target.url("health"), target.url("status/" + unknownJob()))) {
                Response r = target.given().get(url);
                assertEquals(500, r.statusCode(), "with a fault armed, GET " + url + " answered " + r.statusCode() + ": " + r.asString());
                assertJsonError(r);
                for (String marker : List.of("\tat ", "Exception", "Traceback", ".java:")) {
                    assertFalse(r.asString().contains(marker), "a 500 carries internal detail ('" + marker.strip() + "'): " + r.asString());
                }
            }
        } finally {
            admin.armFaults(0);
        }
        target.given().get(target.url("health")).then().statusCode(200);
    }

    @Test
    @Spend(Spend.Tier.CHEAP)
    @Requirement("ERR-010")
    @CaughtBy("wait-not-validated")
    @DisplayName("a ?wait or ?ttl that is not an integer is refused with 400 naming it")
    void nonIntegerQueryParametersAre400(Target target) {
        String id = Jobs.run(target, "{\"input\": {\"mock_return\": \"query parameters\"}}");
        Jobs.awaitTerminal(target, id, 120_000);
        record Case(String method, String op, String body, String param) { }
        for (Case c : List.of(
                new Case("POST", "runsync?wait=soon", "{\"input\": {\"mock_return\": \"never run\"}}", "wait"),
                new Case("POST", "runsync?wait=1.5", "{\"input\": {\"mock_return\": \"never run\"}}", "wait"),
                new Case("GET", "status-sync/" + id + "?wait=abc", null, "wait"),
                new Case("POST", "status-sync/" + id + "?wait=2s", null, "wait"),
                new Case("GET", "stream/" + id + "?wait=later", null, "wait"),
                new Case("GET", "status/" + id + "?ttl=forever", null, "ttl"),
                new Case("GET", "status/" + id + "?ttl=6e3", null, "ttl"))) {
            RequestSpecification spec = target.given();
            if (c.body() != null) {
                spec = spec.body(c.body());
            }
            Response r = spec.request(c.method(), target.url(c.op()));
            assertEquals(400, r.statusCode(), c.method() + " /" + c.op() + " answered " + r.statusCode() + ": " + r.asString());
            assertJsonError(r);
            String error = r.jsonPath().getString("error");
            assertTrue(error.contains(c.param()), c.method() + " /" + c.op() + ": the 400 should name '" + c.param() + "': " + error);
        }
    }

    static void assertJsonError(Response r) {
        String type = r.contentType() == null ? "" : r.contentType().toLowerCase(Locale.ROOT);
        assertTrue(type.startsWith("application/json"), "error answer with Content-Type '" + r.contentType() + "': " + r.asString());
        Object error = r.jsonPath().get("error");
        assertTrue(error instanceof String && !((String) error).isBlank(), "error body without an error string: " + r.asString());
        assertFalse(Set.of().contains(error));
    }
}
