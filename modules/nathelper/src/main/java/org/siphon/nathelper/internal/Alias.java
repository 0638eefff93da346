package org.siphon.nathelper.internal;

import java.util.List;
import java.util.Locale;

/**
 * The {@code ;alias=ip~port~proto} Contact URI parameter of nathelper: where a NATed UA really
 * is, carried in its Contact so that in-dialog requests find it ({@code handle_ruri_alias}).
 * The transport is Kamailio's protocol number (1 UDP, 2 TCP, 3 TLS, 4 SCTP, 5 WS, 6 WSS).
 */
record Alias(String ip, int port, String transport) {

    private static final List<String> PROTOCOLS = List.of("udp", "tcp", "tls", "sctp", "ws", "wss");

    /** {@code 192.0.2.1~5060~1}; an IPv6 address in brackets. */
    String encode() {
        String h = ip.indexOf(':') >= 0 && !ip.startsWith("[") ? "[" + ip + "]" : ip;
        return h + "~" + port + "~" + (PROTOCOLS.indexOf(transport.toLowerCase(Locale.ROOT)) + 1);
    }

    /** The URI requests to the aliased UA go to: {@code sip:ip:port[;transport=x]}. */
    String uri() {
        String h = ip.indexOf(':') >= 0 && !ip.startsWith("[") ? "[" + ip + "]" : ip;
        return "sip:" + h + ":" + port + (transport.equals("udp") ? "" : ";transport=" + transport);
    }

    /** Parses a value; throws IllegalArgumentException saying what is wrong (garbage from the network). */
    static Alias decode(String value) {
        String[] p = value == null ? new String[0] : value.split("~", -1);
        if (p.length != 3 || p[0].isEmpty()) {
            throw new IllegalArgumentException("alias \"" + value + "\" is not ip~port~proto");
        }
        int port;
        int proto;
        try {
            port = Integer.parseInt(p[1]);
            proto = Integer.parseInt(p[2]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("alias \"" + value + "\" has a bad port or protocol");
        }
        String ip = p[0].startsWith("[") && p[0].endsWith("]") ? p[0].substring(1, p[0].length() - 1) : p[0];
        boolean literal = Addresses.ipv4(ip) >= 0 || ip.matches("[0-9A-Fa-f:.]+") && ip.indexOf(':') >= 0;
        if (!literal || port < 1 || port > 65535 || proto < 1 || proto > PROTOCOLS.size()) {
            throw new IllegalArgumentException("alias \"" + value + "\": address, port or protocol out of range");
        }
        return new Alias(ip, port, PROTOCOLS.get(proto - 1));
    }

    /** A transport name from Kamailio's protocol name or number ("tcp", "2"); null when unknown. */
    static String transport(String proto) {
        String p = proto.trim().toLowerCase(Locale.ROOT);
        if (p.matches("\\d")) {
            int n = Integer.parseInt(p);
            return n >= 1 && n <= PROTOCOLS.size() ? PROTOCOLS.get(n - 1) : null;
        }
        return PROTOCOLS.contains(p) ? p : null;
    }
}
