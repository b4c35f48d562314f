package dev.runpodkit.mock;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * The one place that makes a URL fit to show: credentials in its user-info ({@code http://user:pw@host}) become
 * {@code ***@}, and the values of query parameters that look like credentials (a presigned URL's
 * {@code X-Amz-Signature}, {@code X-Amz-Credential}, any {@code token}, {@code secret}, {@code password} ...)
 * become {@code ***}. Used wherever a client-supplied URL reaches an answer, a webhook, the journal or a log:
 * webhook URLs and s3Config endpoint URLs.
 */
public final class Redaction {

    /** Query parameter names whose values are credentials (matched case-insensitively, anywhere in the name). */
    private static final Pattern SECRET_PARAM = Pattern.compile(
            "(?i).*(signature|credential|token|secret|passw|pwd|api[-_]?key|access[-_]?key|auth).*|sig|key");

    private Redaction() {
    }

    /** The URL without credentials; null stays null. Text that is no URL is redacted as far as it looks like one. */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        try {
            return url(new URI(url));
        } catch (URISyntaxException e) {
            return roughly(url);
        }
    }

    /** The URL without credentials. */
    public static String url(URI url) {
        String authority = url.getRawAuthority();
        if (authority == null) {
            return url.getRawQuery() == null ? url.toString() : roughly(url.toString());
        }
        StringBuilder out = new StringBuilder();
        if (url.getScheme() != null) {
            out.append(url.getScheme()).append(':');
        }
        out.append("//");
        // the authority, not getUserInfo(): a host Java cannot parse (an underscore) leaves getUserInfo() null
        int at = authority.lastIndexOf('@');
        out.append(at < 0 ? authority : "***" + authority.substring(at));
        if (url.getRawPath() != null) {
            out.append(url.getRawPath());
        }
        if (url.getRawQuery() != null) {
            out.append('?').append(query(url.getRawQuery()));
        }
        if (url.getRawFragment() != null) {
            out.append('#').append(url.getRawFragment());
        }
        return out.toString();
    }

    /**
     * For text {@link URI} rejects: everything between "//" and the last '@' goes (more than the user-info,
     * perhaps, never less), then credential-looking query values.
     */
    private static String roughly(String text) {
        String out = text;
        int start = out.indexOf("//");
        int at = out.lastIndexOf('@');
        if (start >= 0 && at > start) {
            out = out.substring(0, start + 2) + "***" + out.substring(at);
        }
        int q = out.indexOf('?');
        if (q >= 0) {
            int hash = out.indexOf('#', q);
            String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
            out = out.substring(0, q + 1) + query(query) + (hash < 0 ? "" : out.substring(hash));
        }
        return out;
    }

    private static String query(String query) {
        StringBuilder out = new StringBuilder();
        for (String pair : query.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && SECRET_PARAM.matcher(name).matches()) {
                out.append(name).append("=***");
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }
}
