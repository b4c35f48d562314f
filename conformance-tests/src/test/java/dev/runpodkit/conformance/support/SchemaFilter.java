package dev.runpodkit.conformance.support;

import dev.runpodkit.conformance.target.Target;
import dev.runpodkit.schemas.Schemas;
import io.qameta.allure.Allure;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every response the suite sees passes through here: it is validated against the schema of its route
 * (schemas/json/), and the exchange is attached to the Allure report with keys and secrets blanked. A
 * response that breaks its schema fails the check that received it.
 */
public final class SchemaFilter implements Filter {

    private record Route(Pattern path, String schema) { }

    /** Route → schema of its 2xx answers. Every 4xx/5xx answer must match "error". */
    private static final List<Route> ROUTES = List.of(
            new Route(Pattern.compile(".*/runsync$"), "runsync-response"),
            new Route(Pattern.compile(".*/run$"), "run-response"),
            new Route(Pattern.compile(".*/status-sync/[^/]+$"), "job-status"),
            new Route(Pattern.compile(".*/status/[^/]+$"), "job-status"),
            new Route(Pattern.compile(".*/stream/[^/]+$"), "stream-response"),
            new Route(Pattern.compile(".*/cancel/[^/]+$"), "cancel-response"),
            new Route(Pattern.compile(".*/retry/[^/]+$"), "retry-response"),
            new Route(Pattern.compile(".*/purge-queue$"), "purge-queue-response"),
            new Route(Pattern.compile(".*/health$"), "health-response"),
            new Route(Pattern.compile(".*/job-take/[^/]+$"), "worker-job"),
            new Route(Pattern.compile(".*/job-take-batch/[^/]+$"), "worker-job-batch"),
            new Route(Pattern.compile(".*/job-stop/[^/]+$"), "worker-stop"),
            new Route(Pattern.compile(".*/job-done/[^/]+/[^/]+$"), "worker-ack"),
            new Route(Pattern.compile(".*/job-stream/[^/]+/[^/]+$"), "worker-ack"),
            new Route(Pattern.compile(".*/ping/[^/]+$"), "worker-ack"));

    /** The mock's admin API (only on this project's mock). reset and faults answer no schema'd body. */
    private static final List<Route> ADMIN_ROUTES = List.of(
            new Route(Pattern.compile(".*/__admin/settings$"), "admin-settings"),
            new Route(Pattern.compile(".*/__admin/clock(/(advance|freeze|resume|scale))?$"), "admin-clock"),
            new Route(Pattern.compile(".*/__admin/jobs$"), "admin-jobs"),
            new Route(Pattern.compile(".*/__admin/jobs/[^/]+$"), "admin-job"),
            new Route(Pattern.compile(".*/__admin/defects$"), "admin-defects"));

    private final Target target;

    public SchemaFilter(Target target) {
        this.target = target;
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
                           FilterContext ctx) {
        Response response = ctx.next(request, responseSpec);
        String path = URI.create(request.getURI()).getPath();
        String body = response.getBody() == null ? "" : response.getBody().asString();
        int status = response.getStatusCode();
        attach(request, response, path, body);
        String schema = schemaFor(request.getMethod(), path, status);
        if (schema != null) {
            List<String> violations = Schemas.load().validate(schema, body);
            if (!violations.isEmpty()) {
                java.util.Optional<Catalogue.Decision> declared = target.otherReadings().governing(schema, Catalogue.load());
                if (declared.isPresent()) {
                    // the target said it reads this decision otherwise, and the decision settles this very shape
                    throw new org.opentest4j.TestAbortedException("The " + status + " answer to " + request.getMethod()
                            + " " + path + " does not match schema '" + schema + "', whose shape " + declared.get().id()
                            + " settles; the target declares another reading of it (runpod.readings), so this check is"
                            + " skipped: " + String.join("; ", violations));
                }
                throw new AssertionError("The " + status + " answer to " + request.getMethod() + " " + path
                        + " does not match schema '" + schema + "': " + String.join("; ", violations)
                        + "\nbody: " + Redactor.redact(abbreviate(body), target.secrets()));
            }
        }
        return response;
    }

    /** The schema a response must match, or null when the route has none (HEAD, admin reset and faults). */
    static String schemaFor(String method, String path, int status) {
        if ("HEAD".equalsIgnoreCase(method)) {
            return null;
        }
        if (status >= 400) {
            return "error";
        }
        if (status < 200 || status >= 300) {
            return null;
        }
        for (Route r : path.contains("/__admin/") ? ADMIN_ROUTES : ROUTES) {
            if (r.path().matcher(path).matches()) {
                return r.schema();
            }
        }
        return null;
    }

    private void attach(FilterableRequestSpecification request, Response response, String path, String body) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.getMethod()).append(' ').append(request.getURI()).append('\n');
        for (Header h : request.getHeaders()) {
            sb.append(h.getName()).append(": ").append(Redactor.header(h.getName(), h.getValue())).append('\n');
        }
        Object reqBody = request.getBody();
        if (reqBody != null) {
            sb.append('\n').append(abbreviate(String.valueOf(reqBody))).append('\n');
        }
        sb.append("\n--> ").append(response.getStatusLine()).append('\n');
        for (Header h : response.getHeaders()) {
            sb.append(h.getName()).append(": ").append(Redactor.header(h.getName(), h.getValue())).append('\n');
        }
        sb.append('\n').append(abbreviate(body)).append('\n');
        String text = Redactor.redact(sb.toString(), target.secrets());
        try {
            Allure.addAttachment(request.getMethod() + " " + path + " -> " + response.getStatusCode(), "text/plain", text, ".txt");
        } catch (RuntimeException ignored) {
            // outside a test (no Allure context): nothing to attach to
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 8_000 ? s : s.substring(0, 8_000) + "... (" + s.length() + " chars)";
    }
}
