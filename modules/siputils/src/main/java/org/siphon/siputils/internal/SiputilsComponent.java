package org.siphon.siputils.internal;

import java.util.List;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.TelUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Module {@code siputils}: {@code has_totag}, {@code is_request}, {@code is_reply},
 * {@code is_first_hop}, {@code options_reply}, {@code uri_param}, {@code add_uri_param},
 * {@code is_e164}, {@code is_uri_user_e164}, {@code cmp_uri}, {@code cmp_aor}, with Kamailio's
 * return codes (1 true, -1 false; errors -1 too unless said otherwise).
 */
@Component(immediate = true)
public class SiputilsComponent implements SiphonModule {

    static final String MODULE = "siputils";
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{1,14}");

    /** How {@code options_reply} answers: statelessly through the core. */
    interface Replier {
        void reply(SipRequest request, int status, String reason);
    }

    /**
     * The core, not sl's API: a module that imports another module's package is wired to that
     * bundle and restarted when it is updated; siputils needs no more than a stateless reply.
     */
    @Reference
    private SipCore core;
    private final Replier replier;

    public SiputilsComponent() {
        this.replier = (req, status, reason) -> core.reply(req, status, reason, List.of());
    }

    /** For tests. */
    SiputilsComponent(Replier replier) {
        this.replier = replier;
    }

    /** Kamailio's is_first_hop() for a reply: our Record-Route on top, and not a loop through one of our own sockets. */
    private boolean replyFirstHop(ActionContext ctx) {
        org.siphon.core.sip.SipHeader rr = ctx.message().header("Record-Route");
        org.siphon.core.sip.SipSource src = ctx.message().source();
        if (rr == null || src == null || src.remote() == null) {
            return false;
        }
        try {
            String first = org.siphon.core.sip.header.HeaderText.splitCommas(rr.value()).get(0);
            if (!(org.siphon.core.sip.header.NameAddress.parse(first).uri() instanceof SipUri u)
                    || !core.isMyself(u.host(), u.portOrDefault())) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false;
        }
        return !core.isMyself(src.remote().getAddress().getHostAddress(), src.remote().getPort());
    }

    @Override
    public String name() {
        return MODULE;
    }

    private static FunctionExport.Builder f(String name, int min, int max) {
        return FunctionExport.builder(name, MODULE).args(min, max).routes(RouteType.any());
    }

    private static int truth(boolean b) {
        return b ? 1 : -1;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
            f("has_totag", 0, 0).description("1 when the To header has a tag (the request is in a dialog).")
                .handler((ctx, a) -> truth(ctx.message().toTag() != null)).build(),
            f("is_request", 0, 0).description("1 for a request.").handler((ctx, a) -> truth(ctx.message().isRequest())).build(),
            f("is_reply", 0, 0).description("1 for a reply.").handler((ctx, a) -> truth(!ctx.message().isRequest())).build(),
            f("is_first_hop", 0, 1).description("1 when the request has a single Via (it comes straight from its UA), "
                    + "or the reply's top Record-Route is ours and it did not come from one of our sockets.")
                .handler((ctx, a) -> truth(ctx.message().isRequest() ? ctx.message().vias().size() == 1 : replyFirstHop(ctx))).build(),
            FunctionExport.builder("options_reply", MODULE).args(0).routes(RouteType.REQUEST)
                .description("Answers an OPTIONS for this server 200; -1 for other requests.")
                .handler((ctx, a) -> optionsReply(ctx)).build(),
            f("uri_param", 1, 2).description("1 when the R-URI has the parameter (with the value, if given).")
                .handler((ctx, a) -> uriParam(ctx, (String) a[0], a.length > 1 ? (String) a[1] : null)).build(),
            FunctionExport.builder("add_uri_param", MODULE).args(1).routes(RouteType.REQUEST)
                .description("Adds name[=value] to the R-URI's parameters.")
                .handler((ctx, a) -> addUriParam(ctx, (String) a[0])).build(),
            f("is_e164", 1, 1).description("1 when the text is an E.164 number (+ and 2–15 digits).")
                .handler((ctx, a) -> truth(E164.matcher(String.valueOf(a[0])).matches())).build(),
            f("is_uri_user_e164", 1, 1).description("1 when the URI's user part is an E.164 number.")
                .handler((ctx, a) -> isUriUserE164(String.valueOf(a[0]))).build(),
            f("cmp_uri", 2, 2).description("1 when the two URIs are equivalent (RFC 3261 §19.1.4).")
                .handler((ctx, a) -> compare(String.valueOf(a[0]), String.valueOf(a[1]), false)).build(),
            f("cmp_aor", 2, 2).description("1 when the two URIs name the same address of record (user and host).")
                .handler((ctx, a) -> compare(String.valueOf(a[0]), String.valueOf(a[1]), true)).build());
    }

    private int optionsReply(ActionContext ctx) {
        if (!(ctx.message() instanceof SipRequest req) || !req.isMethod(SipMethods.OPTIONS)
                || req.requestUri() instanceof SipUri u && u.user() != null) {
            return -1;
        }
        replier.reply(req, 200, "OK");
        return 1;
    }

    private static int uriParam(ActionContext ctx, String name, String value) {
        Uri u = ctx.message().edits().requestUri();
        if (!(u instanceof SipUri s)) {
            return -1;
        }
        String v = s.params().get(name);
        return truth(v != null && (value == null || value.equals(v)));
    }

    private static int addUriParam(ActionContext ctx, String param) {
        Uri u = ctx.message().edits().requestUri();
        if (!(u instanceof SipUri s) || param.isBlank()) {
            return -1;
        }
        int eq = param.indexOf('=');
        ctx.message().edits().setRequestUri(s.withParam(eq < 0 ? param : param.substring(0, eq),
                eq < 0 ? "" : param.substring(eq + 1)));
        return 1;
    }

    private static int isUriUserE164(String uri) {
        try {
            Uri u = UriParser.parse(uri);
            String user = u instanceof SipUri s ? s.userDecoded() : u instanceof TelUri t ? t.number() : null;
            return user == null ? -1 : truth(E164.matcher(user).matches());
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    private static int compare(String a, String b, boolean aorOnly) {
        try {
            Uri x = UriParser.parse(a.trim());
            Uri y = UriParser.parse(b.trim());
            if (!(x instanceof SipUri sx) || !(y instanceof SipUri sy)) {
                return truth(x.toString().equalsIgnoreCase(y.toString()));
            }
            if (aorOnly) {
                return truth(java.util.Objects.equals(sx.userDecoded(), sy.userDecoded())
                        && sx.hostAddress().equals(sy.hostAddress()));
            }
            return truth(UriParser.equivalent(sx, sy));
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

}
