package dev.runpodkit.conformance.support;

import java.util.Collection;
import java.util.Locale;

/** Blanks API keys and s3Config secrets before anything reaches a report. */
public final class Redactor {

    private Redactor() {
    }

    public static String header(String name, String value) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("authorization") || n.contains("api-key") || n.equals("cookie") || n.equals("set-cookie")) {
            return "***";
        }
        return value;
    }

    public static String redact(String text, Collection<String> secrets) {
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "***");
            }
        }
        return out;
    }
}
