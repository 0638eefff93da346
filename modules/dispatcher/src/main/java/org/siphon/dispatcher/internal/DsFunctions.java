package org.siphon.dispatcher.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.AuthHeader;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.siphon.dispatcher.internal.DsList.DsSet;

/**
 * The script functions: {@code ds_select_dst}, {@code ds_select_domain}, {@code ds_select},
 * {@code ds_select_routes}, {@code ds_next_dst}, {@code ds_next_domain}, {@code ds_set_dst},
 * {@code ds_set_domain}, {@code ds_mark_dst}, {@code ds_is_from_list}, {@code ds_list_exists},
 * {@code ds_is_active}, {@code ds_reload}. The failover order of a request is kept in its
 * attribute {@link #ATTR} (plain maps, so a transaction started before a module update still
 * fails over after it) and mirrored in {@code $xavp(_dsdst_=>…)}. Thread-safe.
 */
final class DsFunctions {

    /** The message attribute with the destinations still to try, the current one first. */
    static final String ATTR = "dispatcher.dst";

    enum Mode { DST, DOMAIN, XAVP }

    private final DispatcherComponent ds;

    DsFunctions(DispatcherComponent ds) {
        this.ds = ds;
    }

    List<FunctionExport> all() {
        String m = DispatcherComponent.MODULE;
        Set<RouteType> reqFail = Set.of(RouteType.REQUEST, RouteType.FAILURE);
        List<FunctionExport> l = new ArrayList<>();
        for (var e : Map.of("ds_select_dst", Mode.DST, "ds_select_domain", Mode.DOMAIN, "ds_select", Mode.XAVP).entrySet()) {
            l.add(FunctionExport.builder(e.getKey(), m).args(2, 3)
                    .routes(e.getValue() == Mode.XAVP ? RouteType.any() : reqFail)
                    .fixup(a -> new Object[] { integer(a.get(0), "set"), algorithm(a.get(1)),
                        a.size() > 2 ? integer(a.get(2), "limit") : 0 })
                    .description("Picks a destination of set with algorithm alg (0-9, 11-13); 1, or -1 when none is usable.")
                    .handler((c, a) -> select(c, (Integer) a[0], (Integer) a[1], (Integer) a[2], e.getValue())).build());
        }
        l.add(FunctionExport.builder("ds_select_routes", m).args(2, 3).routes(RouteType.any())
                .fixup(a -> new Object[] { rules(a.get(0)), routesMode(a.get(1)), a.size() > 2 ? integer(a.get(2), "limit") : 0 })
                .description("Picks destinations over several sets, rules grp=alg;grp=alg; mode d(st), r(uri) or x(avp).")
                .handler((c, a) -> selectRoutes(c, (int[][]) a[0], (Mode) a[1], (Integer) a[2])).build());
        l.add(noArgs("ds_next_dst", reqFail, "Fails over to the next destination ($du); -1 when none is left.",
                c -> next(c, Mode.DST, true)));
        l.add(noArgs("ds_next_domain", reqFail, "Fails over to the next destination (R-URI host); -1 when none is left.",
                c -> next(c, Mode.DOMAIN, true)));
        l.add(noArgs("ds_set_dst", reqFail, "Sets $du to the current destination.", c -> next(c, Mode.DST, false)));
        l.add(noArgs("ds_set_domain", reqFail, "Sets the R-URI host to the current destination.", c -> next(c, Mode.DOMAIN, false)));
        l.add(FunctionExport.builder("ds_mark_dst", m).args(0, 1).routes(reqFail)
                .fixup(a -> {
                    String s = a.isEmpty() ? "i" : a.get(0);
                    States.parse(s);
                    return new Object[] { s };
                })
                .description("Marks the current destination a(ctive), i(nactive), t(rying) or d(isabled), +p for probing.")
                .handler((c, a) -> mark(c, (String) a[0])).build());
        for (String name : List.of("ds_list_exists", "ds_list_exist")) {
            l.add(FunctionExport.builder(name, m).args(1, 1).routes(RouteType.any())
                    .fixup(a -> new Object[] { integer(a.get(0), "groupid") })
                    .description("1 when the set exists, else -1.")
                    .handler((c, a) -> ds.list().set((Integer) a[0]) != null ? 1 : -1).build());
        }
        l.add(FunctionExport.builder("ds_is_from_list", m).args(0, 3).routes(RouteType.any())
                .fixup(a -> new Object[] { a.isEmpty() ? -1 : integer(a.get(0), "groupid"),
                    a.size() > 1 ? integer(a.get(1), "mode") : 2, a.size() > 2 ? a.get(2) : "" })
                .description("1 when the source address (or uri) is a destination of the set (-1: any set).")
                .handler((c, a) -> isFromList(c, (Integer) a[0], (Integer) a[1], (String) a[2])).build());
        l.add(FunctionExport.builder("ds_is_active", m).args(1, 2).routes(RouteType.any())
                .fixup(a -> new Object[] { integer(a.get(0), "groupid"), a.size() > 1 ? a.get(1) : "" })
                .description("1 when the set has an active destination (or uri is one and active).")
                .handler((c, a) -> isActive((Integer) a[0], (String) a[1])).build());
        l.add(noArgs("ds_reload", RouteType.any(), "Reloads the list (file or table); 1, or -1 when it was refused.",
                c -> ds.reload().startsWith("refused") ? -1 : 1));
        l.add(FunctionExport.builder("ds_load_update", m).args(0, 0).routes(RouteType.any())
                .description("Call load (algorithm 10) is not available in Siphon yet; always -1.").handler((c, a) -> -1).build());
        l.add(FunctionExport.builder("ds_load_unset", m).args(0, 0).routes(RouteType.any())
                .description("Call load (algorithm 10) is not available in Siphon yet; always -1.").handler((c, a) -> -1).build());
        return l;
    }

