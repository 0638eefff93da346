package org.siphon.presence.xml.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.presence.PresenceApi;
import org.siphon.presence.PresenceEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code presence_xml}: the XML event packages of Kamailio's presence_xml, given to the
 * presence module as {@link PresenceEvent} services (Kamailio's {@code add_event}):
 * {@code presence} (PIDF, {@link PidfEvent}) unless {@code disable_presence}, and
 * {@code presence.winfo} (watcherinfo, {@link WinfoEvent}) unless {@code disable_winfo}. A change
 * of parameters re-registers them ({@code module.update} or {@code cfg.reload}).
 */
@Component(immediate = true, configurationPid = "org.siphon.presence_xml", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PresenceXmlComponent.Config.class)
public class PresenceXmlComponent implements SiphonModule {

    static final String MODULE = "presence_xml";
    static final Logger LOG = LoggerFactory.getLogger(PresenceXmlComponent.class);

    @ObjectClassDefinition(name = "Siphon module presence_xml")
    public @interface Config {
        @AttributeDefinition(description = "The database of the xcap table (pres-rules, force_active=0); empty: the "
                + "core's (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "Table of the XCAP documents, Kamailio's layout, read for pres-rules with "
                + "force_active=0 (default xcap)")
        String xcap__table() default "xcap";

        @AttributeDefinition(description = "1: no event presence (default 0)")
        int disable__presence() default 0;

        @AttributeDefinition(description = "1: no event presence.winfo (default 0)")
        int disable__winfo() default 0;

        @AttributeDefinition(description = NO_EFFECT + " dialog;sla is not served (Kamailio's default: disabled)")
        int disable__bla() default 1;

        @AttributeDefinition(description = NO_EFFECT + " xcap-diff is not served")
        int disable__xcapdiff() default 0;

        @AttributeDefinition(description = "1: every subscription to presence is active; 0: the presentity's "
                + "pres-rules in the xcap table decide (default 0)")
        int force__active() default 0;

        @AttributeDefinition(description = "1: pres-rules are read from the xcap table that xcap_server writes. "
                + "Siphon has no xcap_client: with 0 the table is read all the same (one INFO line) (default 0)")
        int integrated__xcap__server() default 0;

        @AttributeDefinition(description = NO_EFFECT + " no remote XCAP server is asked (no xcap_client)")
        String xcap__server() default "";

        @AttributeDefinition(description = NO_EFFECT + " the module always registers its events")
        int passive__mode() default 0;

        @AttributeDefinition(description = "Reason of the terminating NOTIFY of an active watcher whom the "
                + "presentity's pres-rules no longer name (default probation)")
        String xcapauth__userdel__reason() default "probation";

        @AttributeDefinition(description = "1: a NOTIFY of a presentity with nothing published carries a PIDF with "
                + "one open tuple instead of no body (default 0)")
        int force__dummy__presence() default 0;

        @AttributeDefinition(description = NO_EFFECT + " publications are always aggregated")
        int force__presence__single__body() default 0;

        @AttributeDefinition(description = NO_EFFECT + " publications are always aggregated")
        String presence__single__body__priorities() default "Available,Ringing,On the Phone";

        @AttributeDefinition(description = NO_EFFECT + " publications are always aggregated")
        String presence__single__body__lookup__element() default "note";

        @AttributeDefinition(description = "Expires of a PUBLISH or SUBSCRIBE of these events without Expires, "
                + "seconds (default 3600)")
        int default__expires() default 3600;

        @AttributeDefinition(description = NO_EFFECT + " pidf-manipulation documents are not read yet")
        int pidf__manipulation() default 0;

        @AttributeDefinition(description = "Largest PIDF body a PUBLISH may carry, bytes; larger gets 413; 0: no limit "
                + "but the message size. Siphon's, not Kamailio's (default 65536)")
        int max__body__size() default 65536;
    }

    @Reference
    private Database coreDatabase;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PresenceApi presence;

    private final List<ServiceRegistration<PresenceEvent>> registered = new ArrayList<>();

    @Activate
    void activate(BundleContext context, Config c) {
        if (c.max__body__size() < 0 || c.default__expires() <= 0) {
            throw new IllegalArgumentException("presence_xml: max_body_size must be >= 0 and default_expires > 0");
        }
        RulesAuthoriser rules = null;
        if (c.force__active() == 0) {
            if (c.integrated__xcap__server() == 0) {
                LOG.info("presence_xml: integrated_xcap_server=0: Siphon has no xcap_client, pres-rules are read from "
                        + "table {} as with integrated_xcap_server=1", c.xcap__table());
            }
            rules = new RulesAuthoriser(new XcapRules(coreDatabase.forUrl(c.db__url()), c.xcap__table()),
                    c.xcapauth__userdel__reason(), System::currentTimeMillis);
        }
        int expires = c.default__expires();
        if (c.disable__presence() == 0) {
            register(context, new Expiring(new PidfEvent(c.max__body__size(), c.force__dummy__presence() != 0, rules),
                    expires));
        }
        if (c.disable__winfo() == 0) {
            register(context, new Expiring(new WinfoEvent(), expires));
        }
    }

    private void register(BundleContext context, PresenceEvent e) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("presence.event", e.name());
        registered.add(context.registerService(PresenceEvent.class, e, props));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<PresenceEvent> r : registered) {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        registered.clear();
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        java.util.Set<RouteType> any = java.util.Set.of(RouteType.values());
        return List.of(
                FunctionExport.builder("pres_check_basic", MODULE).args(2).routes(any)
                        .description("1 when a live publication of presentity_uri has a PIDF <basic> of status "
                                + "(open, closed), else -1.")
                        .handler((ctx, a) -> PresChecks.basic(presence, (String) a[0], (String) a[1])).build(),
                FunctionExport.builder("pres_check_activities", MODULE).args(2).routes(any)
                        .description("1 when a live publication of presentity_uri has the RPID activity (busy, away, "
                                + "on-the-phone ...), else -1.")
                        .handler((ctx, a) -> PresChecks.activities(presence, (String) a[0], (String) a[1])).build());
    }

    /** An event with default_expires as its default. */
    record Expiring(PresenceEvent e, int expires) implements PresenceEvent {
        @Override public String name() { return e.name(); }
        @Override public String contentType() { return e.contentType(); }
        @Override public List<String> publishTypes() { return e.publishTypes(); }
        @Override public boolean publishable() { return e.publishable(); }
        @Override public String watcherInfoOf() { return e.watcherInfoOf(); }
        @Override public int defaultExpires() { return expires; }
        @Override public boolean requiresAuthorisation() { return e.requiresAuthorisation(); }
        @Override public Rejection check(byte[] body, String type) { return e.check(body, type); }
        @Override public byte[] notifyBody(String uri, List<Publication> p) { return e.notifyBody(uri, p); }
        @Override public byte[] watcherInfoBody(String uri, List<Watcher> w, long v, boolean full) {
            return e.watcherInfoBody(uri, w, v, full);
        }
        @Override public int authStatus(String watcher, String presentity) { return e.authStatus(watcher, presentity); }
        @Override public Authorisation authorise(String watcher, String presentity) { return e.authorise(watcher, presentity); }
    }
}
