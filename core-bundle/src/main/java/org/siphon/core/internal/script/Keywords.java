package org.siphon.core.internal.script;

import java.net.Inet6Address;

import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Kamailio's core keywords in expressions: {@code method}, {@code uri}, {@code from_uri},
 * {@code to_uri}, {@code src_ip}, {@code src_port}, {@code dst_ip}, {@code dst_port},
 * {@code proto}, {@code af}, {@code status}, {@code retcode}, {@code msg:len}, the constants
 * {@code INET}, {@code INET6}, {@code UDP}, {@code TCP}, {@code TLS}, {@code SCTP}, {@code WS},
 * {@code WSS}, and the {@code == myself} test.
 */
final class Keywords {

    private Keywords() {
    }

    /** The keyword's expression, or null when {@code word} is not a keyword. */
    static Expr compile(String word) {
        return switch (word) {
            case "method" -> r -> r.message() instanceof SipRequest q ? q.method() : r.message().cseq().method();
            case "uri" -> r -> r.message().edits().requestUri();
            case "from_uri" -> r -> r.message().from() == null ? null : r.message().from().uri();
            case "to_uri" -> r -> r.message().to() == null ? null : r.message().to().uri();
            case "src_ip" -> r -> source(r.message(), true, true);
            case "src_port" -> r -> source(r.message(), true, false);
            case "dst_ip" -> r -> source(r.message(), false, true);
            case "dst_port" -> r -> source(r.message(), false, false);
            case "proto" -> r -> r.message().source() == null ? null : r.message().source().transport().toUpperCase();
            case "af" -> r -> r.message().source() != null && r.message().source().remote().getAddress()
                    instanceof Inet6Address ? "INET6" : "INET";
            case "status" -> r -> r.message() instanceof SipResponse s ? (Object) (long) s.status() : null;
            case "retcode" -> r -> (long) r.retcode;
            case "msg:len" -> r -> (long) r.message().bytes().length;
            case "INET", "INET6", "UDP", "TCP", "TLS", "SCTP", "WS", "WSS" -> r -> word;
            default -> null;
        };
    }

    private static Object source(SipMessage m, boolean remote, boolean ip) {
        if (m.source() == null) {
            return null;
        }
        java.net.InetSocketAddress a = remote ? m.source().remote() : m.source().local();
        return ip ? a.getAddress().getHostAddress() : (Object) (long) a.getPort();
    }

    /** {@code left == myself}: a URI's host and port, or an address, is this server. */
    /**
     * {@code src_ip == 10.0.0.0/8}, {@code dst_ip != 127.0.0.1}: whether the value, an IP address,
     * is in the network (an address alone is a /32).
     */
    static Expr inNetwork(Expr left, String network, boolean negate) {
        int[] net = network(network);
        return r -> {
            Object v = left.eval(r);
            boolean in = false;
            if (v != null) {
                try {
                    int[] ip = network(Values.toText(v));
                    int mask = net[1] == 0 ? 0 : -1 << (32 - net[1]);
                    in = ip[1] == 32 && (ip[0] & mask) == (net[0] & mask);
                } catch (IllegalArgumentException e) {
                    in = false; // not an IPv4 address: never in an IPv4 network
                }
            }
            return in != negate;
        };
    }

    /** {@code a.b.c.d[/bits]} as {address, bits}; throws IllegalArgumentException when it is none. */
    static int[] network(String text) {
        int slash = text.indexOf('/');
        String addr = slash < 0 ? text : text.substring(0, slash);
        int bits = 32;
        if (slash >= 0) {
            bits = Integer.parseInt(text.substring(slash + 1));
        }
        String[] parts = addr.split("\\.", -1);
        if (parts.length != 4 || bits < 0 || bits > 32) {
            throw new IllegalArgumentException("not an IPv4 address or network: " + text);
        }
        int ip = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address or network: " + text);
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address or network: " + text);
            }
            ip = ip << 8 | octet;
        }
        return new int[] { ip, bits };
    }

    static Expr myself(Expr left, boolean negate) {
        return r -> {
            Object v = left.eval(r);
            boolean mine = false;
            if (v instanceof SipUri s) {
                mine = r.core.isMyself(s.host(), s.portOrDefault());
            } else if (v != null) {
                String text = Values.toText(v);
                if (text.startsWith("sip:") || text.startsWith("sips:")) {
                    Uri u = UriParser.parse(text);
                    mine = u instanceof SipUri s && r.core.isMyself(s.host(), s.port() < 0 ? s.portOrDefault() : s.port());
                } else {
                    mine = r.core.isMyself(text, -1);
                }
            }
            return mine != negate;
        };
    }
}
