package org.siphon.xhttp.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.EventRoutes;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.NonSipHandler;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipRequest;
import org.siphon.xhttp.XhttpApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code xhttp}, as Kamailio's: an HTTP/1.x request that arrives on a SIP TCP listener
 * (the core hands it over as a non-SIP message) runs {@code event_route[xhttp:request]}, where
 * {@code $hu} is its URL and {@code xhttp_reply(code, reason, ctype, body)} answers it; the
 * connection stays open for the next request (HTTP/1.1 keep-alive) unless the client asks to
 * close it. {@code url_skip} and {@code url_match} choose the URLs the route sees; the others,
 * and requests the route leaves unanswered, get {@code 404 Not Found}.
 */
@Component(immediate = true, configurationPid = "org.siphon.xhttp", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = { SiphonModule.class, NonSipHandler.class, XhttpApi.class })
@Designate(ocd = XhttpComponent.Config.class)
public class XhttpComponent implements SiphonModule, NonSipHandler, XhttpApi {

    static final Logger LOG = LoggerFactory.getLogger(XhttpComponent.class);
    static final String MODULE = "xhttp";
    static final String EVENT = "xhttp:request";
    /** The attribute of the route's context saying whether the request was answered. */
    static final String ANSWERED = "xhttp.answered";

    @ObjectClassDefinition(name = "Siphon module xhttp")
    public @interface Config {
        @AttributeDefinition(description = "Regular expression: URLs it finds are not routed to event_route[xhttp:request] (default none)")
        String url__skip() default "";

        @AttributeDefinition(description = "Regular expression: only URLs it finds are routed to event_route[xhttp:request] (default all); url_skip wins")
        String url__match() default "";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " Siphon has no KEMI scripts; event_route[xhttp:request] runs")
        String event__callback() default "";
    }

    record Urls(Pattern skip, Pattern match) {
        boolean routed(String url) {
            return (skip == null || !skip.matcher(url).find()) && (match == null || match.matcher(url).find());
        }
    }

    @Reference
    SipCore core;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventRoutes eventRoutes;

    private volatile Urls urls = new Urls(null, null);
    private final AtomicInteger running = new AtomicInteger();

    @Activate
    void activate(Config config) {
        urls = urls(config);
    }

    /** {@code cfg.reload} with changed patterns: they apply from the next request; a bad one keeps the old. */
    @Modified
    void modified(Config config) {
        try {
            urls = urls(config);
        } catch (IllegalArgumentException e) {
            LOG.error("xhttp: {}; the previous url_skip/url_match stay", e.getMessage());
        }
    }

    static Urls urls(Config c) {
        return new Urls(pattern("url_skip", c.url__skip()), pattern("url_match", c.url__match()));
    }

    private static Pattern pattern(String param, String regex) {
        if (regex == null || regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(param + " \"" + regex + "\" is no regular expression: " + e.getDescription());
        }
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public int inFlight() {
        return running.get();
    }

    @Override
    public boolean handle(SipRequest request) {
        EventRoutes routes = eventRoutes;
        if (routes == null || !routes.has(EVENT) || !urls.routed(request.target())) {
            return false;
        }
        AtomicBoolean answered = new AtomicBoolean();
        running.incrementAndGet();
        try {
            routes.run(EVENT, request, Map.of(ANSWERED, answered));
        } finally {
            running.decrementAndGet();
        }
        if (!answered.get()) {
            LOG.debug("xhttp: event_route[{}] did not answer {} {}: 404", EVENT, request.method(), request.target());
            send(request, 404, "Not Found", "text/plain", "404 Not Found\n");
        }
        return true;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("xhttp_reply", MODULE).args(4).routes(RouteType.EVENT)
                .fixup(XhttpComponent::replyArgs)
                .description("Answers the HTTP request with code, reason, content type and body (pseudo-variables expanded); "
                        + "1, or -1 when there is no HTTP request to answer.")
                .handler((ctx, args) -> reply(ctx, status((String) args[0]), (String) args[1], (String) args[2],
                        (String) args[3])).build());
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(PseudoVariableExport.builder("hu", MODULE)
                .description("The URL of the HTTP request (path and query), null for SIP")
                .getter((ctx, name) -> ctx.message() instanceof SipRequest r && r.isHttp() ? r.target() : null).build());
    }

    /**
     * The engine expands arguments that hold pseudo-variables before the fixup sees them (at load
     * time for literals, per call for the others), so the fixup only checks the code.
     */
    static Object[] replyArgs(List<String> args) {
        status(args.get(0));
        return args.toArray();
    }

    static int status(String code) {
        try {
            int s = Integer.parseInt(code.trim());
            if (s < 100 || s > 999) {
                throw new IllegalArgumentException("the HTTP status must be 100..999, not " + s);
            }
            return s;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the HTTP status must be a number, not \"" + code + "\"");
        }
    }

    @Override
    public int reply(ActionContext ctx, int code, String reason, String contentType, String body) {
        if (!(ctx.message() instanceof SipRequest request) || !request.isHttp()
                || !(ctx.attribute(ANSWERED) instanceof AtomicBoolean answered) || !answered.compareAndSet(false, true)) {
            return -1;
        }
        send(request, code, reason, contentType, body);
        return 1;
    }

    @Override
    public boolean claim(ActionContext ctx) {
        return ctx.message() instanceof SipRequest request && request.isHttp()
                && ctx.attribute(ANSWERED) instanceof AtomicBoolean answered && answered.compareAndSet(false, true);
    }

    private void send(SipRequest request, int code, String reason, String contentType, String body) {
        boolean close = HttpReplies.closes(request);
        byte[] bytes = HttpReplies.build(request.version(), code, reason, contentType,
                body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8), close);
        core.sendBack(request, bytes, close).whenComplete((v, e) -> {
            if (e != null) {
                LOG.info("xhttp: the reply to {} {} from {} was not sent: {}", request.method(), request.target(),
                        request.source(), e.toString());
            }
        });
    }
}
