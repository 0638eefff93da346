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
