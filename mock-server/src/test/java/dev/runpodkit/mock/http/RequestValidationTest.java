package dev.runpodkit.mock.http;

import static dev.runpodkit.mock.testing.MockHarness.assertError;
import static dev.runpodkit.mock.testing.MockHarness.ep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.testing.MockHarness;
import dev.runpodkit.mock.testing.Reply;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** /run and /runsync bodies: a bad one is a 400 whose JSON error names what is wrong, and nothing is queued. */
class RequestValidationTest {

    private static MockHarness m;

    @BeforeAll
    static void start() {
        m = MockHarness.frozen();
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    static Stream<Arguments> badBodies() {
        String s3 = "\"accessId\": \"id\", \"bucketName\": \"b\", \"endpointUrl\": \"http://s3.local\"";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"input\": {", "not valid JSON"),
                Arguments.of("malformed JSON (bad token)", "{\"input\": nope}", "not valid JSON"),
                Arguments.of("empty body", "", "empty"),
                Arguments.of("blank body", "  \n ", "empty"),
                Arguments.of("an array", "[{\"input\": {}}]", "JSON object"),
                Arguments.of("a string", "\"input\"", "JSON object"),
                Arguments.of("null", "null", "JSON object"),
                Arguments.of("missing input", "{\"webhook\": \"https://example.com\"}", "'input'"),
                Arguments.of("input null", "{\"input\": null}", "'input'"),
                Arguments.of("input a string", "{\"input\": \"hello\"}", "'input'"),
                Arguments.of("input an array", "{\"input\": [1]}", "'input'"),
                Arguments.of("webhook a number", "{\"input\": {}, \"webhook\": 42}", "'webhook'"),
                Arguments.of("webhook ftp", "{\"input\": {}, \"webhook\": \"ftp://x\"}", "'webhook'"),
                Arguments.of("webhook relative", "{\"input\": {}, \"webhook\": \"/hook\"}", "'webhook'"),
                Arguments.of("webhook without host", "{\"input\": {}, \"webhook\": \"http://\"}", "'webhook'"),
                Arguments.of("webhook port above 65535", "{\"input\": {}, \"webhook\": \"http://127.0.0.1:99999/\"}", "'webhook'"),
                Arguments.of("webhook port 0", "{\"input\": {}, \"webhook\": \"http://127.0.0.1:0/\"}", "'webhook'"),
                Arguments.of("policy a string", "{\"input\": {}, \"policy\": \"fast\"}", "'policy'"),
                Arguments.of("executionTimeout 4999", "{\"input\": {}, \"policy\": {\"executionTimeout\": 4999}}", "'policy.executionTimeout'"),
                Arguments.of("executionTimeout a string", "{\"input\": {}, \"policy\": {\"executionTimeout\": \"10\"}}", "'policy.executionTimeout'"),
                Arguments.of("executionTimeout above 7 days", "{\"input\": {}, \"policy\": {\"executionTimeout\": 604800001}}", "'policy.executionTimeout'"),
                Arguments.of("executionTimeout a fraction", "{\"input\": {}, \"policy\": {\"executionTimeout\": 6000.5}}", "'policy.executionTimeout'"),
                Arguments.of("executionTimeout huge", "{\"input\": {}, \"policy\": {\"executionTimeout\": 1e400}}", "'policy.executionTimeout'"),
                Arguments.of("executionTimeout beyond long", "{\"input\": {}, \"policy\": {\"executionTimeout\": 99999999999999999999999}}", "'policy.executionTimeout'"),
                Arguments.of("ttl 9999", "{\"input\": {}, \"policy\": {\"ttl\": 9999}}", "'policy.ttl'"),
                Arguments.of("ttl negative", "{\"input\": {}, \"policy\": {\"ttl\": -1}}", "'policy.ttl'"),
                Arguments.of("lowPriority yes", "{\"input\": {}, \"policy\": {\"lowPriority\": \"yes\"}}", "'policy.lowPriority'"),
                Arguments.of("s3Config a string", "{\"input\": {}, \"s3Config\": \"s3://b\"}", "'s3Config'"),
                Arguments.of("s3Config missing accessSecret", "{\"input\": {}, \"s3Config\": {" + s3 + "}}", "'s3Config.accessSecret'"),
                Arguments.of("s3Config empty accessSecret", "{\"input\": {}, \"s3Config\": {" + s3 + ", \"accessSecret\": \"\"}}", "'s3Config.accessSecret'"),
                Arguments.of("s3Config numeric bucketName", "{\"input\": {}, \"s3Config\": {\"accessId\": \"i\", \"accessSecret\": \"s\", \"bucketName\": 7, \"endpointUrl\": \"u\"}}", "'s3Config.bucketName'"),
                Arguments.of("s3Config numeric objectPath", "{\"input\": {}, \"s3Config\": {" + s3 + ", \"accessSecret\": \"s\", \"objectPath\": 1}}", "'s3Config.objectPath' must be a string."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadRunBodyIsRejectedWith400NamingTheProblem(String what, String body, String named) {
        int jobsBefore = jobCount();
        String message = assertError(400, m.post(ep("/run"), body));
        assertTrue(message.contains(named), () -> what + ": '" + message + "' should contain " + named);
        assertEquals(jobsBefore, jobCount(), "a rejected body queues nothing");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadRunsyncBodyIsRejectedWith400NamingTheProblem(String what, String body, String named) {
        String message = assertError(400, m.post(ep("/runsync"), body));
        assertTrue(message.contains(named), () -> what + ": '" + message + "' should contain " + named);
    }

    @Test
    void anEmptyObjectPathIsAcceptedSoItsRefusalDoesNotAskForANonEmptyOne() {
        // objectPath: 5 was refused as 'must be a non-empty string', yet "" was accepted (as the schema allows)
        String s3 = "\"accessId\": \"i\", \"accessSecret\": \"s\", \"bucketName\": \"b\", \"endpointUrl\": \"u\"";
        assertEquals(200, m.post(ep("/run"), "{\"input\": {}, \"s3Config\": {" + s3 + ", \"objectPath\": \"\"}}").status());
        for (String bad : List.of("5", "true", "[\"a\"]", "{}")) {
            String message = assertError(400, m.post(ep("/run"), "{\"input\": {}, \"s3Config\": {" + s3 + ", \"objectPath\": " + bad + "}}"));
            assertEquals("Field 's3Config.objectPath' must be a string.", message);
        }
        // the credentials must not be empty, and their message says so
        assertEquals("Field 's3Config.bucketName' must be a non-empty string.", assertError(400, m.post(ep("/run"),
                "{\"input\": {}, \"s3Config\": {" + s3.replace("\"b\"", "\"\"") + "}}")));
    }

    @ParameterizedTest
    @ValueSource(ints = {5000, 604800000})
    void theExecutionTimeoutLimitsAreInclusive(int ms) {
        Reply r = m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": " + ms + "}}");
        assertEquals(200, r.status(), r::toString);
    }

    @Test
    void aMalformedBodyIsNeverEchoedBackSoAnUnquotedSecretStaysOut() {
        Reply r = m.post(ep("/run"), "{\"input\": {}, \"s3Config\": {\"accessSecret\": zzTopSecretValue}}");
        assertEquals(400, r.status(), r.body());
        assertTrue(r.body().contains("not valid JSON"), r.body());
        assertFalse(r.body().contains("zzTopSecretValue"), "the 400 echoes the request text: " + r.body());
    }

    @Test
    void theExclusiveMinimumSettingRejectsExactlyFiveSeconds() {
        try (MockHarness strict = MockHarness.frozen(s -> s.executionTimeoutMinInclusive = false)) {
            String message = assertError(400, strict.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 5000}}"));
            assertTrue(message.contains("policy.executionTimeout"), message);
            assertEquals(200, strict.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 5001}}").status());
        }
    }

