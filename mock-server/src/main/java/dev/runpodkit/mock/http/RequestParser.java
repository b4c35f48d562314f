package dev.runpodkit.mock.http;

import dev.runpodkit.mock.config.Defect;
import dev.runpodkit.mock.config.Settings;
import dev.runpodkit.mock.engine.JobRequest;
import dev.runpodkit.mock.engine.Policy;
import dev.runpodkit.mock.engine.S3Config;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a /run or /runsync body into a {@link JobRequest}, or an {@link ApiError} 400 that names the
 * problem. Rules: seeds and runpod-api.md §3 (BODY-*, POLICY-*, S3-*, WEBHOOK-* in spec/requirements.yaml).
 * Unknown top-level keys are dropped here, so they never reach a worker.
 */
final class RequestParser {

    static final Set<String> KNOWN_KEYS = Set.of("input", "webhook", "policy", "s3Config");
    /** The s3Config keys the mock reads; any other is passed through to the worker (DEC-042). */
    private static final Set<String> S3_KEYS = Set.of("accessId", "accessSecret", "bucketName", "endpointUrl", "objectPath");
    static final long SEVEN_DAYS_MS = 7L * 24 * 60 * 60 * 1000;
    /** Where a policy time is held when the 7-day maximum is off (setting policyMaxEnforced): 100 years. */
    static final long UNBOUNDED_POLICY_MS = 100L * 365 * 24 * 60 * 60 * 1000;
    static final long EXECUTION_TIMEOUT_MIN_MS = 5_000;
    static final long TTL_MIN_MS = 10_000;

    private final Settings settings;

    RequestParser(Settings settings) {
        this.settings = settings;
    }

