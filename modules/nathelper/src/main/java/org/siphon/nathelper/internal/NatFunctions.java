package org.siphon.nathelper.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.header.Via;
import org.siphon.core.sip.sdp.Sdp;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What nathelper's functions do to a message, with Kamailio's return codes. Malformed input (a
 * Contact that does not parse, an SDP that is no SDP, an alias that is garbage) gives -1 and a
 * debug line: the request is still routed. Stateless apart from the parameters it is given.
 */
final class NatFunctions {

    private static final Logger LOG = LoggerFactory.getLogger(NatFunctions.class);

    /** The parameters the functions read. */
    record Settings(String aliasName, boolean reservedToo, String receivedAvp, String nortpproxy, boolean oldMediaIp) {
    }

    private NatFunctions() {
    }

    private static InetSocketAddress source(SipMessage m) {
        SipSource s = m.source();
        return s == null ? null : s.remote();
    }

    private static String sourceIp(SipMessage m) {
        InetSocketAddress a = source(m);
        return a == null ? null : a.getAddress().getHostAddress();
    }

    private static String transport(SipMessage m) {
        SipSource s = m.source();
        return s == null ? "udp" : s.transport().toLowerCase(Locale.ROOT);
    }

    /** The Contact header field now (with the script's edits) and its first contact, or null. */
    private record FirstContact(SipHeader field, List<NameAddress> all, SipUri uri) {
        String with(NameAddress first) {
            List<String> out = new ArrayList<>();
            out.add(first.toString());
            for (int i = 1; i < all.size(); i++) {
                out.add(all.get(i).toString());
            }
            return String.join(", ", out);
        }
    }

    private static FirstContact firstContact(SipMessage m) {
        SipHeader field = m.header("Contact");
        if (field == null) {
            return null;
        }
        String edited = m.edits().changes("Contact") ? m.edits().valueOf("Contact") : field.value();
        try {
            List<NameAddress> all = NameAddress.parseAll(edited);
            if (all.isEmpty() || all.get(0).isWildcard() || !(all.get(0).uri() instanceof SipUri u)) {
                return null;
            }
            return new FirstContact(field, all, u);
        } catch (RuntimeException e) {
            LOG.debug("nathelper: Contact \"{}\" does not parse: {}", edited, e.getMessage());
            return null;
        }
    }

    /** nat_uac_test(flags): 1 when any selected test says the UA is behind a NAT. */
    static int natUacTest(ActionContext ctx, int flags, boolean reservedToo) {
        SipMessage m = ctx.message();
        InetSocketAddress src = source(m);
        if (src == null) {
            return -1;
        }
        String ip = src.getAddress().getHostAddress();
        Via top = m.topVia();
        FirstContact c = (flags & (1 | 128)) != 0 ? firstContact(m) : null;
        if ((flags & 1) != 0 && c != null && Addresses.isPrivate(c.uri().host(), reservedToo)) {
            return 1;
        }
        if ((flags & 2) != 0 && top != null && !Addresses.same(top.host(), ip)) {
            return 1;
        }
        if ((flags & 4) != 0 && top != null && Addresses.isPrivate(top.host(), reservedToo)) {
            return 1;
        }
        if ((flags & (8 | 256)) != 0) {
            Sdp sdp = sdp(m);
            if (sdp != null) {
                for (String a : sdp.connectionAddresses()) {
                    if ((flags & 8) != 0 && Addresses.isPrivate(a, reservedToo)
                            || (flags & 256) != 0 && !a.equals("0.0.0.0") && !Addresses.same(a, ip)) {
                        return 1;
                    }
                }
            }
        }
        if ((flags & 16) != 0 && top != null && (top.port() > 0 ? top.port() : 5060) != src.getPort()) {
            return 1;
        }
        if ((flags & 32) != 0 && Addresses.isPrivate(ip, reservedToo)) {
            return 1;
        }
        boolean ws = transport(m).startsWith("ws");
        if ((flags & 64) != 0 && ws) {
            return 1;
        }
        if ((flags & 128) != 0 && c != null && c.uri().portOrDefault() != src.getPort()) {
            return 1;
        }
        if ((flags & 512) != 0 && (ws || targetsDiffer(ctx))) {
            return 1;
        }
        return -1;
    }

