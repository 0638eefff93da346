package org.siphon.permissions.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals without DNS: {@link #parse} reads an IPv4 dotted quad or an IPv6 address (bare or in
 * brackets, no zone) and never looks a name up, so a host name or a malformed address yields null
 * instead of a resolver call. {@link #inSubnet} compares prefixes byte by byte. Stateless.
 */
final class IpAddresses {

    private IpAddresses() {
    }

    /** The address's bytes (4 or 16), or null when {@code text} is not an IP literal. */
    static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
            return s.indexOf(':') >= 0 ? v6(s) : null;
        }
        return s.indexOf(':') >= 0 ? v6(s) : v4(s);
    }

    /** Whether {@code text} looks like an IP address (digits and dots only, or a colon): then it must parse. */
    static boolean looksLikeIp(String text) {
        String s = text.trim();
        return s.indexOf(':') >= 0 || s.startsWith("[") || !s.isEmpty() && s.chars().allMatch(c -> c == '.' || c >= '0' && c <= '9');
    }

    private static byte[] v4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] v6(String s) {
        // only hex digits, colons and the dots of an embedded IPv4 tail: the JDK then parses a literal
        // (its first character is a hex digit or a colon) and never asks the resolver
        if (s.isEmpty() || !s.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
            return null;
        }
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            if (b.length == 4) { // ::ffff:a.b.c.d comes back as IPv4; keep it IPv6 as written
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(b, 0, mapped, 12, 4);
                return mapped;
            }
            return b;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** The bytes of a socket address, IPv4-mapped IPv6 turned into IPv4 (how a dual-stack socket reports v4 peers). */
    static byte[] of(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 16 && isMapped(b)) {
            byte[] v4 = new byte[4];
            System.arraycopy(b, 12, v4, 0, 4);
            return v4;
        }
        return b;
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** {@code address} with the bits after {@code bits} cleared. */
    static byte[] network(byte[] address, int bits) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    /** Whether {@code address} is in {@code network}/{@code bits} (same family only). */
    static boolean inSubnet(byte[] address, byte[] network, int bits) {
        if (address.length != network.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int m = 0xff << (8 - rest) & 0xff;
        return (address[full] & m) == (network[full] & m);
    }

    /** The text form: dotted quad, or the JDK's full IPv6 form compressed at the longest zero run. */
    static String format(byte[] b) {
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | b[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
