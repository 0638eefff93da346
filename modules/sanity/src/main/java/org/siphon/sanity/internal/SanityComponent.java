package org.siphon.sanity.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

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
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;

/**
 * Module {@code sanity}: {@code sanity_check([msg_checks[, uri_checks]])} with Kamailio's check
 * bits, replies and parameters ({@code default_checks}, {@code uri_checks}, {@code autodrop},
 * {@code proxy_require}).
 */
@Component(immediate = true, configurationPid = "org.siphon.sanity", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SanityComponent.Config.class)
public class SanityComponent implements SiphonModule {

    static final String MODULE = "sanity";

    @ObjectClassDefinition(name = "Siphon module sanity")
    public @interface Config {
        @AttributeDefinition(description = "Checks of sanity_check() without arguments (default 999)")
        int default__checks() default 999;

        @AttributeDefinition(description = "URIs checked by bit 1024: 1 R-URI, 2 From, 4 To, 8 Contact (default 7)")
        int uri__checks() default 7;

        @AttributeDefinition(description = "1: a failed check answers and ends the script (returns 0); 0: returns -1 (default 1)")
        int autodrop() default 1;

        @AttributeDefinition(description = "Proxy-Require option tags this proxy supports, comma-separated (default none)")
        String proxy__require() default "";
    }

    @Reference
    private SipCore core;

    /** The parameters, replaced whole by {@code cfg.reload}: a check reads them once. */
    record Settings(int defaultChecks, int uriChecks, boolean autodrop, Set<String> supported) {
    }

    private volatile Settings settings = new Settings(999, 7, true, Set.of());

    public SanityComponent() {
    }

    /** For tests. */
    SanityComponent(SipCore core) {
        this.core = core;
    }

    @Activate
    void activate(Config config) {
        settings = settings(config);
    }

    /** {@code cfg.reload} with changed parameters: every one applies from the next check on. */
    @Modified
    void modified(Config config) {
        settings = settings(config);
    }

    private static Settings settings(Config c) {
        Set<String> supported = Arrays.stream(c.proxy__require().split(",")).map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
        return new Settings(c.default__checks(), c.uri__checks(), c.autodrop() != 0, supported);
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("sanity_check", MODULE).args(0, 2).routes(RouteType.REQUEST, RouteType.ONREPLY)
                .fixup(args -> args.stream().map(SanityComponent::bits).toArray())
                .description("Checks the request or reply; on a failure answers a request (400/416/420/505) and returns 0 with autodrop, else -1.")
                .handler((ctx, args) -> {
                    Settings s = settings;
                    return check(ctx, s, args.length > 0 ? (Integer) args[0] : s.defaultChecks(),
                            args.length > 1 ? (Integer) args[1] : s.uriChecks());
                }).build());
    }

    static Integer bits(String arg) {
        try {
            return Integer.parseInt(arg.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the checks must be a number (a sum of check bits), not \"" + arg + "\"");
        }
    }

    /** A failing request is answered (not an ACK); a failing reply only makes the call false. */
    int check(ActionContext ctx, Settings s, int msgChecks, int uris) {
        SanityChecks.Failure f = SanityChecks.check(ctx.message(), msgChecks, uris, s.supported());
        if (f == null) {
            return 1;
        }
        if (ctx.message() instanceof SipRequest req && !req.isMethod(SipMethods.ACK)) {
            core.reply(req, f.status(), f.reason(), f.extra() == null ? List.of() : List.of(f.extra()));
        }
        return s.autodrop() ? 0 : -1;
    }
}