    /** Test 512: R-URI and $du point elsewhere (requests); the second Via's sent-by is not where it was received from (replies). */
    private static boolean targetsDiffer(ActionContext ctx) {
        SipMessage m = ctx.message();
        if (m instanceof SipRequest r) {
            if (!(ctx.destination() instanceof SipUri du) || !(r.edits().requestUri() instanceof SipUri ru)) {
                return false;
            }
            return !Addresses.same(du.host(), ru.host()) || du.portOrDefault() != ru.portOrDefault();
        }
        if (m instanceof SipResponse && m.vias().size() > 1) {
            Via second = m.vias().get(1);
            String received = second.received();
            return received != null && !Addresses.same(received, second.host())
                    || second.rport() > 0 && second.rport() != (second.port() > 0 ? second.port() : 5060);
        }
        return false;
    }

    /** fix_nated_contact(): the first Contact URI gets the source address and port. */
    static int fixNatedContact(ActionContext ctx) {
        SipMessage m = ctx.message();
        FirstContact c = firstContact(m);
        InetSocketAddress src = source(m);
        if (c == null || src == null) {
            return -1;
        }
        SipUri fixed = c.uri().withHost(hostLiteral(src.getAddress().getHostAddress())).withPort(src.getPort());
        NameAddress first = c.all().get(0);
        m.edits().replace(c.field(), c.with(first.withUri(fixed)));
        return 1;
    }

    private static String hostLiteral(String ip) {
        return ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    }

    /** The source as a URI, {@code sip:ip:port[;transport=tcp]}: what fix_nated_register and add_rcv_param store. */
    static String sourceUri(SipMessage m) {
        InetSocketAddress src = source(m);
        String t = transport(m);
        return "sip:" + hostLiteral(src.getAddress().getHostAddress()) + ":" + src.getPort()
                + (t.equals("udp") ? "" : ";transport=" + t);
    }

    /** fix_nated_register(): the source URI into received_avp, for registrar to keep as the contact's received. */
    static int fixNatedRegister(ActionContext ctx, String receivedAvp) {
        if (receivedAvp == null || receivedAvp.isEmpty() || source(ctx.message()) == null) {
            return -1;
        }
        ctx.avp(avpName(receivedAvp), sourceUri(ctx.message()));
        return 1;
    }

    /** {@code RECEIVED} for {@code $avp(RECEIVED)}, {@code $avp(s:RECEIVED)} or {@code RECEIVED}. */
    static String avpName(String spec) {
        String s = spec.trim();
        if (s.startsWith("$avp(") && s.endsWith(")")) {
            s = s.substring(5, s.length() - 1);
        }
        return s.startsWith("s:") || s.startsWith("i:") ? s.substring(2) : s;
    }

    /** add_rcv_param([flag]): {@code ;received="sip:ip:port"} on every Contact (flag 0) or in the URIs (flag 1, UDP only). */
    static int addRcvParam(ActionContext ctx, boolean inUri) {
        SipMessage m = ctx.message();
        FirstContact c = firstContact(m);
        if (c == null || source(m) == null || inUri && !transport(m).equals("udp")) {
            return -1;
        }
        String rcv = sourceUri(m);
        List<String> out = new ArrayList<>();
        for (NameAddress na : c.all()) {
            if (inUri && na.uri() instanceof SipUri u) {
                out.add(na.withUri(u.withParam("received", rcv)).toString());
            } else {
                out.add(na.withParams(na.params().with("received", "\"" + rcv + "\"")).toString());
            }
        }
        m.edits().replace(c.field(), String.join(", ", out));
        return 1;
    }

    /**
     * add_contact_alias([ip, port, proto]): {@code ;alias=ip~port~proto} in the first Contact URI,
     * the source's or the given one; without arguments only when the source differs from the URI.
     */
    static int addContactAlias(ActionContext ctx, String aliasName, String ip, String port, String proto, boolean trim) {
        SipMessage m = ctx.message();
        FirstContact c = firstContact(m);
        InetSocketAddress src = source(m);
        if (c == null || src == null) {
            return -1;
        }
        Alias alias;
        if (ip == null) {
            alias = new Alias(src.getAddress().getHostAddress(), src.getPort(), transport(m));
            SipUri u = c.uri();
            String uriTransport = u.transport() == null ? "udp" : u.transport().toLowerCase(Locale.ROOT);
            if (!trim && Addresses.same(u.host(), alias.ip()) && u.portOrDefault() == alias.port()
                    && uriTransport.equals(alias.transport())) {
                return 1; // reachable as it says: nothing to add
            }
        } else {
            String t = Alias.transport(proto);
            int p;
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (t == null || p < 1 || p > 65535 || Addresses.ipv4(ip.trim()) < 0 && ip.indexOf(':') < 0) {
                LOG.debug("nathelper: add_contact_alias({}, {}, {}): bad address, port or protocol", ip, port, proto);
                return -1;
            }
            alias = new Alias(ip.trim(), p, t);
        }
        SipUri u = c.uri();
        if (u.params().has(aliasName)) {
            if (!trim) {
                return 1; // already aliased
            }
            u = u.withParams(u.params().without(aliasName));
        }
        m.edits().replace(c.field(), c.with(c.all().get(0).withUri(u.withParam(aliasName, alias.encode()))));
        return 1;
    }

