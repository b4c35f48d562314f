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
        refuseOverlaps();
        routes.forEach((path, byMethod) -> {
            if (byMethod.containsKey(HandlerType.GET) && !byMethod.containsKey(HandlerType.HEAD)) {
                byMethod.put(HandlerType.HEAD, byMethod.get(HandlerType.GET));
            }
            byMethod.forEach((method, h) -> config.routes.addHttpHandler(method, path, h));
        });
        // The 405 answers go after every real route: Javalin tries a method's routes in the order they were added,
        // one path pattern (a regex) at a time, so a GET /status would otherwise first be tested against the 405
        // GET routes of /run and /runsync. No two paths here match the same URL, so the order changes no answer.
        routes.forEach((path, byMethod) -> {
            String allow = allowOf(byMethod);
            for (HandlerType method : METHODS) {
                if (!byMethod.containsKey(method)) {
                    config.routes.addHttpHandler(method, path, ctx -> {
                        ctx.attribute("allow", allow);
                        methodNotAllowed.handle(ctx);
                    });
                }
            }
        });
    }

    /**
     * The Allow value of the route whose path matches {@code path} (trailing slashes ignored), or null when no route
     * does. For methods Javalin has no route type for (TRACE, or one it does not know), which otherwise read as an
     * unknown route.
     */
    String allowedOn(String path) {
        String trimmed = path.replaceAll("/+$", "");
        for (Map.Entry<String, Map<HandlerType, Handler>> route : routes.entrySet()) {
            if (matches(route.getKey(), trimmed)) {
                return allowOf(route.getValue());
            }
        }
        return null;
    }

    private static String allowOf(Map<HandlerType, Handler> byMethod) {
        return byMethod.keySet().stream().map(HandlerType::name).collect(Collectors.joining(", "));
    }

    /** Whether the URL path matches the route path: as many segments, each the same text or a non-empty {parameter}. */
    static boolean matches(String routePath, String path) {
        String[] r = routePath.split("/", -1);
        String[] p = path.split("/", -1);
        if (r.length != p.length) {
            return false;
        }
        for (int k = 0; k < r.length; k++) {
            boolean parameter = r[k].startsWith("{");
            if (parameter ? p[k].isEmpty() : !r[k].equals(p[k])) {
                return false;
            }
        }
        return true;
    }

    /** The 405 routes' place at the end is sound only if no URL matches two paths: checked, not assumed. */
    private void refuseOverlaps() {
        List<String> paths = List.copyOf(routes.keySet());
        for (int i = 0; i < paths.size(); i++) {
            for (int j = i + 1; j < paths.size(); j++) {
                if (overlap(paths.get(i), paths.get(j))) {
                    throw new IllegalStateException("routes " + paths.get(i) + " and " + paths.get(j) + " match the same URLs");
                }
            }
        }
    }

    /** Whether some URL matches both paths: as many segments, each pair the same text or one a {parameter}. */
    static boolean overlap(String a, String b) {
        String[] x = a.split("/");
        String[] y = b.split("/");
        if (x.length != y.length) {
            return false;
        }
        for (int k = 0; k < x.length; k++) {
            if (!x[k].equals(y[k]) && !x[k].startsWith("{") && !y[k].startsWith("{")) {
                return false;
            }
        }
        return true;
    }
}
