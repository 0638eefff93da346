package org.siphon.rr.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Module {@code rr}: {@code record_route([params])}, {@code record_route_preset(uri)},
 * {@code loose_route()}, {@code add_rr_param(params)}, {@code check_route_param(re)},
 * {@code is_direction(dir)} with Kamailio's parameters {@code enable_full_lr} and
 * {@code append_fromtag}. The Record-Route names the socket the request came in on; loose routing
 * follows RFC 3261 §16.4 (a Request-URI that is ours from a strict router is replaced by the last
 * Route) and §16.12 (our top Route is removed; a next loose-routing hop becomes {@code $du}).
 */
@Component(immediate = true, configurationPid = "org.siphon.rr", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RrComponent.Config.class)
public class RrComponent implements SiphonModule {

    static final String MODULE = "rr";
    static final String ADDED = "rr.added";
    static final String ROUTE = "rr.route";

    @ObjectClassDefinition(name = "Siphon module rr")
    public @interface Config {
        @AttributeDefinition(description = "Write ;lr=on instead of ;lr (default 0)")
        int enable__full__lr() default 0;

        @AttributeDefinition(description = "Add ;ftag=<From tag> to the Record-Route, for is_direction (default 0)")
        int append__fromtag() default 0;

        @AttributeDefinition(description = "Two Record-Route values when the request leaves through another socket (default 1)")
        int enable__double__rr() default 1;
    }

    @Reference
    private SipCore core;
    @Reference
    private StatefulCore sockets;

    /** The parameters, replaced whole by {@code cfg.reload}: a Record-Route reads them once. */
    record Settings(boolean fullLr, boolean appendFromtag, boolean doubleRr) {

        String lr() {
            return fullLr ? ";lr=on" : ";lr";
        }
    }

    private volatile Settings settings = new Settings(false, false, true);

    public RrComponent() {
    }

    /** For tests. */
    RrComponent(SipCore core) {
        this.core = core;
    }

    @Activate
    void activate(Config config) {
        settings = settings(config);
    }

    /** {@code cfg.reload} with changed parameters: every one applies to the next Record-Route. */
    @Modified
    void modified(Config config) {
        settings = settings(config);
    }

    private static Settings settings(Config c) {
        return new Settings(c.enable__full__lr() != 0, c.append__fromtag() != 0, c.enable__double__rr() != 0);
    }

    @Override
    public String name() {
        return MODULE;
    }

