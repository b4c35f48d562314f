package dev.runpodkit.mock.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.node.ObjectNode;

/**
 * Errors Jetty answers before a request reaches a route (a malformed request line or header, an ambiguous
 * path, a request refused while shutting down) get the same {@code {"error": "..."}} JSON body as every other
 * error, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Jetty writes error bodies only for GET, POST and HEAD by default; a PUT or an unknown method gets one too. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        ObjectNode body = Json.object();
        body.put("error", code == 400 && badPercentEncoding(cause) ? BAD_PATH_ENCODING : text(code, message));
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * The answer to a path whose percent-encoding cannot be decoded ({@code /status/%ZZ}, a lone '%'), which Jetty
     * refuses while reading the request line with a bare "400 Bad Request", and Javalin's path parameters (it takes
     * {@code %u0041}, which Jetty lets through) with an exception that was a 500.
     */
    static final String BAD_PATH_ENCODING = "The request could not be read: the path has an invalid percent-encoding"
            + " ('%' must be followed by two hexadecimal digits, as in %2F).";

    /** True when Jetty refused the request because its path has a '%' not followed by two hexadecimal digits. */
    static boolean badPercentEncoding(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            // HttpURI decodes the path while parsing the request line: a bad digit fails TypeUtil.convertHexDigit
            // ("!hex Z"), a '%' too near the end URIUtil.canonicalPath ("Bad URI % encoding")
            if (t instanceof IllegalArgumentException && thrownIn(t, "org.eclipse.jetty.http.HttpURI")
                    && (t instanceof NumberFormatException || String.valueOf(t.getMessage()).contains("% encoding"))) {
                return true;
            }
        }
        return false;
    }

    /** True when one of the frames {@code t} was thrown through belongs to a class whose name starts so. */
    static boolean thrownIn(Throwable t, String classNamePrefix) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith(classNamePrefix)) {
                return true;
            }
        }
        return false;
    }

    private static String text(int code, String message) {
        String reason = org.eclipse.jetty.http.HttpStatus.getMessage(code);
        if (message == null || message.isBlank() || message.equals(reason)) {
            return "HTTP " + code + " " + reason + ".";
        }
        // Jetty's own reason (e.g. "Ambiguous URI empty segment"), never request content beyond a short cap
        String m = message.length() > 200 ? message.substring(0, 200) + "..." : message;
        return "HTTP " + code + " " + reason + ": " + m + ".";
    }
}
