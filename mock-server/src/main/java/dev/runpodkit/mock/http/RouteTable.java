package dev.runpodkit.mock.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Routes declared as a table of path → method → handler. Installing the table also answers every other
 * method on a known path with 405 and an {@code Allow} header (RFC 9110 §15.5.6), which Javalin does not do
 * by itself.
 */
final class RouteTable {

    private static final List<HandlerType> METHODS = List.of(
            HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE,
            HandlerType.HEAD, HandlerType.OPTIONS);

    private final Map<String, Map<HandlerType, Handler>> routes = new LinkedHashMap<>();

    RouteTable get(String path, Handler handler) {
        return on(HandlerType.GET, path, handler);
    }

    RouteTable post(String path, Handler handler) {
        return on(HandlerType.POST, path, handler);
    }

    RouteTable getAndPost(String path, Handler handler) {
        return get(path, handler).post(path, handler);
    }

    RouteTable on(HandlerType method, String path, Handler handler) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, handler);
        return this;
    }

    /**
     * @param methodNotAllowed handler for a known path with the wrong method; it receives the Allow value
     *                         as the request attribute {@code allow}
     */
    void install(JavalinConfig config, Handler methodNotAllowed) {
        routes.forEach((path, byMethod) -> {
            if (byMethod.containsKey(HandlerType.GET) && !byMethod.containsKey(HandlerType.HEAD)) {
                byMethod.put(HandlerType.HEAD, byMethod.get(HandlerType.GET));
            }
            String allow = byMethod.keySet().stream().map(HandlerType::name).collect(Collectors.joining(", "));
            for (HandlerType method : METHODS) {
                Handler h = byMethod.get(method);
                if (h != null) {
                    config.routes.addHttpHandler(method, path, h);
                } else {
                    config.routes.addHttpHandler(method, path, ctx -> {
                        ctx.attribute("allow", allow);
                        methodNotAllowed.handle(ctx);
                    });
                }
            }
        });
    }
}
