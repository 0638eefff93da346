package org.siphon.nathelper.internal;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.registrar.Locations;
import org.siphon.tm.TmApi;
import org.siphon.core.sip.SipHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code nathelper}: Kamailio's NAT traversal helpers — {@code nat_uac_test},
 * {@code fix_nated_contact}, {@code fix_nated_register}, {@code add_rcv_param}, contact aliases
 * ({@code add_contact_alias}, {@code set_contact_alias}, {@code handle_ruri_alias},
 * {@code set_alias_to_pv}), {@code is_rfc1918}, {@code fix_nated_sdp} — and the pseudo-variables
 * {@code $rr_count}, {@code $rr_top_count}. Parameters as Kamailio's; they apply live.
 */
@Component(immediate = true, configurationPid = "org.siphon.nathelper", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NathelperComponent.Config.class)
public class NathelperComponent implements SiphonModule {

    static final String MODULE = "nathelper";
    private static final Logger LOG = LoggerFactory.getLogger(NathelperComponent.class);

    @ObjectClassDefinition(name = "Siphon module nathelper")
    public @interface Config {
        @AttributeDefinition(description = "The AVP fix_nated_register() fills with the source URI, e.g. $avp(RECEIVED); "
                + "registrar's received_avp must name the same (default empty: fix_nated_register returns -1)")
        String received__avp() default "";

        @AttributeDefinition(description = "The Contact/R-URI parameter of the aliases (default alias)")
        String alias__name() default "alias";

        @AttributeDefinition(description = "1: nat_uac_test also counts 192.0.0.0/24 as private (default 1)")
        int nat__addr__mode() default 1;

        @AttributeDefinition(description = "The SDP line fix_nated_sdp flag 0x04 adds (default a=nortpproxy:yes)")
        String nortpproxy__str() default "a=nortpproxy:yes\r\n";

        @AttributeDefinition(description = "1: fix_nated_sdp adds a=oldmediaip:OLD when it rewrites c= lines (default 1)")
        int append__sdp__oldmediaip() default 1;

        @AttributeDefinition(description = "Seconds between NAT pings of the registered contacts; 0: none (default 0)")
        int natping__interval() default 0;

        @AttributeDefinition(description = "1: ping only contacts saved with the NAT branch flag (default 0)")
        int ping__nated__only() default 0;

        @AttributeDefinition(description = "Branch flag of contacts pinged with a SIP request instead of 4 bytes (default -1)")
        int sipping__bflag() default -1;

        @AttributeDefinition(description = "From URI of the SIP pings (default sip:pinger@siphon.invalid)")
        String sipping__from() default "sip:pinger@siphon.invalid";

        @AttributeDefinition(description = "Method of the SIP pings (default OPTIONS)")
        String sipping__method() default "OPTIONS";

        @AttributeDefinition(description = "Branch flag of contacts never pinged (default -1)")
        int natping__disable__bflag() default -1;

        @AttributeDefinition(description = "Seconds after which a SIP-pinged contact that stopped answering is removed; "
                + "0: never (default 0)")
        int keepalive__timeout() default 0;