    /** handle_ruri_alias([mode]): 1 $du from the R-URI's alias (removed from it), 2 no alias, -1 a bad one. */
    static int handleRuriAlias(ActionContext ctx, String aliasName, boolean last) {
        if (!(ctx.message() instanceof SipRequest r) || !(r.edits().requestUri() instanceof SipUri ru)) {
            return -1;
        }
        List<java.util.Map.Entry<String, String>> params = ru.params().entries();
        int index = -1;
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i).getKey().equalsIgnoreCase(aliasName)) {
                index = i;
                if (!last) {
                    break;
                }
            }
        }
        if (index < 0) {
            return 2;
        }
        Alias alias;
        try {
            alias = Alias.decode(params.get(index).getValue());
        } catch (IllegalArgumentException e) {
            LOG.debug("nathelper: handle_ruri_alias on {}: {}", ru, e.getMessage());
            return -1;
        }
        List<java.util.Map.Entry<String, String>> kept = new ArrayList<>(params);
        kept.remove(index);
        r.edits().setRequestUri(ru.withParams(Parameters.of(kept)));
        ctx.setDestination(UriParser.parse(alias.uri()));
        return 1;
    }

    /** set_alias_to_pv(target): the first Contact's alias as a URI into {@code $avp(name)}; -1 without one. */
    static int setAliasToPv(ActionContext ctx, String aliasName, String target) {
        FirstContact c = firstContact(ctx.message());
        String v = c == null ? null : c.uri().params().get(aliasName);
        if (v == null) {
            return -1;
        }
        try {
            ctx.avp(avpName(target), Alias.decode(v).uri());
            return 1;
        } catch (IllegalArgumentException e) {
            LOG.debug("nathelper: set_alias_to_pv: {}", e.getMessage());
            return -1;
        }
    }

    /** The message's SDP, or null when it has none or it does not parse (logged at debug). */
    static Sdp sdp(SipMessage m) {
        byte[] body = m.body();
        if (body == null || body.length == 0 || m.contentType() == null
                || !m.contentType().essence().equalsIgnoreCase("application/sdp")) {
            return null;
        }
        try {
            return Sdp.parse(body);
        } catch (IllegalArgumentException e) {
            LOG.debug("nathelper: the body of {} {} is not SDP: {}", m.isRequest() ? ((SipRequest) m).method() : "reply",
                    m.callId(), e.getMessage());
            return null;
        }
    }

    /** fix_nated_sdp(flags[, ip]): 1 when addresses were replaced, 2 when none were, -1 without (valid) SDP. */
    static int fixNatedSdp(ActionContext ctx, int flags, String ip, Settings s) {
        SipMessage m = ctx.message();
        Sdp sdp = sdp(m);
        String address = ip != null && !ip.isBlank() ? ip.trim() : sourceIp(m);
        if (sdp == null || address == null) {
            return -1;
        }
        boolean replaced = false;
        if ((flags & 0x01) != 0 && sdp.attributes("direction").isEmpty()) {
            sdp.addAttribute("direction:active");
        }
        if ((flags & 0x02) != 0) {
            String old = sdp.connectionAddress() != null ? sdp.connectionAddress()
                    : sdp.connectionAddresses().isEmpty() ? null : sdp.connectionAddresses().get(0);
            if (sdp.connectionAddress(address, a -> !a.equals("0.0.0.0") && !a.equals("::")) > 0) {
                replaced = true;
                if (s.oldMediaIp() && old != null && sdp.attributes("oldmediaip").isEmpty()) {
                    sdp.addAttribute("oldmediaip:" + old);
                }
            }
        }
        if ((flags & 0x04) != 0 && !s.nortpproxy().isEmpty() && sdp.attributes(s.nortpproxy().split(":", 2)[0]).isEmpty()) {
            sdp.addAttribute(s.nortpproxy());
        }
        if ((flags & 0x08) != 0 && sdp.originAddress(address)) {
            replaced = true;
        }
        m.edits().setBody(sdp.toBytes(), m.contentType().toString());
        return replaced ? 1 : 2;
    }

    /** The URIs in a Record-Route header value: for $rr_count and $rr_top_count. */
    static long uris(String value) {
        try {
            return NameAddress.parseAll(value).size();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static Uri parseOrNull(String uri) {
        try {
            return UriParser.parse(uri);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
