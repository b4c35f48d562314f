package dev.runpodkit.mock.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where webhooks may go. The mock POSTs to any URL a client names, which makes it a server-side request
 * forgery tool if it is exposed to others: by default everything is allowed (it is a local tool bound to
 * 127.0.0.1), and {@code --webhook-allow} / {@code --webhook-deny} narrow it. Patterns are host names
 * ({@code example.com}, {@code *.example.com}), addresses, or CIDR ranges ({@code 10.0.0.0/8}, {@code ::1/128}).
 * Deny wins; with an allow list, anything not on it is denied. Addresses are checked after DNS resolution,
 * so a name cannot smuggle a denied address past a host pattern, and an unspecified address is checked as the
 * loopback address a connection to it reaches.
 */
public final class DestinationGuard {

    private DestinationGuard() {
    }

    /**
     * What {@link #check} decides about a destination. {@link Outcome#UNRESOLVED}: the host does not resolve, so it
     * cannot be judged, but that is no policy decision either; the sender counts it as a failed attempt (tried
     * again), as it does without a guard. {@link Outcome#BLOCKED}: the policy refuses it (not sent, not retried).
     *
     * @param reason null when allowed, otherwise why not, as the journal shows it
     */
    public record Verdict(Outcome outcome, String reason) {

        public enum Outcome { ALLOWED, BLOCKED, UNRESOLVED }

        static final Verdict ALLOWED = new Verdict(Outcome.ALLOWED, null);

        static Verdict blocked(String reason) {
            return new Verdict(Outcome.BLOCKED, reason);
        }

        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    /** How a host that does not resolve is named, by the guard and by the sender when the HTTP client finds it so. */
    public static String unresolved(String host) {
        return "cannot resolve host " + host;
    }

    public static Verdict check(URI url, List<String> allow, List<String> deny) {
        if (allow.isEmpty() && deny.isEmpty()) {
            return Verdict.ALLOWED;
        }
        String host = url.getHost();
        if (host == null) {
            return Verdict.blocked("no host");
        }
        InetAddress[] addresses;
        try {
            addresses = reached(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return new Verdict(Verdict.Outcome.UNRESOLVED, unresolved(host));
        }
        for (String pattern : deny) {
            if (matches(pattern, host, addresses)) {
                return Verdict.blocked("destination " + host + " is denied by '" + pattern + "'");
            }
        }
        if (allow.isEmpty()) {
            return Verdict.ALLOWED;
        }
        for (String pattern : allow) {
            if (matches(pattern, host, addresses)) {
                return Verdict.ALLOWED;
            }
        }
        return Verdict.blocked("destination " + host + " is not on the allow list");
    }

    /**
     * The resolved addresses plus the loopback address each unspecified one stands for: connecting to 0.0.0.0/8
     * reaches 127.0.0.1 and to :: reaches ::1 (this host), so a range that blocks loopback must block them too.
     */
    static InetAddress[] reached(InetAddress[] addresses) {
        java.util.List<InetAddress> all = new java.util.ArrayList<>(List.of(addresses));
        for (InetAddress a : addresses) {
            byte[] b = a.getAddress();
            if (a instanceof java.net.Inet4Address && b[0] == 0) {
                all.add(byAddress(new byte[] {127, 0, 0, 1}));
            } else if (a instanceof java.net.Inet6Address && a.isAnyLocalAddress()) {
                byte[] one = new byte[16];
                one[15] = 1;
                all.add(byAddress(one));
            }
        }
        return all.toArray(new InetAddress[0]);
    }

    private static InetAddress byAddress(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, and these are fixed
        }
    }

    static boolean matches(String pattern, String host, InetAddress[] addresses) {
        String p = pattern.trim().toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            return h.endsWith(p.substring(1));
        }
        if (p.contains("/")) {
            for (InetAddress a : addresses) {
                if (inRange(p, a)) {
                    return true;
                }
            }
            return false;
        }
        if (p.equals(h)) {
            return true;
        }
        for (InetAddress a : addresses) {
            if (p.equals(a.getHostAddress())) {
                return true;
            }
        }
        return false;
    }

    static boolean inRange(String cidr, InetAddress address) {
        int slash = cidr.indexOf('/');
        try {
            byte[] net = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            byte[] addr = address.getAddress();
            if (net.length != addr.length || bits < 0 || bits > net.length * 8) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }

    /** Validates a pattern at start-up, so a typo fails loudly instead of letting everything through. */
    public static void validate(String pattern) {
        String p = pattern.trim();
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty webhook destination pattern");
        }
        if (p.contains("/")) {
            String[] parts = p.split("/", 2);
            try {
                int bits = Integer.parseInt(parts[1]);
                byte[] net = InetAddress.getByName(parts[0]).getAddress();
                if (bits < 0 || bits > net.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in '" + p + "'");
                }
            } catch (NumberFormatException | UnknownHostException e) {
                throw new IllegalArgumentException("bad CIDR range '" + p + "'");
            }
        }
    }
}
