package org.siphon.core.internal.script;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.header.Via;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;

/**
 * The common part of Kamailio's select framework, for {@code $sel(...)} and {@code @...}:
 * {@code ruri[.user|.host|.port|.params]}, {@code from|to[.uri|.tag|.name|.user|.host]},
 * {@code call_id}, {@code cseq[.num|.method]}, {@code via[n][.host|.port|.branch|.received|.rport|.transport]},
 * {@code msg.len}, {@code @hf_value.<header>} and {@code hf.<header>} (the header's value), and
 * {@code cfg_get.group.name} (a custom cfg variable, {@link CfgVars}).
 * Compiled once per script; evaluation reads the message.
 */
final class Selects {

    /** A compiled select. */
    @FunctionalInterface
    interface Select {
        Object get(SipMessage m);
    }

    private static final Pattern VIA = Pattern.compile("via(?:\\[(\\d+)])?(?:\\.(\\w+))?");

    private Selects() {
    }

    static Select compile(String spec) {
        String s = spec.startsWith("@") ? spec.substring(1) : spec;
        String lower = s.toLowerCase();
        if (lower.startsWith("hf_value.") || lower.startsWith("hf.")) {
            String header = SipHeaderNames.canonical(s.substring(s.indexOf('.') + 1));
            return m -> {
                SipHeader h = m.header(header);
                return h == null ? null : h.value();
            };
        }
        if (lower.startsWith("cfg_get.")) {
            String var = s.substring("cfg_get.".length());
            if (!var.matches("\\w+\\.\\w+")) {
                throw new IllegalArgumentException("cfg_get needs group.name, not " + var);
            }
            return m -> CfgVars.get(var);
        }
        Matcher via = VIA.matcher(lower);
        if (via.matches()) {
            int index = via.group(1) == null ? 0 : Integer.parseInt(via.group(1)) - 1;
            String part = via.group(2) == null ? "" : via.group(2);
            return m -> {
                List<Via> vias = m.vias();
                if (index < 0 || index >= vias.size()) {
                    return null;
                }
                Via v = vias.get(index);
                return switch (part) {
                    case "" -> v.toString();
                    case "host" -> v.host();
                    case "port" -> v.port() < 0 ? null : (Object) (long) v.port();
                    case "branch" -> v.branch();
                    case "received" -> v.received();
                    case "rport" -> v.rport() < 0 ? null : (Object) (long) v.rport();
                    case "transport" -> v.transport();
                    default -> null;
                };
            };
        }
        return switch (lower) {
            case "ruri", "ruri.user", "ruri.host", "ruri.port", "ruri.params" -> m -> uriPart(
                    m instanceof SipRequest r ? m.edits().requestUri() : null, lower.substring(4));
            case "from", "from.uri", "from.tag", "from.name", "from.user", "from.host" -> m -> addressPart(m.from(), lower.substring(4));
            case "to", "to.uri", "to.tag", "to.name", "to.user", "to.host" -> m -> addressPart(m.to(), lower.substring(2));
            case "call_id" -> SipMessage::callId;
            case "cseq", "cseq.num" -> m -> m.cseq() == null ? null : (Object) m.cseq().number();
            case "cseq.method" -> m -> m.cseq() == null ? null : m.cseq().method();
            case "msg.len" -> m -> (long) m.bytes().length;
            default -> throw new IllegalArgumentException("unknown select " + spec);
        };
    }

    private static Object uriPart(Uri u, String part) {
        if (part.isEmpty()) {
            return u == null ? null : u.toString();
        }
        if (!(u instanceof SipUri s)) {
            return null;
        }
        return switch (part) {
            case ".user" -> s.user();
            case ".host" -> s.host();
            case ".port" -> s.port() < 0 ? null : (Object) (long) s.port();
            default -> s.params().toString();
        };
    }

    private static Object addressPart(NameAddress a, String part) {
        if (a == null) {
            return null;
        }
        return switch (part) {
            case "", ".uri" -> String.valueOf(a.uri());
            case ".tag" -> a.tag();
            case ".name" -> a.displayName();
            default -> uriPart(a.uri(), part);
        };
    }
}
