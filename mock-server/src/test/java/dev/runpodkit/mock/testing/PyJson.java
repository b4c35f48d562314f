package dev.runpodkit.mock.testing;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Python's {@code json.dumps} with its default separators ({@code ", "} and {@code ": "}), so a Java worker
 * posts the same bytes as runpod-python: results with {@code ensure_ascii=False} (rp_http), the error
 * report inside an error string with the default {@code ensure_ascii=True} (rp_job).
 */
public final class PyJson {

    private PyJson() {
    }

    public static String dumps(JsonNode node, boolean ensureAscii) {
        StringBuilder sb = new StringBuilder();
        write(sb, node, ensureAscii);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode node, boolean ascii) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isObject()) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, e.getKey(), ascii);
                sb.append(": ");
                write(sb, e.getValue(), ascii);
            }
            sb.append('}');
        } else if (node.isArray()) {
            sb.append('[');
            Iterator<JsonNode> it = node.iterator();
            while (it.hasNext()) {
                write(sb, it.next(), ascii);
                if (it.hasNext()) {
                    sb.append(", ");
                }
            }
            sb.append(']');
        } else if (node.isTextual()) {
            string(sb, node.stringValue(), ascii);
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            sb.append(node.bigIntegerValue());
        } else if (node.isNumber()) {
            sb.append(pyFloat(node.doubleValue()));
        } else {
            string(sb, node.asString(), ascii);
        }
    }

    /** json.dumps string escaping: quote, backslash, \n \r \t \b \f, other controls as \\u00xx; with ensure_ascii, all but space..~. */
    static void string(StringBuilder sb, String s, boolean ascii) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || (ascii && c > 0x7e)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Python's repr of a float: 1.0, 0.5, 1e-05, 1e+16, 12345678.0. */
    static String pyFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = bd.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }
}
