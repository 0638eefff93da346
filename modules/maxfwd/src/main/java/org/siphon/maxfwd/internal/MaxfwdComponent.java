package org.siphon.maxfwd.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;

/**
 * Module {@code maxfwd}: {@code mf_process_maxfwd_header(max)} and {@code is_maxfwd_lt(max)}, with
 * Kamailio's return codes and its {@code max_limit} parameter. The change to Max-Forwards goes to
 * the message's edit list, so the core's {@code forward()} leaves the header as the script set it.
 */
@Component(immediate = true, configurationPid = "org.siphon.maxfwd", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MaxfwdComponent.Config.class)
public class MaxfwdComponent implements SiphonModule {

    static final String MODULE = "maxfwd";

    @ObjectClassDefinition(name = "Siphon module maxfwd")
    public @interface Config {
        @AttributeDefinition(description = "Upper limit of the Max-Forwards value after decrementing (default 70)")
        int max__limit() default 70;
    }

    private volatile int maxLimit = 70;

    @Activate
    void activate(Config config) {
        maxLimit = maxLimit(config);
    }

    /** {@code cfg.reload} with a changed {@code max_limit}: it applies from the next request on. */
    @Modified
    void modified(Config config) {
        maxLimit = maxLimit(config);
    }

    private static int maxLimit(Config c) {
        return c.max__limit();
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
                FunctionExport.builder("mf_process_maxfwd_header", MODULE).args(1)
                        .routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                        .fixup(args -> new Object[] { limit(args.get(0)) })
                        .description("Adds Max-Forwards: max when absent (2), decrements it (1); -1 when it is 0.")
                        .handler((ctx, args) -> process(ctx, (Integer) args[0])).build(),
                FunctionExport.builder("is_maxfwd_lt", MODULE).args(1)
                        .routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                        .fixup(args -> new Object[] { limit(args.get(0)) })
                        .description("1 when Max-Forwards (as edited) is below max, -2 when not, -1 without one.")
                        .handler((ctx, args) -> lessThan(ctx, (Integer) args[0])).build());
    }

    static int limit(String arg) {
        try {
            int v = Integer.parseInt(arg.trim());
            if (v < 0 || v > 255) {
                throw new IllegalArgumentException("the value must be 0..255, not " + v);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the value must be a number 0..255, not \"" + arg + "\"");
        }
    }

    /** Kamailio's codes: 2 added, 1 decremented, -1 the header is 0, -2 the header is malformed. */
    int process(ActionContext ctx, int max) {
        SipMessage m = ctx.message();
        SipHeader h = m.header(SipHeaderNames.MAX_FORWARDS);
        if (h == null) {
            m.edits().insertFirst(SipHeaderNames.MAX_FORWARDS, Integer.toString(max));
            return 2;
        }
        int value;
        try {
            value = Integer.parseInt(h.value().trim());
        } catch (NumberFormatException e) {
            return -2;
        }
        if (value <= 0) {
            return -1;
        }
        m.edits().replace(h, Integer.toString(Math.min(value - 1, maxLimit)));
        return 1;
    }

    int lessThan(ActionContext ctx, int max) {
        String v = ctx.message().edits().valueOf(SipHeaderNames.MAX_FORWARDS);
        if (v == null) {
            return -1;
        }
        try {
            return Integer.parseInt(v.trim()) < max ? 1 : -2;
        } catch (NumberFormatException e) {
            return -2;
        }
    }
}
