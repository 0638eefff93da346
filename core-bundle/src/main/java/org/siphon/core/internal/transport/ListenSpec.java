package org.siphon.core.internal.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One {@code listen=} value, as Kamailio writes it: {@code [proto:]addr[:port] [advertise host[:port]]}.
 * Without a protocol it stands for UDP and TCP; without a port, 5060. IPv6 addresses are written
 * in brackets ({@code udp:[::1]:5060}).
 *
 * @param proto         {@code udp}, {@code tcp} or {@code tls}
 * @param host          the address to bind, without brackets
 * @param port          the port to bind
 * @param advertiseHost the host to put in Via/Record-Route instead of the bound address, or null
 * @param advertisePort the port to advertise, or 0 for the bound one
 */
public record ListenSpec(String proto, String host, int port, String advertiseHost, int advertisePort) {

    /** The transports Siphon can listen on. */
    public static final List<String> PROTOCOLS = List.of("udp", "tcp", "tls");
    /** What a {@code listen=} without a protocol stands for. */
    static final List<String> DEFAULT_PROTOCOLS = List.of("udp", "tcp");

    /** Parses one {@code listen=} value into one spec per protocol. */
    public static List<ListenSpec> parse(String text) {
        String t = text.trim();
        String advertise = null;
        int adv = t.toLowerCase(Locale.ROOT).indexOf(" advertise ");
        if (adv >= 0) {
            advertise = t.substring(adv + " advertise ".length()).trim();
            t = t.substring(0, adv).trim();
        }
        List<String> protos = DEFAULT_PROTOCOLS;
        int colon = t.indexOf(':');
        if (colon > 0 && !t.startsWith("[")) {
            String first = t.substring(0, colon).toLowerCase(Locale.ROOT);
            if (PROTOCOLS.contains(first)) {
                protos = List.of(first);
                t = t.substring(colon + 1);
            } else if (List.of("sctp", "ws", "wss").contains(first)) {
                throw new IllegalArgumentException("listen: protocol " + first + " is not supported yet in \"" + text + "\"");
            }
        }
        String[] hp = hostPort(t, protos.equals(List.of("tls")) ? 5061 : 5060, text);
        String advHost = null;
        int advPort = 0;
        if (advertise != null) {
            String[] a = hostPort(advertise, 0, text);
            advHost = a[0];
            advPort = Integer.parseInt(a[1]);
        }
        List<ListenSpec> specs = new ArrayList<>();
        for (String p : protos) {
            specs.add(new ListenSpec(p, hp[0], Integer.parseInt(hp[1]), advHost, advPort));
        }
        return specs;
    }

    private static String[] hostPort(String t, int defaultPort, String whole) {
        String host;
        String port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("listen: unclosed IPv6 address in \"" + whole + "\"");
            }
            host = t.substring(1, close);
            if (close + 1 < t.length()) {
                if (t.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("listen: bad text after IPv6 address in \"" + whole + "\"");
                }
                port = t.substring(close + 2);
            }
        } else {
            int c = t.indexOf(':');
            host = c < 0 ? t : t.substring(0, c);
            port = c < 0 ? null : t.substring(c + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("listen: no address in \"" + whole + "\"");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("listen: bad port in \"" + whole + "\"");
            }
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("listen: port out of range in \"" + whole + "\"");
            }
        }
        return new String[] { host, Integer.toString(p) };
    }

    /** The host for Via and Record-Route: advertised, else bound (IPv6 in brackets). */
    public String viaHost() {
        String h = advertiseHost != null ? advertiseHost : host;
        return h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h;
    }

    /** The port for Via and Record-Route. */
    public int viaPort(int boundPort) {
        return advertisePort > 0 ? advertisePort : boundPort;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return proto + ":" + h + ":" + port + (advertiseHost != null ? " advertise " + advertiseHost
                + (advertisePort > 0 ? ":" + advertisePort : "") : "");
    }
}
