package org.siphon.permissions.internal;

import java.net.InetSocketAddress;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The module's functions. Arguments may hold pseudo-variables (the core formats them per call and
 * hands them to the fixup then), so a fixup never throws on a value: an argument that is not a
 * number where one is needed makes the call log a WARN line and return -1, as Kamailio does at run
 * time. Stateless apart from the component it reads.
 */
final class Checks {

    private static final Logger LOG = LoggerFactory.getLogger(Checks.class);
    private static final Set<RouteType> REQUEST_FAILURE = EnumSet.of(RouteType.REQUEST, RouteType.FAILURE);

    /** An argument that should have been a number, kept for the log line. */
    record Bad(String what, String text) {
    }

    private final PermissionsComponent p;

    Checks(PermissionsComponent p) {
        this.p = p;
    }

    List<FunctionExport> all() {
        String m = PermissionsComponent.MODULE;
        return List.of(
                FunctionExport.builder("allow_source_address", m).args(0, 1).routes(REQUEST_FAILURE)
                        .fixup(a -> new Object[] { a.isEmpty() ? (Object) 1 : group(a.get(0)) })
                        .description("1 when the source address and port are in the group (default 1) of the "
                                + "address table; -1 when not.")
                        .handler((c, a) -> sourceAddress(c, a[0])).build(),
                FunctionExport.builder("allow_address", m).args(3, 3).routes(REQUEST_FAILURE)
                        .fixup(a -> new Object[] { group(a.get(0)), a.get(1), port(a.get(2)) })
                        .description("1 when the address (IP or DNS name) and port (0: any) are in the group; -1 when not.")
                        .handler((c, a) -> address(c, a[0], (String) a[1], a[2])).build(),
                FunctionExport.builder("allow_source_address_group", m).args(0, 0).routes(REQUEST_FAILURE)
                        .description("The group of the first address-table row the source address and port match; "
                                + "-1 when none.")
                        .handler((c, a) -> sourceGroup(c)).build(),
                FunctionExport.builder("allow_address_group", m).args(2, 2).routes(RouteType.any())
                        .fixup(a -> new Object[] { a.get(0), port(a.get(1)) })
                        .description("The group of the first address-table row the address and port match; -1 when none.")
                        .handler((c, a) -> addressGroup(c, (String) a[0], a[1])).build(),
                FunctionExport.builder("allow_trusted", m).args(0, 3).routes(REQUEST_FAILURE)
                        .fixup(a -> a.toArray())
                        .description("1 (peer_tag_mode 1: the number of matches) when a trusted row matches source "
                                + "address, transport, From URI and Request-URI; -1 when none.")
                        .handler(this::trusted).build());
    }

    /** A group: an integer of 1 or more, else a {@link Bad}. */
    static Object group(String s) {
        try {
            int g = Integer.parseInt(s.trim());
            return g >= 1 ? (Object) g : new Bad("group", s);
        } catch (NumberFormatException e) {
            return new Bad("group", s);
        }
    }

    /** A port: 0..65535 (empty: 0), else a {@link Bad}. */
    static Object port(String s) {
        String t = s.trim();
        if (t.isEmpty()) {
            return 0;
        }
        try {
            int port = Integer.parseInt(t);
            return port >= 0 && port <= 65535 ? (Object) port : new Bad("port", s);
        } catch (NumberFormatException e) {
            return new Bad("port", s);
        }
    }

    private static boolean bad(String function, Object... args) {
        for (Object a : args) {
            if (a instanceof Bad b) {
                LOG.warn("permissions: {}(): the {} \"{}\" is not valid; returning -1", function, b.what(), b.text());
                return true;
            }
        }
        return false;
    }

    private static InetSocketAddress source(ActionContext c) {
        SipSource s = c.message() == null ? null : c.message().source();
        return s == null ? null : s.remote();
    }

    private int sourceAddress(ActionContext c, Object group) {
        InetSocketAddress src = source(c);
        if (bad("allow_source_address", group) || src == null) {
            return -1;
        }
        AddressRow r = p.address.get().match((Integer) group, IpAddresses.of(src.getAddress()), src.getPort());
        return tagged(c, r) ? 1 : -1;
    }

    private int address(ActionContext c, Object group, String ip, Object port) {
        if (bad("allow_address", group, port)) {
            return -1;
        }
        AddressRow r = p.address.get().match((Integer) group, ip, (Integer) port);
        return tagged(c, r) ? 1 : -1;
    }

    private int sourceGroup(ActionContext c) {
        InetSocketAddress src = source(c);
        if (src == null) {
            return -1;
        }
        AddressRow r = p.address.get().match(0, IpAddresses.of(src.getAddress()), src.getPort());
        return tagged(c, r) ? r.group() : -1;
    }

    private int addressGroup(ActionContext c, String ip, Object port) {
        if (bad("allow_address_group", port)) {
            return -1;
        }
        AddressRow r = p.address.get().match(0, ip, (Integer) port);
        return tagged(c, r) ? r.group() : -1;
    }

    /** Sets peer_tag_avp to the row's tag when both are there; true when there is a row. */
    private boolean tagged(ActionContext c, AddressRow r) {
        if (r == null) {
            return false;
        }
        setTag(c, r.tag());
        return true;
    }

    private void setTag(ActionContext c, String tag) {
        String avp = p.settings.peerTagAvp();
        if (avp != null && tag != null) {
            c.avp(avp, tag);
        }
    }

    private int trusted(ActionContext c, Object[] a) throws SQLException {
        if (a.length == 1) {
            LOG.warn("permissions: allow_trusted() takes no argument, or src_ip and proto [and furi]; returning -1");
            return -1;
        }
        SipMessage m = c.message();
        if (!(m instanceof SipRequest req)) {
            return -1;
        }
        String srcIp;
        String proto;
        if (a.length == 0) {
            InetSocketAddress src = source(c);
            if (src == null) {
                return -1;
            }
            srcIp = src.getAddress().getHostAddress();
            proto = m.source().transport();
        } else {
            srcIp = ((String) a[0]).trim();
            proto = ((String) a[1]).trim();
        }
        String from = a.length == 3 ? (String) a[2] : m.from() == null || m.from().uri() == null ? null
                : m.from().uri().toString();
        String ruri = req.edits().requestUri() == null ? null : req.edits().requestUri().toString();
        PermissionsComponent.Settings s = p.settings;
        List<TrustedRow> matches;
        if (s.config().db__mode() == 1) {
            matches = p.trusted.get().match(TrustedTable.key(srcIp), proto, from, ruri);
        } else {
            p.trustedQueries.increment();
            Set<String> forms = new LinkedHashSet<>(List.of(srcIp, TrustedTable.key(srcIp)));
            matches = TrustedTable.match(s.db().trustedFor(forms), srcIp, proto, from, ruri);
        }
        if (matches.isEmpty()) {
            return -1;
        }
        if (s.config().peer__tag__mode() == 1) {
            matches.forEach(r -> setTag(c, r.tag()));
            return matches.size();
        }
        setTag(c, matches.get(0).tag());
        return 1;
    }
}