        @AttributeDefinition(description = "The socket pings are sent from, proto:ip:port (default: the usual choice)")
        String force__socket() default "";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the pings are sent by one scheduler thread of the module")
        int natping__processes() default 1;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " pings are sent from a listening socket; spoofing the "
                + "source address needs raw sockets, which the JVM does not have")
        String natping__socket() default "";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " raw-socket UDP pings from the Path address are not "
                + "possible on the JVM")
        int udpping__from__path() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " every node pings the contacts it holds")
        int filter__server__id() default 0;
    }

    private volatile Config config;
    private volatile NatFunctions.Settings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile StatefulCore core;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile Locations locations;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TmApi tm;

    /** nathelper.enable_ping: pings on (1) or paused (0) until the next start. */
    private volatile boolean pingEnabled = true;
    private NatPinger pinger;
    private java.util.concurrent.ScheduledExecutorService timer;

    @Activate
    void activate(Config c) {
        apply(c);
        pinger = new NatPinger(() -> locations, () -> tm, () -> core, System::currentTimeMillis);
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "nathelper-ping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private long nextRound;

    /** Once a second: a round when natping_interval has passed since the last (the interval applies live). */
    private void tick() {
        try {
            Config c = config;
            long now = System.currentTimeMillis();
            if (c.natping__interval() <= 0 || !pingEnabled || now < nextRound) {
                return;
            }
            nextRound = now + c.natping__interval() * 1000L;
            pinger.round(pingSettings(c));
        } catch (RuntimeException e) {
            LOG.error("nathelper: NAT ping round failed", e);
        }
    }

    static NatPinger.Settings pingSettings(Config c) {
        return new NatPinger.Settings(c.ping__nated__only() != 0, c.sipping__bflag(), c.natping__disable__bflag(),
                c.sipping__from(), c.sipping__method(), c.keepalive__timeout() * 1000L);
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(new RpcCommand("nathelper.enable_ping", MODULE, "[0|1]", "Pauses (0) or resumes (1) the NAT pings; "
                + "without a value tells whether they run.", p -> {
                    if (p.size() > 0) {
                        pingEnabled = p.integer(0) != 0;
                    }
                    return pingEnabled ? 1L : 0L;
                }));
    }

    @Override
    public java.util.Map<String, Object> statistics() {
        NatPinger p = pinger;
        return p == null ? java.util.Map.of() : java.util.Map.of("nathelper:udp_pings", p.udpPings.sum(),
                "nathelper:sip_pings", p.sipPings.sum(), "nathelper:keepalive_removed", p.removed.sum());
    }

    /** cfg.reload: every parameter applies to the next call. */
    @Modified
    void modified(Config c) {
        apply(c);
    }

    private void apply(Config c) {
        String nortpproxy = c.nortpproxy__str().trim();
        if (nortpproxy.startsWith("a=")) {
            nortpproxy = nortpproxy.substring(2);
        }
        settings = new NatFunctions.Settings(c.alias__name(), c.nat__addr__mode() != 0, c.received__avp(), nortpproxy,
                c.append__sdp__oldmediaip() != 0);
        config = c;
    }

    Config config() {
        return config;
    }

    @Override
    public String name() {
        return MODULE;
    }

    private static final Set<RouteType> REQ_REPLY_BRANCH = Set.of(RouteType.REQUEST, RouteType.ONREPLY, RouteType.BRANCH);
    private static final Set<RouteType> MOST = Set.of(RouteType.REQUEST, RouteType.ONREPLY, RouteType.FAILURE,
            RouteType.BRANCH);

    private static FunctionExport.Builder f(String name, int min, int max, Set<RouteType> routes, String description) {
        return FunctionExport.builder(name, MODULE).args(min, max).routes(routes).description(description);
    }

    private static int flags(String s) {
        String t = s.trim();
        try {
            return Integer.decode(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("flags must be a number, not \"" + s + "\"");
        }
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(
                f("nat_uac_test", 1, 1, MOST, "1 when any test of the flags says the UA is behind a NAT (1 private "
                        + "Contact, 2 Via not the source, 4 private Via, 8 private SDP, 16 Via port not the source port, "
                        + "32 private source, 64 WebSocket, 128 Contact port not the source port, 256 SDP not the "
                        + "source, 512 targets differ).")
                        .fixup(a -> new Object[] { flags(a.get(0)) })
                        .handler((c, a) -> NatFunctions.natUacTest(c, (Integer) a[0], settings.reservedToo())).build(),
                f("fix_nated_contact", 0, 0, REQ_REPLY_BRANCH, "Rewrites the first Contact URI to the source address and port.")
                        .handler((c, a) -> NatFunctions.fixNatedContact(c)).build(),
                f("fix_nated_register", 0, 0, Set.of(RouteType.REQUEST), "Puts the source URI into received_avp, for "
                        + "registrar to store as the contact's received.")
                        .handler((c, a) -> NatFunctions.fixNatedRegister(c, settings.receivedAvp())).build(),
                f("add_rcv_param", 0, 1, Set.of(RouteType.REQUEST), "Adds received=\"sip:ip:port\" to the Contacts "
                        + "(flag 1: to their URIs, UDP only).")
                        .fixup(a -> new Object[] { !a.isEmpty() && flags(a.get(0)) != 0 })
                        .handler((c, a) -> NatFunctions.addRcvParam(c, (Boolean) a[0])).build(),
                f("add_contact_alias", 0, 3, Set.of(RouteType.REQUEST, RouteType.ONREPLY, RouteType.BRANCH, RouteType.LOCAL),
                        "Adds ;alias=ip~port~proto to the first Contact URI (the source's, or the given one).")
                        .fixup(a -> {
                            if (a.size() != 0 && a.size() != 3) {
                                throw new IllegalArgumentException("add_contact_alias takes no arguments or ip, port, proto");
                            }
                            return a.toArray();
                        })
                        .handler((c, a) -> a.length == 0
                                ? NatFunctions.addContactAlias(c, settings.aliasName(), null, null, null, false)
                                : NatFunctions.addContactAlias(c, settings.aliasName(), (String) a[0], (String) a[1],
                                        (String) a[2], false)).build(),
                f("set_contact_alias", 0, 1, MOST, "Adds ;alias=ip~port~proto of the source to the first Contact URI "
                        + "(trim 1: replacing an alias already there).")
                        .fixup(a -> new Object[] { !a.isEmpty() && flags(a.get(0)) != 0 })
                        .handler((c, a) -> NatFunctions.addContactAlias(c, settings.aliasName(), null, null, null,
                                (Boolean) a[0]) > 0 ? 1 : -1).build(),
                f("handle_ruri_alias", 0, 1, Set.of(RouteType.REQUEST, RouteType.BRANCH, RouteType.LOCAL),
                        "Moves the R-URI's alias into $du: 1 done, 2 no alias, -1 a bad alias (mode 1: the last one).")
                        .fixup(a -> new Object[] { !a.isEmpty() && flags(a.get(0)) != 0 })
                        .handler((c, a) -> NatFunctions.handleRuriAlias(c, settings.aliasName(), (Boolean) a[0])).build(),
                f("set_alias_to_pv", 1, 1, MOST, "Writes the first Contact's alias as a SIP URI into $avp(name).")
                        .handler((c, a) -> NatFunctions.setAliasToPv(c, settings.aliasName(), String.valueOf(a[0]))).build(),
                f("is_rfc1918", 1, 1, RouteType.any(), "1 when the address is private (RFC 1918) or shared (RFC 6598).")
                        .handler((c, a) -> Addresses.isPrivate(String.valueOf(a[0]), settings.reservedToo()) ? 1 : -1).build(),
                f("fix_nated_sdp", 1, 2, MOST, "Rewrites the SDP for NAT: 0x01 a=direction:active, 0x02 c= (and "
                        + "a=rtcp) to the source or given IP, 0x04 a=nortpproxy:yes, 0x08 o= too; 1 replaced, 2 nothing "
                        + "replaced, -1 no SDP.")
                        .handler((c, a) -> NatFunctions.fixNatedSdp(c, flags(String.valueOf(a[0])),
                                a.length > 1 ? String.valueOf(a[1]) : null, settings)).build());
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return List.of(
                PseudoVariableExport.builder("rr_count", MODULE).description("The number of Record-Route URIs of the message")
                        .getter((c, n) -> {
                            long count = 0;
                            for (SipHeader h : c.message().headers("Record-Route")) {
                                count += NatFunctions.uris(h.value());
                            }
                            return count;
                        }).build(),
                PseudoVariableExport.builder("rr_top_count", MODULE)
                        .description("The number of URIs in the first Record-Route header")
                        .getter((c, n) -> {
                            SipHeader h = c.message().header("Record-Route");
                            return h == null ? 0L : NatFunctions.uris(h.value());
                        }).build());
    }

    static Logger log() {
        return LOG;
    }
}
