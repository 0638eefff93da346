package org.siphon.nathelper.internal;

/**
 * Address tests of nathelper: private (RFC 1918), shared (RFC 6598) and reserved IPv4 ranges, as
 * {@code nat_addr_mode} selects them. Only IPv4 literals can be private; names and IPv6 are not.
 * Stateless.
 */
final class Addresses {

    /** {@code {network, prefix length}}: RFC 1918, RFC 6598, RFC 7335's /29. */
    private static final long[][] PRIVATE = { { ip(10, 0, 0, 0), 8 }, { ip(172, 16, 0, 0), 12 }, { ip(192, 168, 0, 0), 16 },
            { ip(100, 64, 0, 0), 10 }, { ip(192, 0, 0, 0), 29 } };

    /** nat_addr_mode 1 adds 192.0.0.0/24 (IETF protocol assignments). */
    private static final long[] RESERVED = { ip(192, 0, 0, 0), 24 };

    private Addresses() {
    }

    private static long ip(int a, int b, int c, int d) {
        return ((long) a << 24) | (b << 16) | (c << 8) | d;
    }

    /** The IPv4 literal as a number, or -1 when it is none. */
    static long ipv4(String host) {
        if (host == null) {
            return -1;
        }
        String[] p = host.trim().split("\\.", -1);
        if (p.length != 4) {
            return -1;
        }
        long v = 0;
        for (String s : p) {
            if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int n = Integer.parseInt(s);
            if (n > 255) {
                return -1;
            }
            v = v << 8 | n;
        }
        return v;
    }

    /** Whether {@code host} is a private or shared IPv4 address ({@code reserved}: 192.0.0.0/24 too). */
    static boolean isPrivate(String host, boolean reserved) {
        long v = ipv4(host);
        if (v < 0) {
            return false;
        }
        for (long[] net : PRIVATE) {
            if (in(v, net)) {
                return true;
            }
        }
        return reserved && in(v, RESERVED);
    }

    private static boolean in(long v, long[] net) {
        long mask = (0xffffffffL << (32 - net[1])) & 0xffffffffL;
        return (v & mask) == net[0];
    }

    /** The same address written two ways ({@code [::1]} and {@code ::1}, case) counts as one. */
    static boolean same(String a, String b) {
        return a != null && b != null && strip(a).equalsIgnoreCase(strip(b));
    }

    private static String strip(String h) {
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