    @Test
    void withPolicyMaxEnforcedOffOnlyTheMinimumsApply() {
        try (MockHarness unbounded = MockHarness.frozen(s -> s.policyMaxEnforced = false)) {
            // the largest numbers a client can send are accepted, and neither ends the job early
            Reply r = unbounded.post(ep("/run"), "{\"input\": {\"mock_delay\": 10}, \"policy\": {\"executionTimeout\": "
                    + Long.MAX_VALUE + ", \"ttl\": " + Long.MAX_VALUE + "}}");
            assertEquals(200, r.status(), r::toString);
            String id = r.text("id");
            assertEquals("IN_PROGRESS", unbounded.status(id).text("status"), "neither the ttl nor the timeout ended it at once");
            unbounded.advance(10_000);
            assertEquals("COMPLETED", unbounded.status(id).text("status"));
            assertEquals(200, unbounded.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 691200000}}").status(),
                    "8 days");
            String tooShort = assertError(400, unbounded.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": 4999}}"));
            assertTrue(tooShort.contains("policy.executionTimeout") && tooShort.contains("at least"), tooShort);
        }
        assertError(400, m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 691200000}}"));
    }

    static Stream<Arguments> nonIntegerPolicyTimes() {
        String huge = "9".repeat(400);
        return Stream.of(
                Arguments.of("executionTimeout", "6000.5", "must be an integer number of milliseconds, not a fraction."),
                Arguments.of("ttl", "10000.25", "must be an integer number of milliseconds, not a fraction."),
                Arguments.of("executionTimeout", "1e4", "written in digits only, without a decimal point or exponent"),
                Arguments.of("executionTimeout", "6000.0", "written in digits only, without a decimal point or exponent"),
                Arguments.of("ttl", "1e400", "written in digits only, without a decimal point or exponent"),
                Arguments.of("executionTimeout", "99999999999999999999", "must be between 5000 and 604800000 ms (7 days); got a number of 20 digits."),
                Arguments.of("ttl", "-" + huge, "must be between 10000 and 604800000 ms (7 days); got a negative number of 400 digits."),
                Arguments.of("executionTimeout", "\"10\"", "must be an integer number of milliseconds, not a string."));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("nonIntegerPolicyTimes")
    void aPolicyTimeThatIsNotAnIntegerInRangeIsRefusedSayingWhatIsWrong(String key, String value, String why) {
        String message = assertError(400, m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"" + key + "\": " + value + "}}"));
        assertTrue(message.startsWith("Field 'policy." + key + "' ") && message.contains(why), () -> message + " should contain: " + why);
        assertTrue(message.length() < 200, "the number is not echoed: " + message);
    }

    @Test
    void withPolicyMaxEnforcedOffABeyond64BitTimeIsRefusedNamingTheMocksLimit() {
        try (MockHarness unbounded = MockHarness.frozen(s -> s.policyMaxEnforced = false)) {
            String message = assertError(400, unbounded.post(ep("/run"), "{\"input\": {}, \"policy\": {\"ttl\": 99999999999999999999}}"));
            assertEquals("Field 'policy.ttl' must be at most 9223372036854775807 ms; got a number of 20 digits.", message);
        }
    }

    @Test
    void theLenientInputSettingAcceptsABodyWithoutInput() {
        try (MockHarness lenient = MockHarness.frozen(s -> s.strictInput = false)) {
            Reply r = lenient.post(ep("/run"), "{\"webhook\": \"https://example.com\"}");
            assertEquals(200, r.status(), r::toString);
            assertError(400, lenient.post(ep("/run"), "{\"input\": \"still not an object\"}"));
        }
    }

    static Stream<Arguments> malformedBodies() {
        return Stream.of(
                Arguments.of("{\"input\":{}} xyzSecret", "unexpected text after the JSON value at line 1, column 14"),
                Arguments.of("{\"input\":{}}\n 5", "unexpected text after the JSON value at line 2, column 2"),
                Arguments.of("{\"input\": {}, \"k\": xyzSecret}", "a word that is not a JSON value (a string needs double quotes;"),
                Arguments.of("{\"input\": {\"k\": 'xyzSecret'}}", "unexpected character, expected a valid value at line 1, column 17"),
                Arguments.of("{\"input\": {\"a\" 1}}", "unexpected character, expected a colon to separate property name and value"),
                Arguments.of("{\"input\": {\"a\": -x}}", "unexpected character in a number, expected digit (0-9) to follow minus sign"),
                Arguments.of("{\"input\": {\"a\": \"xyzSecret", "the body ends before the JSON value is complete"),
                Arguments.of("{\"input\": [1}}", "a closing bracket of the wrong kind"),
                // characters above U+00FF (typographic quotes pasted from a document): Jackson spells their code
                // differently ("code 8220 / 0x201c"), and the message lost what was expected
                Arguments.of("{\u201cinput\u201d: {}}", "unexpected character, expected double-quote to start property name at line 1, column 2"),
                Arguments.of("{\"input\": {\"a\": \u201exyzSecret\u201c}}", "unexpected character, expected a valid value at line 1, column 17"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void aMalformedBodyIsNamedInPlainWordsWithoutItsText(String body, String problem) {
        String message = assertError(400, m.post(ep("/run"), body));
        assertTrue(message.startsWith("The request body is not valid JSON: ") && message.contains(problem),
                () -> "'" + message + "' should contain: " + problem);
        assertFalse(message.contains("xyzSecret") || message.contains("a token") || message.contains("expecting."), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1.5E+309"})
    void aNumberBeyondA64BitFloatInTheInputIsRefusedNamingWhereNotDeliveredAsTheStringInfinity(String number) {
        // the parser reads it as an infinite double, which the job's input then carried as the string "Infinity"
        for (String op : new String[] {"/run", "/runsync"}) {
            int jobsBefore = jobCount();
            String message = assertError(400, m.post(ep(op), "{\"input\": {\"ok\": 1e300, \"a\": [1, {\"b\": " + number + "}]}}"));
            assertTrue(message.contains("'input.a[1].b'") && message.contains("64-bit"), op + ": " + message);
            assertEquals(jobsBefore, jobCount(), "a rejected body queues nothing");
        }
        assertEquals(200, m.post(ep("/run"), "{\"input\": {\"a\": 1.7976931348623157e308, \"b\": 1e-400}}").status());
    }

    @Test
    void aMalformedBodyErrorTellsWhereItBroke() {
        String message = assertError(400, m.post(ep("/run"), "{\n  \"input\": {\"a\": 1,,}\n}"));
        assertTrue(message.contains("line 2"), message);
    }

    static Stream<Arguments> unsendableWebhooks() {
        return Stream.of(
                Arguments.of("http://127.0.0.1:99999/", "has port 99999; a port must be between 1 and 65535"),
                Arguments.of("http://u:pa55word@example.com:99999999999/hook", "has a port above 65535"),
                Arguments.of("http://127.1:18556/", "IPv4 address written as four decimal parts"),
                Arguments.of("http://x_y.example.com/", "not a valid host name"),
                Arguments.of("http://:8080/", "with a host"),
                Arguments.of("http://a b/", "not a valid URL (illegal character in authority at index 7)"),
                Arguments.of("ftp://example.com/", "must be an absolute http or https URL"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsendableWebhooks")
    void aWebhookTheMockCouldNotSendToIsRefusedAtOnceSayingWhy(String url, String why) {
        for (String op : new String[] {"/run", "/runsync"}) {
            int jobsBefore = jobCount();
            String message = assertError(400, m.post(ep(op), "{\"input\": {}, \"webhook\": \"" + url + "\"}"));
            assertTrue(message.startsWith("Field 'webhook' ") && message.contains(why), () -> op + " " + url + ": " + message);
            assertFalse(message.contains("pa55word") || message.contains("99999999999"), message);
            assertEquals(jobsBefore, jobCount(), "a refused webhook queues nothing");
        }
    }

    @Test
    void aWebhookWithAValidPortOrAnUnusualButParsedHostIsAccepted() {
        for (String url : new String[] {"http://127.0.0.1:65535/", "http://127.0.0.1:1/", "http://2130706433:8080/",
                "http://[::1]:8080/", "https://localhost:8443/x?y=1"}) {
            Reply r = m.post(ep("/run"), "{\"input\": {}, \"webhook\": \"" + url + "\"}");
            assertEquals(200, r.status(), () -> url + ": " + r);
        }
    }

    @Test
    void nullOptionalFieldsAreTheSameAsAbsentOnes() {
        Reply r = m.post(ep("/run"), "{\"input\": {}, \"webhook\": null, \"policy\": null, \"s3Config\": null}");
        assertEquals(200, r.status(), r::toString);
        Reply p = m.post(ep("/run"), "{\"input\": {}, \"policy\": {\"executionTimeout\": null, \"ttl\": null, \"lowPriority\": null}}");
        assertEquals(200, p.status(), p::toString);
    }

    private static int jobCount() {
        return m.get("/__admin/jobs").json().get("count").asInt();
    }

    /** A value the client sent but the mock cannot percent-decode is refused like any other unreadable value. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
            "GET, /status/no-such-job?ttl=%ZZ, ttl",
            "GET, /status/no-such-job?wait=1000&ttl=10%, ttl",
            "GET, /status-sync/no-such-job?wait=%ZZ, wait",
            "POST, /status-sync/no-such-job?wait=%2, wait",
            "GET, /stream/no-such-job?wait=%G0, wait",
            "POST, /runsync?wait=%ZZ, wait"})
    void aQueryValueWithABadPercentEncodingIs400NamingTheParameter(String method, String target, String name) {
        long jobsBefore = m.get("/__admin/jobs").json().get("count").asLong();
        String body = target.startsWith("/runsync") ? "{\"input\": {}}" : null;
        String message = assertError(400, m.sendVerbatim(method, ep(target), body));
        assertEquals("Query parameter '" + name + "' must be an integer number of milliseconds; its value has an invalid"
                + " percent-encoding ('%' must be followed by two hexadecimal digits).", message);
        assertEquals(jobsBefore, m.get("/__admin/jobs").json().get("count").asLong(), "nothing was queued");
    }

    @Test
    void onlyTheParametersTheMockReadsAreCheckedForTheirPercentEncoding() {
        String id = m.run("{}");
        assertEquals(200, m.sendVerbatim("GET", ep("/status/" + id + "?other=%ZZ&%ZZ=1"), null).status(),
                "a parameter the route does not take is not looked at");
        assertEquals(200, m.sendVerbatim("GET", ep("/status/" + id + "?ttl=%36%30%30%30%30"), null).status(),
                "a well-formed encoding is decoded: ttl=60000");
    }
}