    private static FunctionExport noArgs(String name, Set<RouteType> routes, String description,
            java.util.function.ToIntFunction<ActionContext> f) {
        return FunctionExport.builder(name, DispatcherComponent.MODULE).args(0, 0).routes(routes).description(description)
                .handler((c, a) -> f.applyAsInt(c)).build();
    }

    static int integer(String v, String what) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be an integer, not '" + v + "'");
        }
    }

    static int algorithm(String v) {
        int alg = integer(v, "alg");
        if (alg == 10) {
            throw new IllegalArgumentException("algorithm 10 (call load) needs call tracking, which Siphon's dispatcher "
                    + "does not have yet; use 4 (round robin), 9 (weight) or 11 (relative weight)");
        }
        return alg;
    }

    static int[][] rules(String v) {
        List<int[]> out = new ArrayList<>();
        for (String r : v.split(";")) {
            if (r.isBlank()) {
                continue;
            }
            int eq = r.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("rule must be grp=alg, not '" + r + "'");
            }
            out.add(new int[] { integer(r.substring(0, eq), "grp"), algorithm(r.substring(eq + 1)) });
        }
        return out.toArray(new int[0][]);
    }

    static Mode routesMode(String v) {
        char c = v.isEmpty() ? '0' : Character.toLowerCase(v.trim().charAt(0));
        return switch (c) {
            case '0', 'd' -> Mode.DST;
            case '1', 'r' -> Mode.DOMAIN;
            case '2', 'x' -> Mode.XAVP;
            default -> throw new IllegalArgumentException("mode must be d(st), r(uri) or x(avp), not '" + v + "'");
        };
    }

    int select(ActionContext c, int setid, int alg, int limit, Mode mode) {
        DispatcherComponent.Config cfg = ds.config;
        if (mode == Mode.DST && cfg.force__dst() == 0 && c.destination() != null) {
            return -1;
        }
        DsSet set = ds.list().set(setid);
        if (set == null || set.size() == 0) {
            DispatcherComponent.LOG.debug("dispatcher: destination set {} not found", setid);
            return -1;
        }
        if (alg == 10) {
            return -1;
        }
        List<Destination> order = ds.selector.select(set, alg, cfg.use__default() != 0, limit, a -> hash(c, a));
        if (order.isEmpty()) {
            return -1;
        }
        if (alg == 12) {
            apply(c, order.get(0).uri(), mode, order.get(0).attr("socket"));
            for (Destination d : order.subList(1, order.size())) {
                branch(c, d, mode);
            }
            return 1;
        }
        List<Map<String, Object>> picks = new ArrayList<>();
        for (Destination d : (cfg.flags() & 2) != 0 ? order : order.subList(0, 1)) {
            picks.add(pick(d));
        }
        keep(c, picks, picks.size());
        if (mode != Mode.XAVP) {
            apply(c, order.get(0).uri(), mode, order.get(0).attr("socket"));
        }
        return 1;
    }

    int selectRoutes(ActionContext c, int[][] rules, Mode mode, int limit) {
        DispatcherComponent.Config cfg = ds.config;
        List<Map<String, Object>> picks = new ArrayList<>();
        for (int[] r : rules) {
            DsSet set = ds.list().set(r[0]);
            if (set == null) {
                continue;
            }
            for (Destination d : ds.selector.select(set, r[1], cfg.use__default() != 0, 0, a -> hash(c, a))) {
                picks.add(pick(d));
            }
        }
        if (limit > 0 && picks.size() > limit) {
            picks = new ArrayList<>(picks.subList(0, limit));
        }
        if (picks.isEmpty()) {
            return -1;
        }
        keep(c, (cfg.flags() & 2) != 0 ? picks : picks.subList(0, 1), picks.size());
        if (mode != Mode.XAVP) {
            apply(c, (String) picks.get(0).get("uri"), mode, (String) picks.get(0).get("sock"));
        }
        return 1;
    }

    /** The xavp item Kamailio fills for a destination, as plain values. */
    private Map<String, Object> pick(Destination d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("grp", (long) d.setid());
        m.put("uri", d.uri());
        String socket = d.attr("socket");
        if (socket != null) {
            m.put("sock", socket);
        }
        int mode = ds.config.xavp__dst__mode();
        if ((mode & 2) != 0 && socket != null) {
            m.put("socket", socket);
        }
        if ((mode & 4) != 0 && d.attr("sockname") != null) {
            m.put("sockname", d.attr("sockname"));
        }
        if (!d.duid().isEmpty()) {
            m.put("dstid", d.duid());
        }
        if ((mode & 1) == 0) {
            m.put("attrs", d.attrs().isEmpty() && ds.config.ds__attrs__none() != 0 ? "none=yes" : d.attrs());
        }
        return m;
    }

    private static final List<String> XAVP_FIELDS = List.of("grp", "uri", "sock", "socket", "sockname", "dstid", "attrs");

    /** Keeps the failover order in the message and writes it to the xavps. */
    private void keep(ActionContext c, List<Map<String, Object>> picks, int count) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> before = (List<Map<String, Object>>) c.attribute(ATTR);
        List<Map<String, Object>> now = List.copyOf(picks);
        c.attribute(ATTR, now);
        String root = ds.config.xavp__dst();
        int old = before == null ? 0 : before.size();
        for (int i = 0; i < Math.max(old, now.size()); i++) {
            Map<String, Object> p = i < now.size() ? now.get(i) : Map.of();
            for (String f : XAVP_FIELDS) {
                Object v = p.get(f);
                if (v == null && i >= old) {
                    continue; // nothing there to clear: most destinations have no sock, socket, sockname, dstid
                }
                if (i == 0) {
                    ds.pvs.xavp(c, root, -1, f, v);
                }
                ds.pvs.xavp(c, root, i, f, v);
            }
        }
        if (count >= 0 && (ds.config.xavp__ctx__mode() & 1) == 0) {
            ds.pvs.xavp(c, ds.config.xavp__ctx(), -1, "cnt", (long) count);
        }
    }

    private void apply(ActionContext c, String uri, Mode mode) {
        apply(c, uri, mode, null);
    }

    /** Sets $du (or the R-URI's host) to the destination, and its {@code socket} attribute as the send socket. */
    private void apply(ActionContext c, String uri, Mode mode, String socket) {
        if (socket != null && !socket.isBlank()) {
            c.setSendSocket(socket);
        }
        SipUri u = UriParser.parseSip(uri);
        if (mode == Mode.DST) {
            c.setDestination(u);
        } else if (mode == Mode.DOMAIN && c.message() instanceof SipRequest r) {
            r.edits().setRequestUri(withHostOf(r.edits().requestUri(), u));
        }
    }

    private static Uri withHostOf(Uri ruri, SipUri dst) {
        if (ruri instanceof SipUri r) {
            return r.withHost(dst.host()).withPort(dst.port());
        }
        return dst;
    }

    private void branch(ActionContext c, Destination d, Mode mode) {
        if (!(c.message() instanceof SipRequest r)) {
            return;
        }
        Uri ruri = r.edits().requestUri();
        if (mode == Mode.DOMAIN) {
            c.branches().add(Branch.of(withHostOf(ruri, d.sipUri())));
        } else {
            c.branches().add(new Branch(ruri, d.sipUri(), null, -1, 0));
        }
    }

    /** ds_next_* (drop the current destination, take the next) and ds_set_* (take the current). */
    int next(ActionContext c, Mode mode, boolean advance) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) c.attribute(ATTR);
        if (list == null || list.isEmpty() || advance && list.size() < 2) {
            return -1;
        }
        List<Map<String, Object>> rest = advance ? list.subList(1, list.size()) : list;
        keep(c, rest, -1);
        apply(c, (String) rest.get(0).get("uri"), mode, (String) rest.get(0).get("sock"));
        return 1;
    }

    int mark(ActionContext c, String state) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) c.attribute(ATTR);
        if (list == null || list.isEmpty()) {
            return -1;
        }
        Map<String, Object> cur = list.get(0);
        int setid = ((Number) cur.get("grp")).intValue();
        String uri = (String) cur.get("uri");
        return ds.setState(setid, d -> d.uri().equals(uri), state) > 0 ? 1 : -1;
    }

    int isActive(int setid, String uri) {
        DsSet set = ds.list().set(setid);
        if (set == null) {
            return -1;
        }
        for (Destination d : set.destinations()) {
            if ((uri.isEmpty() || sameAddress(d.sipUri(), uri)) && (ds.states.flags(d) & States.STATE_BITS & ~Destination.PROBING) == 0) {
                return 1;
            }
        }
        return -1;
    }

    private static boolean sameAddress(SipUri a, String uri) {
        try {
            SipUri b = UriParser.parseSip(uri);
            return a.hostAddress().equals(b.hostAddress()) && a.portOrDefault() == b.portOrDefault();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    int isFromList(ActionContext c, int setid, int mode, String uri) {
        String ip;
        int port;
        String proto;
        if (uri == null || uri.isEmpty()) {
            SipSource s = c.message().source();
            if (s == null) {
                return -1;
            }
            ip = s.remote().getAddress().getHostAddress();
            port = s.remote().getPort();
            proto = s.transport() == null ? "udp" : s.transport().toLowerCase();
        } else {
            SipUri u;
            try {
                u = UriParser.parseSip(uri);
            } catch (IllegalArgumentException e) {
                return -1;
            }
            ip = address(u.hostAddress());
            port = u.portOrDefault();
            proto = u.transport() == null ? "udp" : u.transport();
        }
        if (ip == null) {
            return -1;
        }
        for (Destination d : ds.list().all()) {
            if (setid != -1 && d.setid() != setid || (d.flags() & Destination.NODNS) != 0) {
                continue;
            }
            String dip = address(d.sipUri().hostAddress());
            if (dip == null || !dip.equals(ip)) {
                continue;
            }
            if ((mode & 1) == 0 && d.sipUri().portOrDefault() != port) {
                continue;
            }
            String dproto = d.sipUri().transport() == null ? "udp" : d.sipUri().transport();
            if ((mode & 2) == 0 && !dproto.equalsIgnoreCase(proto)) {
                continue;
            }
            if ((mode & 4) != 0 && !ds.states.usable(d)) {
                continue;
            }
            ds.pvs.assign(c, ds.config.setid__pvname(), (long) d.setid());
            ds.pvs.assign(c, ds.config.attrs__pvname(), d.attrs());
            return 1;
        }
        return -1;
    }

    /**
     * The address of a host as text: IP literals as they are (normalised), {@code localhost} as
     * 127.0.0.1; null for other names (Siphon does not resolve them here, see the README).
     */
    static String address(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return "127.0.0.1";
        }
        boolean literal = host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch));
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }

    /** The hash an algorithm needs, or {@link Selector#NO_HASH}. */
    int hash(ActionContext c, int alg) {
        SipMessage m = c.message();
        int flags = ds.config.flags();
        try {
            switch (alg) {
                case 0 -> {
                    return m.callId() == null ? Selector.NO_HASH : Hashes.hash(m.callId(), null);
                }
                case 1 -> {
                    return m.from() == null ? Selector.NO_HASH : Hashes.uri(m.from().uri(), flags);
                }
                case 2 -> {
                    return m.to() == null ? Selector.NO_HASH : Hashes.uri(m.to().uri(), flags);
                }
                case 3 -> {
                    return m instanceof SipRequest r ? Hashes.uri(r.edits().requestUri(), flags) : Selector.NO_HASH;
                }
                case 5 -> {
                    for (String h : List.of("Proxy-Authorization", "Authorization")) {
                        SipHeader hdr = m.header(h);
                        if (hdr != null) {
                            String user = AuthHeader.parse(hdr.value()).param("username");
                            if (user != null && !user.isEmpty()) {
                                return Hashes.hash(user, null);
                            }
                        }
                    }
                    return Selector.NO_HASH;
                }
                case 7 -> {
                    List<String> parts = ds.hashPvar;
                    String v = parts.isEmpty() ? null : Pvs.expand(c, parts);
                    if (v == null) {
                        DispatcherComponent.LOG.warn("dispatcher: algorithm 7 needs the parameter hash_pvar");
                        return Selector.NO_HASH;
                    }
                    return Hashes.hash(v, null);
                }
                default -> {
                    return 0;
                }
            }
        } catch (IllegalArgumentException e) {
            return Selector.NO_HASH;
        }
    }
}
