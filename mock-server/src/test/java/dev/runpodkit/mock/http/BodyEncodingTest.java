package dev.runpodkit.mock.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runpodkit.mock.engine.JobView;
import dev.runpodkit.mock.testing.MockHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How a /run body's bytes become the job's input: UTF-8 unless the Content-Type names another charset. UTF-8
 * bodies are parsed from their bytes and everything else from decoded text; these pin that both give the same
 * answers, including for bodies neither reads cleanly.
 */
class BodyEncodingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static MockHarness m;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        m = MockHarness.frozen();
    }

    @AfterAll
    static void stop() {
        m.close();
    }

    private static HttpResponse<String> post(byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(m.mock.baseUrl() + MockHarness.ep("/run")))
                .header("Authorization", "Bearer " + MockHarness.KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The input the job was stored with. */
    private static JsonNode inputOf(HttpResponse<String> accepted) {
        assertEquals(200, accepted.statusCode(), accepted::body);
        String id = JSON.readTree(accepted.body()).get("id").asString();
        JobView job = m.mock.engine().findAnywhere(id).orElseThrow();
        return job.input();
    }

    @Test
    void utf8TextIsReadAsUtf8WithOrWithoutACharset() throws Exception {
        byte[] body = "{\"input\": {\"text\": \"café – 日本 🚀\"}}".getBytes(StandardCharsets.UTF_8);
        assertEquals("café – 日本 🚀", inputOf(post(body, "application/json")).get("text").asString());
        assertEquals("café – 日本 🚀", inputOf(post(body, "application/json; charset=utf-8")).get("text").asString());
        assertEquals("café – 日本 🚀", inputOf(post(body, null)).get("text").asString());
    }

    @Test
    void anotherCharsetIsDecodedAsItsContentTypeSays() throws Exception {
        byte[] body = "{\"input\": {\"text\": \"café\"}}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("café", inputOf(post(body, "application/json; charset=ISO-8859-1")).get("text").asString());
    }

    @Test
    void malformedUtf8InsideAStringIsReadAsReplacementCharacters() throws Exception {
        byte[] head = "{\"input\": {\"text\": \"a".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "b\"}}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xC3; // a lead byte ...
        body[head.length + 1] = (byte) 0x28; // ... followed by no continuation byte
        System.arraycopy(tail, 0, body, head.length + 2, tail.length);
        assertEquals("a\uFFFD(b", inputOf(post(body, "application/json")).get("text").asString());
    }

    @Test
    void utf16WithoutACharsetIsNotGuessedButRefusedAsJson() throws Exception {
        // a byte parser left to itself would detect UTF-16 and accept this; the body is read as UTF-8, as declared
        byte[] body = "{\"input\": {}}".getBytes(StandardCharsets.UTF_16LE);
        HttpResponse<String> r = post(body, "application/json");
        assertEquals(400, r.statusCode(), r::body);
        assertTrue(r.body().contains("not valid JSON"), r.body());
    }

    @Test
    void aBodyStartingWithAUtf8ByteOrderMarkIsRefusedNamingTheMark() throws Exception {
        byte[] json = "{\"input\": {}}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[json.length + 3];
        body[0] = (byte) 0xEF;
        body[1] = (byte) 0xBB;
        body[2] = (byte) 0xBF;
        System.arraycopy(json, 0, body, 3, json.length);
        // curl --data-binary sends application/x-www-form-urlencoded: JSON apart from the mark, so the message names
        // the mark alone (a note that the body must be JSON would send the reader looking for the wrong fault)
        for (String type : new String[] {"application/json", "application/json; charset=utf-8", null,
                "application/x-www-form-urlencoded"}) {
            HttpResponse<String> r = post(body, type);
            assertEquals(400, r.statusCode(), r::body);
            String message = JSON.readTree(r.body()).get("error").asString();
            assertTrue(message.startsWith("The request body is not valid JSON: ") && message.contains("UTF-8 byte order mark")
                    && message.contains("without one") && !message.contains("sent as"), type + ": " + message);
        }
    }

    @Test
    void aCompressedBodyIsRefusedNamingItsContentEncoding() throws Exception {
        byte[] json = "{\"input\": {\"prompt\": \"hi\"}}".getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream gzip = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gzip)) {
            out.write(json);
        }
        java.io.ByteArrayOutputStream deflate = new java.io.ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream out = new java.util.zip.DeflaterOutputStream(deflate)) {
            out.write(json);
        }
        // the JDK has no Brotli encoder, and a Brotli stream has no fixed first bytes: any bytes that are not JSON do
        byte[] br = {(byte) 0x8b, 0x05, (byte) 0x80, 0x7b, 0x7d, 0x03};
        Object[][] cases = {{"gzip", gzip.toByteArray(), "/run"}, {"gzip", gzip.toByteArray(), "/runsync"},
                {"GZip", gzip.toByteArray(), "/run"}, {"deflate", deflate.toByteArray(), "/run"}, {"br", br, "/runsync"}};
        for (Object[] c : cases) {
            HttpResponse<String> r = post((String) c[2], (byte[]) c[1], "Content-Type", "application/json",
                    "Content-Encoding", (String) c[0]);
            assertEquals(400, r.statusCode(), r::body);
            String message = JSON.readTree(r.body()).get("error").asString();
            assertTrue(message.contains("Content-Encoding") && message.contains("'" + c[0] + "'")
                    && message.contains("uncompressed") && !message.contains("control character"), c[0] + ": " + message);
        }
        // identity is no coding at all; a body that reads as JSON is taken whatever the header says (DEC-041)
        assertEquals(200, post("/run", json, "Content-Type", "application/json", "Content-Encoding", "identity").statusCode());
        assertEquals(200, post("/run", json, "Content-Type", "application/json", "Content-Encoding", "gzip").statusCode());
        HttpResponse<String> broken = post("/run", "{\"input\": ".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/json", "Content-Encoding", "identity");
        assertEquals(400, broken.statusCode(), broken::body);
        assertTrue(!broken.body().contains("Content-Encoding") && broken.body().contains("ends before"), broken.body());
    }

    @Test
    void aFormBodyThatIsNotJsonIsToldToBeJson() throws Exception {
        byte[] multipart = ("--XyZ42\r\nContent-Disposition: form-data; name=\"input\"\r\n\r\nzqx\r\n--XyZ42--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] urlencoded = "input=zqx&webhook=x".getBytes(StandardCharsets.US_ASCII);
        Object[][] cases = {{"/run", multipart, "multipart/form-data; boundary=XyZ42", "multipart/form-data"},
                {"/runsync", urlencoded, "application/x-www-form-urlencoded", "application/x-www-form-urlencoded"},
                {"/run", urlencoded, "Application/X-WWW-Form-URLEncoded; charset=UTF-8", "application/x-www-form-urlencoded"}};
        for (Object[] c : cases) {
            HttpResponse<String> r = post((String) c[0], (byte[]) c[1], "Content-Type", (String) c[2]);
            assertEquals(400, r.statusCode(), r::body);
            String message = JSON.readTree(r.body()).get("error").asString();
            assertTrue(message.startsWith("The request body is not valid JSON: ") && message.contains(" at line 1, column ")
                    && message.endsWith(" The body must be JSON (Content-Type: application/json); it was sent as " + c[3] + "."),
                    c[2] + ": " + message);
            assertTrue(!message.contains("XyZ42") && !message.contains("zqx"), "nothing of the body or boundary: " + message);
        }
        // the wire captures show JSON sent under a form Content-Type: it is taken as ever (runpod-python's job-done)
        byte[] json = "{\"input\": {}}".getBytes(StandardCharsets.US_ASCII);
        assertEquals(200, post("/run", json, "Content-Type", "application/x-www-form-urlencoded").statusCode());
        assertEquals(200, post("/run", json, "Content-Type", "multipart/form-data; boundary=XyZ42").statusCode());
        // a Content-Type that is not a form says nothing of Content-Types
        for (String type : new String[] {"application/json", "text/plain"}) {
            HttpResponse<String> r = post("/run", urlencoded, "Content-Type", type);
            assertEquals(400, r.statusCode(), r::body);
            assertTrue(!r.body().contains("Content-Type") && !r.body().contains("sent as"), type + ": " + r.body());
        }
    }

    private static HttpResponse<String> post(String route, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(m.mock.baseUrl() + MockHarness.ep(route)))
                .header("Authorization", "Bearer " + MockHarness.KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBlankBodyIsNamedEmptyWhateverItsCharset() throws Exception {
        for (String type : new String[] {"application/json", "application/json; charset=ISO-8859-1"}) {
            HttpResponse<String> r = post(" \r\n\t ".getBytes(StandardCharsets.US_ASCII), type);
            assertEquals(400, r.statusCode(), r::body);
            assertTrue(r.body().contains("empty"), type + ": " + r.body());
        }
    }

    @Test
    void aFinishedJobReadsBackItsInputAsSentWhateverTheLayout() throws Exception {
        // spaces everywhere, escapes, an "input" key nested deeper, keys around it: the job keeps the input's text
        String input = "{ \"a\" : [1, 2.50, {\"input\": {\"x\": -0}}], \"s\":\"\\u00e9\\n\\\"\", \"n\" : null }";
        String body = "{ \"webhook\" : null ,\n \"input\" :" + input + "  , \"policy\": {} }";
        assertEquals(JSON.readTree(input), finishedOutputOf(body), "the echo of the stored input");
    }

    @Test
    void aRepeatedInputKeyKeepsTheLastAsTheTreeDoes() throws Exception {
        assertEquals(JSON.readTree("{\"second\": 2}"),
                finishedOutputOf("{\"input\": {\"first\": 1}, \"input\": {\"second\": 2}}"));
    }

    @Test
    void theParserKeepsTheInputsExactTextAndOnlyForAnObject() {
        String input = "{ \"a\" : [1, {\"input\": 2}], \"s\": \"\\u00e9 日本\" }";
        assertEquals(input, slice("{\"webhook\": null, \"input\" :" + input + " , \"x\": [] }"));
        assertEquals("{\"b\":2}", slice("{\"input\": {\"a\": 1}, \"input\":{\"b\":2}}"));
        assertEquals(null, slice("{\"input\": [1, 2]}"), "not an object: nothing kept");
        assertEquals("{\"a\":1}", slice("{\"input\": {\"a\":1}} \r\n"), "whitespace after the object is fine");
        ApiError trailing = org.junit.jupiter.api.Assertions.assertThrows(ApiError.class, () -> slice("{\"input\": {}} x"));
        assertTrue(trailing.getMessage().startsWith("The request body is not valid JSON"), trailing.getMessage());
    }

    private static String slice(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] kept = RequestParser.readBody(new ClientApi.Body(bytes, bytes.length, StandardCharsets.UTF_8)).inputJson();
        return kept == null ? null : new String(kept, StandardCharsets.UTF_8);
    }

    /** Posts a body, lets the (echo) job finish, and returns the output its stored text reads back as. */
    private static JsonNode finishedOutputOf(String body) throws Exception {
        HttpResponse<String> accepted = post(body.getBytes(StandardCharsets.UTF_8), "application/json");
        assertEquals(200, accepted.statusCode(), accepted::body);
        String id = JSON.readTree(accepted.body()).get("id").asString();
        m.advance(0);
        JsonNode status = JSON.readTree(m.status(id).body());
        assertEquals("COMPLETED", status.get("status").asString(), status.toString());
        return status.get("output");
    }

    @Test
    void theBudgetCountsBytesNotCharacters() throws Exception {
        // two bodies of the same length in characters: 300 of them ASCII, or 300 that take 3 bytes each in UTF-8
        long ascii = countedFor("abc".repeat(100));
        long wide = countedFor("日本語".repeat(100));
        assertEquals(600, wide - ascii, "the store's budget must count the body's bytes");
    }

    private static long countedFor(String text) throws Exception {
        long before = m.mock.engine().storedBytes();
        inputOf(post(("{\"input\": {\"t\": \"" + text + "\"}}").getBytes(StandardCharsets.UTF_8), "application/json"));
        return m.mock.engine().storedBytes() - before;
    }
}