    JobRequest parse(ClientApi.Body body, boolean sync) {
        Read read = readBody(body);
        JsonNode root = read.root();
        if (!root.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object with an 'input' object, e.g. {\"input\": {}}.");
        }
        ObjectNode obj = (ObjectNode) root;
        ObjectNode input = input(obj);
        // the text of the input as sent, if the job gets that very object unchanged (a defect may wrap or extend it)
        byte[] inputJson = input != null && input == obj.get("input") ? read.inputJson() : null;
        String webhook = webhook(obj.get("webhook"));
        Policy policy = policy(obj.get("policy"));
        S3Config s3 = s3Config(obj.get("s3Config"));
        if (settings.has(Defect.KEEP_UNKNOWN_KEYS)) {
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                if (!KNOWN_KEYS.contains(e.getKey())) {
                    if (input == null) {
                        input = Json.object();
                    }
                    input.set(e.getKey(), e.getValue());
                    inputJson = null;
                }
            }
        }
        if (read.nonFinite() && input != null) {
            java.util.Map<String, Double> found = new java.util.LinkedHashMap<>();
            if (Json.nonFiniteNumbers(input, "input", 1, found) > 0) {
                String where = found.keySet().iterator().next();
                throw ApiError.badRequest(field(where, "Field '" + where + "' is a number beyond the range of a 64-bit"
                        + " float (about 1.8e308 either side of zero), which the mock cannot pass on to a worker as a number."));
            }
        }
        return new JobRequest(input, webhook, policy, s3, sync, inputJson);
    }

    /**
     * The nodes a body is read into. A number beyond a double's range (1e400) is read as an infinite double, which
     * the mapper writes as the string "Infinity": the job's input would carry a string where the client sent a
     * number. Such a number is rare, so rather than search every tree the factory notes, per thread, that it made one.
     */
    private static final class NodeFactory extends tools.jackson.databind.node.JsonNodeFactory {
        private static final long serialVersionUID = 1L;
        static final ThreadLocal<boolean[]> NON_FINITE = ThreadLocal.withInitial(() -> new boolean[1]);

        @Override
        public tools.jackson.databind.node.NumericNode numberNode(double v) {
            if (!Double.isFinite(v)) {
                NON_FINITE.get()[0] = true;
            }
            return super.numberNode(v);
        }

        /** Whether a non-finite number was made since the last call; clears the note. */
        static boolean takeNonFinite() {
            boolean[] seen = NON_FINITE.get();
            boolean was = seen[0];
            seen[0] = false;
            return was;
        }
    }

    private static final NodeFactory NODE_FACTORY = new NodeFactory();

    /** Reads one value from a parser that goes on (the mapper itself refuses anything after the value it reads). */
    private static final tools.jackson.databind.ObjectReader ONE_VALUE = Json.MAPPER.readerFor(JsonNode.class)
            .without(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** {@link #ONE_VALUE} and the whole-body reader, with the factory that notes numbers beyond a double. */
    private static final tools.jackson.databind.ObjectReader ONE_BODY_VALUE = ONE_VALUE.with(NODE_FACTORY);
    private static final tools.jackson.databind.ObjectReader BODY = Json.MAPPER.readerFor(JsonNode.class).with(NODE_FACTORY);

    /**
     * A body's tree, the bytes of its top-level "input" object as sent (null when not known), and whether it holds a
     * number beyond a double's range somewhere.
     */
    record Read(JsonNode root, byte[] inputJson, boolean nonFinite) {
        Read(JsonNode root, byte[] inputJson) {
            this(root, inputJson, NodeFactory.takeNonFinite());
        }
    }

    /**
     * Reads a UTF-8 body of one JSON object key by key, noting where its "input" object starts and ends, so the
     * job can keep that text instead of writing the tree out again when it finishes. Anything else (another
     * charset or start, not an object, trailing content, a parse error) takes {@link #parseJson(ClientApi.Body)},
     * whose answers and messages are the ones clients have always had.
     */
    static Read readBody(ClientApi.Body body) {
        NodeFactory.takeNonFinite(); // a note left by an earlier body that failed to parse on this thread
        if (body.charset() == java.nio.charset.StandardCharsets.UTF_8 && startsPlainly(body)) {
            byte[] bytes = body.bytes();
            try (tools.jackson.core.JsonParser p = Json.MAPPER.createParser(bytes, 0, body.length())) {
                if (p.nextToken() == tools.jackson.core.JsonToken.START_OBJECT) {
                    ObjectNode root = Json.object();
                    byte[] inputJson = null;
                    tools.jackson.core.JsonToken t;
                    while ((t = p.nextToken()) == tools.jackson.core.JsonToken.PROPERTY_NAME) {
                        String name = p.currentName();
                        boolean input = "input".equals(name); // the last one wins, as in the tree
                        boolean object = p.nextToken() == tools.jackson.core.JsonToken.START_OBJECT;
                        // (a location is an object: asked for only where needed)
                        long start = input ? p.currentTokenLocation().getByteOffset() : -1;
                        JsonNode value = ONE_BODY_VALUE.readValue(p);
                        if (input) {
                            long end = p.currentLocation().getByteOffset();
                            inputJson = object && start >= 0 && end > start && end <= body.length()
                                    ? java.util.Arrays.copyOfRange(bytes, (int) start, (int) end) : null;
                        }
                        root.set(name, value == null ? Json.NODES.nullNode() : value);
                    }
                    if (t == tools.jackson.core.JsonToken.END_OBJECT && p.nextToken() == null) {
                        return new Read(root, inputJson);
                    }
                }
            } catch (JacksonException e) {
                // fall through: the whole-body path gives the answer and the message
            }
        }
        return new Read(parseJson(body), null);
    }

    /**
     * Parses a body as read. UTF-8 bytes go to the parser as they are (no decoding into a String first); anything
     * the byte parser might read differently from the decoded text (another charset, a start that makes it guess
     * UTF-16 or UTF-32) or cannot parse takes the text path, so answers and error messages are those of the text.
     */
    static JsonNode parseJson(ClientApi.Body body) {
        if (body.charset() == java.nio.charset.StandardCharsets.UTF_8 && startsPlainly(body)) {
            try {
                JsonNode parsed = BODY.readTree(body.bytes(), 0, body.length());
                if (parsed != null && !parsed.isMissingNode()) {
                    return parsed;
                } // a blank body: the text path names it
            } catch (JacksonException e) {
                // fall through: the text path gives the message (and reads malformed UTF-8 as it always has)
            }
        }
        if (body.charset() == java.nio.charset.StandardCharsets.UTF_8 && body.startsWithByteOrderMark()) {
            // the decoded text starts with U+FEFF, which the parser calls just an "unexpected character"
            throw ApiError.badRequest(NOT_JSON + ": it starts with a UTF-8 byte order mark"
                    + " (the bytes EF BB BF); JSON must be sent without one.");
        }
        return parseJson(body.text(), BODY);
    }

    /** True when the first bytes are printable ASCII: the byte parser then reads UTF-8, as the text was decoded. */
    private static boolean startsPlainly(ClientApi.Body body) {
        int n = Math.min(4, body.length());
        if (n == 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int b = body.bytes()[i];
            if (b < 0x09 || b > 0x7E) {
                return false;
            }
        }
        return true;
    }

    /** How every answer to a body the JSON parser could not read begins. */
    static final String NOT_JSON = "The request body is not valid JSON";

    /**
     * A body that did not parse, explained by what the request said about it, or {@code parseError} as it is. A
     * compressed body (DEC-041) reads as noise whose first odd byte the parser would name ("a control character
     * (code 31)" for gzip), which hides the cause. Called only once the body has failed, so a request that parses
     * reads no further header.
     *
     * <p>A form's Content-Type (multipart/form-data, application/x-www-form-urlencoded: what curl -F and -d send)
     * is likely why the body is not JSON, and the answer says the body must be JSON. JSON under such a type is taken
     * all the same (runpod-python's worker sends its JSON as application/x-www-form-urlencoded, wire-captures.md §3).
     *
     * @param contentEncoding the request's Content-Encoding values joined by ", ", or null when it has none
     * @param contentType the request's Content-Type, or null
     * @param byteOrderMark whether the body starts with a byte order mark, which the parse error already names
     */
    static ApiError whyNotJson(ApiError parseError, String contentEncoding, String contentType, boolean byteOrderMark) {
        if (byteOrderMark) {
            return parseError; // JSON apart from the mark: a note on the Content-Type would point at the wrong fault
        }
        if (contentEncoding != null && !isIdentity(contentEncoding)) {
            String named = SHOWN_CODING.matcher(contentEncoding).matches() ? " (Content-Encoding '" + contentEncoding.trim() + "')"
                    : " (a Content-Encoding other than 'identity')";
            return ApiError.badRequest(NOT_JSON + ": it was sent compressed" + named + ", and the mock does not decompress"
                    + " request bodies; send the JSON uncompressed, with no Content-Encoding header (or 'identity').");
        }
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        if (mediaType.equals("multipart/form-data") || mediaType.equals("application/x-www-form-urlencoded")) {
            return ApiError.badRequest(parseError.getMessage() + " The body must be JSON (Content-Type: application/json);"
                    + " it was sent as " + mediaType + ".");
        }
        return parseError;
    }

    /** A list of coding names, short enough to repeat in a message (anything else is not quoted back). */
    private static final java.util.regex.Pattern SHOWN_CODING =
            java.util.regex.Pattern.compile("\\s*[A-Za-z0-9._+-]{1,40}(\\s*,\\s*[A-Za-z0-9._+-]{1,40}){0,4}\\s*");

    /** True when every coding listed is 'identity' (no coding) or empty. */
    private static boolean isIdentity(String contentEncoding) {
        for (String coding : contentEncoding.split(",")) {
            String c = coding.trim();
            if (!c.isEmpty() && !c.equalsIgnoreCase("identity")) {
                return false;
            }
        }
        return true;
    }

    static JsonNode parseJson(String body) {
        return parseJson(body, Json.MAPPER.readerFor(JsonNode.class));
    }

    private static JsonNode parseJson(String body, tools.jackson.databind.ObjectReader reader) {
        if (body == null || body.isBlank()) {
            throw ApiError.badRequest("The request body is empty; send a JSON object with an 'input' object.");
        }
        if (body.charAt(0) == '\uFEFF') {
            // a byte order mark in whatever charset the Content-Type named (UTF-8's is named by the caller)
            throw ApiError.badRequest(NOT_JSON + ": it starts with a byte order mark (U+FEFF);"
                    + " JSON must be sent without one.");
        }
        try {
            return reader.readTree(body);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw ApiError.badRequest(NOT_JSON + ": " + jsonProblem(body, e) + where + ".");
        }
    }

    private static final java.util.regex.Pattern UNEXPECTED_CHARACTER =
            java.util.regex.Pattern.compile(
                    // above U+00FF Jackson adds the hex form: "(code 8220 / 0x201c)"
                    "Unexpected character \\(.*?\\(code \\d+( / 0x[0-9a-fA-F]+)?\\)\\)( in numeric value)?: (.*)");
    private static final java.util.regex.Pattern CONTROL_CHARACTER =
            java.util.regex.Pattern.compile("Illegal (unquoted )?character \\(\\(CTRL-CHAR, code (\\d+)\\)\\).*");

    /**
     * Jackson's reason in words of our own. Its messages quote what it tripped over ("Unrecognized token
     * 'abc'"), which may be an unquoted credential, so they are rewritten rather than passed on.
     */
    static String jsonProblem(String body, JacksonException e) {
        if (firstValueIsComplete(body)) {
            return "unexpected text after the JSON value";
        }
        if (e instanceof tools.jackson.core.exc.UnexpectedEndOfInputException) {
            return "the body ends before the JSON value is complete";
        }
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        if (e instanceof tools.jackson.core.exc.StreamConstraintsException) {
            // "Number value length (1200) exceeds the maximum allowed (1000, from `...`)": numbers only
            return plain(m.replaceAll(", from `[^`]*`", ""));
        }
        if (m.startsWith("Unrecognized token") || m.startsWith("Non-standard token")) {
            return "a word that is not a JSON value (a string needs double quotes; the bare words are true, false and null)";
        }
        if (m.startsWith("Unrecognized character escape")) {
            return "an unknown escape sequence after a backslash in a string";
        }
        java.util.regex.Matcher c = CONTROL_CHARACTER.matcher(m);
        if (c.matches()) {
            return c.group(1) != null ? "a control character (code " + c.group(2) + ") in a string must be escaped"
                    : "a control character (code " + c.group(2) + ") where only spaces, tabs and line breaks may be";
        }
        c = UNEXPECTED_CHARACTER.matcher(m);
        if (c.matches()) {
            return "unexpected character" + (c.group(2) != null ? " in a number" : "") + ", " + plain(c.group(3));
        }
        if (m.startsWith("Unexpected close marker")) {
            return m.contains("no open") ? "a closing bracket with nothing open to close"
                    : "a closing bracket of the wrong kind (']' for an object or '}' for an array)";
        }
        if (m.startsWith("Invalid numeric value: ")) {
            return "invalid number: " + plain(m.substring("Invalid numeric value: ".length()));
        }
        String rest = m.replaceAll("'[^']*'", "").replaceAll("\\s+(?=[:,])", "");
        return plain(rest.contains(" (") ? rest.substring(0, rest.indexOf(" (")) : rest);
    }

    /** A fixed phrase of Jackson's without its asides: "(JSON String, Number, ...)", ": enable `Feature` to allow". */
    private static String plain(String phrase) {
        String p = phrase.replaceAll("\\s*\\(JSON String[^)]*\\)", "").replace(", for valid numeric value", "");
        int cut = p.indexOf(": enable ");
        if (cut > 0) {
            p = p.substring(0, cut);
        }
        if (p.startsWith("was expecting ")) {
            p = "expected " + p.substring("was expecting ".length());
        }
        return p.length() > 1 && Character.isLowerCase(p.charAt(1)) ? Character.toLowerCase(p.charAt(0)) + p.substring(1) : p;
    }

    /** True when the body starts with one whole JSON value: whatever made it invalid comes after that. */
    private static boolean firstValueIsComplete(String body) {
        try (tools.jackson.core.JsonParser p = Json.MAPPER.createParser(body)) {
            ONE_VALUE.readValue(p);
            return true;
        } catch (JacksonException e) {
            return false;
        }
    }

    /** The input object; null (absent) only when a missing input is let through (strictInput=false, BODY-009). */
    private ObjectNode input(ObjectNode obj) {
        JsonNode input = obj.get("input");
        if (input == null || input.isNull()) {
            if (settings.strictInput && !settings.has(Defect.ACCEPT_MISSING_INPUT)) {
                throw ApiError.badRequest(field("input", "Missing required field 'input': the body must be {\"input\": {...}}."));
            }
            return null; // delivered without an input key, as the cloud has been seen to (DEC-011)
        }
        if (!input.isObject()) {
            if (settings.has(Defect.ACCEPT_NON_OBJECT_INPUT)) {
                ObjectNode wrapped = Json.object();
                wrapped.set("value", input);
                return wrapped;
            }
            throw ApiError.badRequest(field("input", "Field 'input' must be a JSON object, not " + kind(input) + "."));
        }
        return (ObjectNode) input; // the tree was parsed for this request alone: no copy needed
    }

    private String webhook(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (settings.has(Defect.ACCEPT_WRONG_TYPES)) {
            return node.isTextual() ? node.stringValue() : node.toString();
        }
        if (!node.isTextual()) {
            throw ApiError.badRequest(field("webhook", "Field 'webhook' must be a string URL, not " + kind(node) + "."));
        }
        String url = node.stringValue();
        if (settings.has(Defect.WEBHOOK_URL_UNCHECKED)) {
            return url;
        }
        String problem = webhookProblem(url);
        if (problem != null) {
            throw ApiError.badRequest(field("webhook", "Field 'webhook' " + problem + "."));
        }
        return url;
    }

    /** Why the mock could not POST to this URL, or null. Never quotes the URL: its user-info may hold a password. */
    static String webhookProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            // the reason is a fixed phrase ("Illegal character in authority"); the index points without quoting
            String reason = e.getReason();
            return "must be an absolute http or https URL; it is not a valid URL ("
                    + Character.toLowerCase(reason.charAt(0)) + reason.substring(1)
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : "") + ")";
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || uri.getRawAuthority() == null) {
            return "must be an absolute http or https URL";
        }
        if (uri.getHost() == null) {
            // java.net.URI found an authority but no host in it, so no HTTP client here can send to it
            return hostProblem(uri.getRawAuthority());
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            return "has port " + port + "; a port must be between 1 and 65535";
        }
        return null;
    }

    /** Says what is wrong with an authority that {@link URI} could not read as host and port. */
    private static String hostProblem(String authority) {
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        int colon = hostPort.lastIndexOf(':');
        // the last ':' starts a port unless it is inside an IPv6 address (bracketed or, wrongly, not)
        boolean hasPort = colon >= 0 && (hostPort.startsWith("[") ? hostPort.lastIndexOf(']') < colon
                : hostPort.indexOf(':') == colon);
        if (hasPort) {
            String port = hostPort.substring(colon + 1);
            if (!port.chars().allMatch(Character::isDigit)) {
                return "has a port that is not a number";
            }
            if (port.length() > 5 || (!port.isEmpty() && Integer.parseInt(port) > 65535)) {
                return "has a port above 65535; a port must be between 1 and 65535";
            }
            hostPort = hostPort.substring(0, colon);
        }
        if (hostPort.isEmpty()) {
            return "must be an absolute http or https URL with a host";
        }
        if (hostPort.matches("[0-9.]+|(?i)0x[0-9a-f.x]*")) {
            // e.g. 127.1 or 0x7f.1, which C's inet_aton reads as 127.0.0.1 but java.net.URI does not take as a host
            return "has a host that is neither a host name nor an IPv4 address written as four decimal parts "
                    + "(a.b.c.d, e.g. 127.0.0.1)";
        }
        return "has a host that is not a valid host name (letters, digits, '-' and '.', the last label starting "
                + "with a letter), IPv4 address (a.b.c.d) or bracketed IPv6 address";
    }

    private Policy policy(JsonNode node) {
        if (node == null || node.isNull()) {
            return Policy.NONE;
        }
        if (!node.isObject()) {
            if (settings.has(Defect.ACCEPT_WRONG_TYPES)) {
                return Policy.NONE;
            }
            throw ApiError.badRequest(field("policy", "Field 'policy' must be a JSON object, not " + kind(node) + "."));
        }
        if (settings.has(Defect.POLICY_UNKNOWN_KEYS_REJECTED)) {
            for (String key : node.propertyNames()) {
                if (!Set.of("executionTimeout", "ttl", "lowPriority").contains(key)) {
                    throw ApiError.badRequest("Unknown field 'policy." + key + "'.");
                }
            }
        }
        boolean inclusive = settings.executionTimeoutMinInclusive && !settings.has(Defect.POLICY_MIN_EXCLUSIVE);
        Long executionTimeout = millis(node.get("executionTimeout"), "policy.executionTimeout",
                inclusive ? EXECUTION_TIMEOUT_MIN_MS : EXECUTION_TIMEOUT_MIN_MS + 1);
        Long ttl = millis(node.get("ttl"), "policy.ttl", TTL_MIN_MS);
        boolean lowPriority = false;
        JsonNode low = node.get("lowPriority");
        if (low != null && !low.isNull()) {
            if (!low.isBoolean()) {
                if (!settings.has(Defect.ACCEPT_WRONG_TYPES)) {
                    throw ApiError.badRequest(field("policy.lowPriority",
                            "Field 'policy.lowPriority' must be a boolean, not " + kind(low) + "."));
                }
            } else {
                lowPriority = low.booleanValue();
            }
        }
        // unknown keys inside policy are ignored (the API discards them too)
        return new Policy(executionTimeout, ttl, lowPriority);
    }

    private Long millis(JsonNode value, String name, long min) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (settings.has(Defect.ACCEPT_WRONG_TYPES)) {
            return value.canConvertToLong() ? Math.max(min, value.longValue()) : null;
        }
        if (!value.isNumber()) {
            throw ApiError.badRequest(field(name, "Field '" + name + "' must be an integer number of milliseconds, not " + kind(value) + "."));
        }
        if (!value.isIntegralNumber()) {
            double d = value.doubleValue();
            throw ApiError.badRequest(field(name, "Field '" + name + "' must be an integer number of milliseconds"
                    + (Double.isFinite(d) && d != Math.rint(d) ? ", not a fraction."
                    : " written in digits only, without a decimal point or exponent (e.g. 10000, not 1e4).")));
        }
        if (!value.canConvertToLong()) {
            // beyond 64 bits: say how far out rather than echo the digits, which may be thousands long
            boolean negative = value.bigIntegerValue().signum() < 0;
            String got = "; got " + (negative ? "a negative number" : "a number") + " of "
                    + value.bigIntegerValue().abs().toString().length() + " digits.";
            String range = !settings.policyMaxEnforced ? (negative ? "at least " + min + " ms" : "at most " + Long.MAX_VALUE + " ms")
                    : "between " + min + " and " + SEVEN_DAYS_MS + " ms (7 days)";
            throw ApiError.badRequest(field(name, "Field '" + name + "' must be " + range + got));
        }
        long ms = value.longValue();
        if (settings.has(Defect.POLICY_RANGE_UNCHECKED)) {
            return Math.max(1, ms);
        }
        if (!settings.policyMaxEnforced) {
            // DEC-026's other reading: only the minimum. A longer time is held at a century, never reached, so the
            // engine's sums of instants and durations stay far from overflow whatever a client sends
            if (ms < min) {
                throw ApiError.badRequest(field(name, "Field '" + name + "' must be at least " + min + " ms; got " + ms + "."));
            }
            return Math.min(ms, UNBOUNDED_POLICY_MS);
        }
        if (ms < min || ms > SEVEN_DAYS_MS) {
            throw ApiError.badRequest(field(name, "Field '" + name + "' must be between " + min + " and "
                    + SEVEN_DAYS_MS + " ms (7 days); got " + ms + "."));
        }
        return ms;
    }

    private S3Config s3Config(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            if (settings.has(Defect.ACCEPT_WRONG_TYPES)) {
                return null;
            }
            throw ApiError.badRequest(field("s3Config", "Field 's3Config' must be a JSON object with accessId, accessSecret, bucketName and endpointUrl."));
        }
        String accessId = s3String(node, "accessId", true);
        String accessSecret = s3String(node, "accessSecret", true);
        String bucketName = s3String(node, "bucketName", true);
        String endpointUrl = s3String(node, "endpointUrl", true);
        String objectPath = s3String(node, "objectPath", false);
        // any other key (region, sessionToken, ...) goes to the worker as sent: S3-005, DEC-042
        java.util.Map<String, JsonNode> others = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, JsonNode> e : node.properties()) {
            if (!S3_KEYS.contains(e.getKey())) {
                others.put(e.getKey(), e.getValue().deepCopy());
            }
        }
        return new S3Config(accessId, accessSecret, bucketName, endpointUrl, objectPath, others);
    }

    /** Never quotes the value: these are credentials. */
    private String s3String(JsonNode s3, String key, boolean required) {
        JsonNode v = s3.get(key);
        String name = "s3Config." + key;
        if (v == null || v.isNull()) {
            if (required && !settings.has(Defect.ACCEPT_WRONG_TYPES)) {
                throw ApiError.badRequest(field(name, "Field '" + name + "' is required."));
            }
            return null;
        }
        if (!v.isTextual() || (required && v.stringValue().isEmpty())) {
            if (settings.has(Defect.ACCEPT_WRONG_TYPES)) {
                return v.asString();
            }
            // the four credentials must be non-empty; objectPath may be any string, "" included (common.schema.json,
            // S3-004), so its message does not ask for one that is non-empty
            throw ApiError.badRequest(field(name, "Field '" + name + "' must be a " + (required ? "non-empty " : "") + "string."));
        }
        return v.stringValue();
    }

    /** With the ERROR_NOT_NAMING_FIELD defect, messages lose the field name. */
    private String field(String name, String message) {
        return settings.has(Defect.ERROR_NOT_NAMING_FIELD) ? "Bad request." : message;
    }

    private static String kind(JsonNode node) {
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isNull()) {
            return "null";
        }
        return "an object";
    }
}
