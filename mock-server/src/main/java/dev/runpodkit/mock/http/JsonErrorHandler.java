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
        body.put("error", text(code, message));
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
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