    private static FunctionExport.Builder f(String name, int min, int max) {
        return FunctionExport.builder(name, MODULE).args(min, max).routes(RouteType.REQUEST, RouteType.BRANCH,
                RouteType.FAILURE);
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
            f("record_route", 0, 1).description("Adds Record-Route with this server's address (and params).")
                .handler((ctx, a) -> recordRoute(ctx, a.length > 0 ? String.valueOf(a[0]) : "")).build(),
            f("record_route_preset", 1, 2).description("Adds Record-Route with the given address.")
                .handler((ctx, a) -> addRecordRoute(ctx, "<" + uri(String.valueOf(a[0])) + settings.lr() + ">")).build(),
            f("loose_route", 0, 0).description("Routes by the Route headers; 1 when there were any, -1 otherwise.")
                .handler((ctx, a) -> looseRoute(ctx)).build(),
            f("add_rr_param", 1, 1).description("Adds ;params to the Record-Route this server added.")
                .handler((ctx, a) -> addParam(ctx, String.valueOf(a[0]))).build(),
            f("check_route_param", 1, 1).fixup(a -> new Object[] { Pattern.compile(a.get(0)) })
                .description("1 when the parameters of the Route loose_route() took match the regex.")
                .handler((ctx, a) -> checkParam(ctx, (Pattern) a[0])).build(),
            f("is_direction", 1, 1).fixup(a -> {
                String d = a.get(0).trim();
                if (!d.equals("downstream") && !d.equals("upstream")) {
                    throw new IllegalArgumentException("direction must be downstream or upstream, not \"" + d + "\"");
                }
                return new Object[] { d };
            }).description("Compares the ftag of our Route with the From tag: downstream when equal.")
                .handler((ctx, a) -> direction(ctx, (String) a[0])).build());
    }

    private static String uri(String text) {
        return text.startsWith("sip:") || text.startsWith("sips:") ? text : "sip:" + text;
    }

    private int recordRoute(ActionContext ctx, String params) {
        Settings s = settings;
        SipSource src = ctx.message().source();
        if (src == null || src.local() == null) {
            return -1;
        }
        String advertised = sockets == null ? null : sockets.advertised(src);
        StringBuilder sb = new StringBuilder("<sip:");
        if (advertised != null) {
            sb.append(advertised);
        } else {
            InetSocketAddress local = src.local();
            String host = local.getAddress().getHostAddress();
            sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host).append(':').append(local.getPort());
        }
        if (!"udp".equals(src.transport())) {
            // RFC 7118 names WS and WSS alike transport=ws in a URI, as Kamailio writes it
            sb.append(";transport=").append("wss".equals(src.transport()) ? "ws" : src.transport());
        }
        sb.append(s.lr());
        if (s.appendFromtag() && ctx.message().fromTag() != null) {
            sb.append(";ftag=").append(ctx.message().fromTag());
        }
        if (!params.isEmpty()) {
            sb.append(params.startsWith(";") ? params : ";" + params);
        }
        if (s.doubleRr()) {
            ctx.attribute(ActionContext.DOUBLE_RECORD_ROUTE, Boolean.TRUE);
        }
        return addRecordRoute(ctx, sb.append('>').toString());
    }

    /** The Record-Route field this request added, and the value it has now (after add_rr_param). */
    private record Added(SipHeader field, String value) {
    }

    private static int addRecordRoute(ActionContext ctx, String value) {
        SipHeader h = ctx.message().edits().insertFirst(SipHeaderNames.RECORD_ROUTE, value);
        ctx.attribute(ADDED, new Added(h, value));
        return 1;
    }

    /** {@code add_rr_param}: the parameters go on the URI of the Record-Route this request added, after its own. */
    private static int addParam(ActionContext ctx, String params) {
        if (!(ctx.attribute(ADDED) instanceof Added a)) {
            return -1;
        }
        String p = params.startsWith(";") ? params : ";" + params;
        NameAddress added;
        Uri extra;
        try {
            added = NameAddress.parse(a.value());
            extra = UriParser.parse("sip:x" + p); // the core's parser reads the parameter list
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (!(added.uri() instanceof SipUri uri) || !(extra instanceof SipUri e)) {
            return -1;
        }
        List<java.util.Map.Entry<String, String>> all = new java.util.ArrayList<>(uri.params().entries());
        all.addAll(e.params().entries());
        String next = added.withUri(uri.withParams(Parameters.of(all))).toString();
        // a field added by an edit is replaced by a new one, which the edit list does not hand back:
        // take ours out and add it again, first as it was, so that a further add_rr_param finds it
        ctx.message().edits().remove(a.field());
        // in a branch_route tm's copy of the request has our field parsed in already (not as an edit)
        SipHeader parsed = ctx.message().header(SipHeaderNames.RECORD_ROUTE);
        if (parsed != null && parsed != a.field() && parsed.value().equals(a.value())) {
            ctx.message().edits().remove(parsed);
        }
        SipHeader field = ctx.message().edits().insertFirst(SipHeaderNames.RECORD_ROUTE, next);
        ctx.attribute(ADDED, new Added(field, next));
        return 1;
    }

    private int looseRoute(ActionContext ctx) {
        SipMessage m = ctx.message();
        List<NameAddress> routes;
        try {
            routes = m.routes();
        } catch (IllegalArgumentException e) {
            return -1;
        }
        if (routes.isEmpty()) {
            return -1;
        }
        Uri ruri = m.edits().requestUri();
        if (ruri instanceof SipUri r && core.isMyself(r.host(), r.portOrDefault())) {
            // a strict router before us put our Record-Route into the Request-URI: the real target is the last Route
            m.edits().setRequestUri(routes.get(routes.size() - 1).uri());
            removeRoutes(m, java.util.Set.of(routes.size() - 1));
            ctx.attribute(ROUTE, r);
            return 1;
        }
        NameAddress top = routes.get(0);
        if (top.uri() instanceof SipUri t && core.isMyself(t.host(), t.portOrDefault())) {
            ctx.attribute(ROUTE, t);
            int ours = 1;
            if (t.params().has("r2") && routes.size() > 1 && routes.get(1).uri() instanceof SipUri second
                    && core.isMyself(second.host(), second.portOrDefault())) {
                ours = 2; // double Record-Route: both values name this server
            }
            java.util.Set<Integer> remove = ours == 2 ? java.util.Set.of(0, 1) : java.util.Set.of(0);
            if (routes.size() > ours && !(routes.get(ours).uri() instanceof SipUri n && n.isLooseRouter())) {
                m.edits().setRequestUri(routes.get(ours).uri());
                java.util.Set<Integer> all = new java.util.HashSet<>(remove);
                all.add(ours);
                removeRoutes(m, all);
                return 1;
            }
            removeRoutes(m, remove);
            if (routes.size() > ours) {
                ctx.setDestination(routes.get(ours).uri());
            }
            return 1;
        }
        if (top.uri() instanceof SipUri t && t.isLooseRouter()) {
            ctx.setDestination(t);
        }
        return 1;
    }

    /** Removes the Route values at {@code indexes} (across header fields and comma lists) in one edit per field. */
    private static void removeRoutes(SipMessage m, java.util.Set<Integer> indexes) {
        int seen = 0;
        for (SipHeader h : m.headers(SipHeaderNames.ROUTE)) {
            List<NameAddress> values = NameAddress.parseAll(h.value());
            StringBuilder kept = new StringBuilder();
            boolean changed = false;
            for (int i = 0; i < values.size(); i++) {
                if (indexes.contains(seen + i)) {
                    changed = true;
                } else {
                    kept.append(kept.length() == 0 ? "" : ", ").append(values.get(i));
                }
            }
            if (changed) {
                if (kept.length() == 0) {
                    m.edits().remove(h);
                } else {
                    m.edits().replace(h, kept.toString());
                }
            }
            seen += values.size();
        }
    }

    private static int checkParam(ActionContext ctx, Pattern p) {
        return ctx.attribute(ROUTE) instanceof SipUri u && p.matcher(u.params().toString()).find() ? 1 : -1;
    }

    private static int direction(ActionContext ctx, String dir) {
        if (!(ctx.attribute(ROUTE) instanceof SipUri u) || u.params().get("ftag") == null) {
            return -1;
        }
        boolean downstream = u.params().get("ftag").equals(ctx.message().fromTag());
        return downstream == dir.equals("downstream") ? 1 : -1;
    }
}
