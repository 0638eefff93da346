package org.siphon.msilo.internal;

import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

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
import org.siphon.core.db.Database;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.tm.TmApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code msilo}: Kamailio's offline message store. {@code m_store([owner])} keeps a MESSAGE
 * for a user who is offline in Kamailio's {@code silo} table, {@code m_dump([owner[, maxmsgs]])}
 * sends a registering user's stored messages through tm's UAC in arrival order, deleting each
 * only after a 2xx; reminders ({@code snd_time_avp}, {@code reminder}, {@code send_time}) and
 * expiry ({@code expire_time}, {@code check_time} × {@code clean_period}) run on the module's one
 * thread. The messages live in the database only, so an update or a restart loses none. Every
 * parameter applies live ({@code cfg.reload}).
 */
@Component(immediate = true, configurationPid = "org.siphon.msilo", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MsiloComponent.Config.class)
public class MsiloComponent implements SiphonModule {

    static final String MODULE = "msilo";
    static final Logger LOG = LoggerFactory.getLogger(MsiloComponent.class);

    @ObjectClassDefinition(name = "Siphon module msilo")
    public @interface Config {
        @AttributeDefinition(description = "The database of the silo table; empty: the core's (config/org.siphon.db.cfg), "
                + "e.g. postgres://user:pass@host/db (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "Table of the stored messages (default silo)")
        String db__table() default "silo";

        @AttributeDefinition(description = "Column of the message id (default id, the column of Kamailio's silo table)")
        String sc__mid() default "id";

        @AttributeDefinition(description = "Column of the sender's address (default src_addr)")
        String sc__from() default "src_addr";

        @AttributeDefinition(description = "Column of the destination address (default dst_addr)")
        String sc__to() default "dst_addr";

        @AttributeDefinition(description = "Column of the owner's user name (default username)")
        String sc__uri__user() default "username";

        @AttributeDefinition(description = "Column of the owner's domain (default domain)")
        String sc__uri__host() default "domain";

        @AttributeDefinition(description = "Column of the body (default body)")
        String sc__body() default "body";

        @AttributeDefinition(description = "Column of the content type (default ctype)")
        String sc__ctype() default "ctype";

        @AttributeDefinition(description = "Column of the expiry time (default exp_time)")
        String sc__exp__time() default "exp_time";

        @AttributeDefinition(description = "Column of the time the message came in (default inc_time)")
        String sc__inc__time() default "inc_time";

        @AttributeDefinition(description = "Column of the reminder's send time (default snd_time)")
        String sc__snd__time() default "snd_time";

        @AttributeDefinition(description = "Column of the headers stored with the message (default extra_hdrs)")
        String sc__stored__hdrs() default "extra_hdrs";

        @AttributeDefinition(description = "From of the notice telling a sender that the message was stored; empty: no "
                + "notice; may hold pseudo-variables, e.g. sip:$rU@example.org (default empty)")
        String from__address() default "";

        @AttributeDefinition(description = "Contact header line of the notices, e.g. Contact: <sip:null@example.com>\\r\\n; "
                + "may hold pseudo-variables (default empty)")
        String contact__hdr() default "";

        @AttributeDefinition(description = "Header lines added to the messages m_dump sends, each ending in \\r\\n; may hold "
                + "pseudo-variables (of the REGISTER) (default empty)")
        String extra__hdrs() default "";

        @AttributeDefinition(description = "Body of the notices; may hold pseudo-variables (default empty: no notice)")
        String offline__message() default "";

        @AttributeDefinition(description = "Content-Type header line of the notices, e.g. Content-Type: text/plain\\r\\n "
                + "(default empty)")
        String content__type__hdr() default "";

        @AttributeDefinition(description = "From of the reminders; empty: no reminders (default empty)")
        String reminder() default "";

        @AttributeDefinition(description = "SIP URI the module's requests go to instead of their Request-URI's host "
                + "(default empty: the registering UA's source for m_dump, the Request-URI otherwise)")
        String outbound__proxy() default "";

        @AttributeDefinition(description = "Seconds a stored message is kept before it is removed undelivered "
                + "(default 259200, 3 days)")
        int expire__time() default 259200;

        @AttributeDefinition(description = "Seconds of the module's timer cycle; expired messages are removed every "
                + "clean_period cycles (default 60)")
        int check__time() default 60;

        @AttributeDefinition(description = "Seconds between looks for reminders due; 0: no reminders (default 0)")
        int send__time() default 0;

        @AttributeDefinition(description = "check_time cycles between removals of expired messages (default 10)")
        int clean__period() default 10;

        @AttributeDefinition(description = "1: the notice goes to the sender's Contact, not its From URI (default 1)")
        int use__contact() default 1;

        @AttributeDefinition(description = "AVP with a time YYYYMMDDHHMMSS that makes m_store keep the message as a "
                + "reminder, e.g. $avp(snd_time) (default empty)")
        String snd__time__avp() default "";

        @AttributeDefinition(description = "1: delivered messages get a Date header with the time they were stored, and "
                + "text bodies the prefix [Offline message - time] (default 1)")
        int add__date() default 1;

        @AttributeDefinition(description = "Most messages stored per AoR; m_store refuses more; 0: no limit (default 0)")
        int max__messages() default 0;

        @AttributeDefinition(description = "1: delivered messages get a Contact header with the sender's address (default 0)")
        int add__contact() default 0;

        @AttributeDefinition(description = "AVP with header lines m_store keeps with the message, for m_dump to add "
                + "(default empty)")
        String extra__hdrs__avp() default "";

        @AttributeDefinition(description = "Message flag (0-31) that makes m_store send no notice; -1: none (default -1)")
        int skip__notification__flag() default -1;
    }

    /** The parameters as one value, swapped whole by {@code cfg.reload}. */
    record Settings(Config config, SiloDb db, Template fromAddress, Template contactHdr, Template extraHdrs,
            Template offlineMessage, Template contentTypeHdr, String reminder, String outboundProxy, String sndTimeAvp,
            String extraHdrsAvp) {
    }

    @Reference
    private Database database;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TmApi tm;

    private final LongSupplier clock;
    private final ZoneId zone;
    private volatile Settings settings;
    private ScheduledExecutorService thread;
    private Delivery delivery;
    private Store store;

    final LongAdder stored = new LongAdder();
    final LongAdder dumped = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder dumpedReminders = new LongAdder();
    final LongAdder failedReminders = new LongAdder();

    public MsiloComponent() {
        this(System::currentTimeMillis, ZoneId.systemDefault());
    }

    MsiloComponent(LongSupplier clock, ZoneId zone) {
        this.clock = clock;
        this.zone = zone;
    }

    /** For tests: the services without DS. */
    MsiloComponent(LongSupplier clock, ZoneId zone, Database database, TmApi tm) {
        this(clock, zone);
        this.database = database;
        this.tm = tm;
    }

    @Activate
    void activate(Config c) {
        settings = settings(c, database);
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "msilo");
            t.setDaemon(true);
            return t;
        });
        delivery = new Delivery(this, thread);
        store = new Store(this);
        thread.execute(this::prepareTable);
        thread.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
        explain(c);
    }

    /** cfg.reload: every parameter applies to the next call; deliveries under way finish with what they started with. */
    @Modified
    void modified(Config c) {
        Settings s = settings(c, database);
        boolean newTable = !s.db().table().equals(settings.db().table()) || !c.db__url().equals(settings.config().db__url());
        settings = s;
        if (newTable) {
            thread.execute(this::prepareTable);
        }
        explain(c);
    }

    @Deactivate
    void deactivate() {
        ScheduledExecutorService t = thread;
        if (t != null) {
            t.shutdown();
            try {
                if (!t.awaitTermination(5, TimeUnit.SECONDS)) {
                    t.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Settings settings(Config c, Database database) {
        for (String name : List.of(c.db__table(), c.sc__mid(), c.sc__from(), c.sc__to(), c.sc__uri__user(),
                c.sc__uri__host(), c.sc__body(), c.sc__ctype(), c.sc__exp__time(), c.sc__inc__time(), c.sc__snd__time(),
                c.sc__stored__hdrs())) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("msilo: \"" + name + "\" is not a table or column name");
            }
        }
        if (c.skip__notification__flag() < -1 || c.skip__notification__flag() > 31) {
            throw new IllegalArgumentException("msilo: invalid skip_notification_flag " + c.skip__notification__flag()
                    + " (0-31, or -1 for none)");
        }
        SiloDb db = new SiloDb(database.forUrl(c.db__url()), c.db__table(), new SiloDb.Columns(c.sc__mid(), c.sc__from(),
                c.sc__to(), c.sc__uri__user(), c.sc__uri__host(), c.sc__body(), c.sc__ctype(), c.sc__exp__time(),
                c.sc__inc__time(), c.sc__snd__time(), c.sc__stored__hdrs()));
        return new Settings(c, db, new Template(c.from__address()), new Template(c.contact__hdr()),
                new Template(c.extra__hdrs()), new Template(c.offline__message()), new Template(c.content__type__hdr()),
                c.reminder().trim(), c.outbound__proxy().trim(), avpName(c.snd__time__avp()), avpName(c.extra__hdrs__avp()));
    }

    /** {@code $avp(name)} (or {@code $avp(s:name)}, or a bare name) → the name; "" for none. */
    static String avpName(String spec) {
        String s = spec == null ? "" : spec.trim();
        if (s.startsWith("$avp(") && s.endsWith(")")) {
            s = s.substring(5, s.length() - 1);
        }
        if (s.startsWith("s:")) {
            s = s.substring(2);
        }
        return s;
    }

    private void explain(Config c) {
        if (!c.offline__message().isEmpty() && c.from__address().isEmpty()) {
            LOG.info("msilo: offline_message is set but from_address is not: no notices are sent");
        }
        if (c.send__time() > 0 && c.reminder().isBlank()) {
            LOG.info("msilo: send_time is set but reminder is not: no reminders are sent");
        }
    }

    private void prepareTable() {
        SiloDb db = settings.db();
        try {
            db.ensure();
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.error("msilo: table {}: {} (m_store and m_dump fail until it is usable)", db.table(), e.getMessage());
        }
    }

    private long nextClean;
    private long nextReminders;

    /** Once a second on the module's thread: expiry and reminders when their intervals (live parameters) have passed. */
    private void tick() {
        try {
            Settings s = settings;
            Config c = s.config();
            long now = clock.getAsLong();
            long cleanEvery = Math.max(1, c.check__time()) * 1000L * Math.max(1, c.clean__period());
            if (nextClean == 0) {
                nextClean = now + cleanEvery;
            } else if (now >= nextClean) {
                nextClean = now + cleanEvery;
                clean(s, now);
            }
            if (c.send__time() > 0 && !s.reminder().isEmpty()) {
                if (now >= nextReminders) {
                    nextReminders = now + c.send__time() * 1000L;
                    delivery.reminders(s);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("msilo: timer failed", e);
        }
    }

    /** Removes the expired messages, with a log line when there were some; how many. */
    int clean(Settings s, long nowMillis) {
        try {
            int n = s.db().clean(nowMillis / 1000);
            if (n > 0) {
                LOG.info("msilo: removed {} expired message(s) from table {}", n, s.db().table());
            }
            return n;
        } catch (java.sql.SQLException | RuntimeException e) {
            LOG.error("msilo: cleaning expired messages failed: {}", e.getMessage());
            return -1;
        }
    }

    Settings settings() {
        return settings;
    }

    TmApi tm() {
        return tm;
    }

    long now() {
        return clock.getAsLong();
    }

    ZoneId zone() {
        return zone;
    }

    Delivery delivery() {
        return delivery;
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        Set<RouteType> storeRoutes = Set.of(RouteType.REQUEST, RouteType.FAILURE);
        return List.of(
                FunctionExport.builder("m_store", MODULE).args(0, 1).routes(storeRoutes)
                        .description("Stores the MESSAGE for its owner (the SIP URI given, else the R-URI, else the To "
                                + "URI); 1 when it is in the database, -1 when not (no body, no Content-Type, "
                                + "max_messages reached, database error).")
                        .handler((ctx, a) -> store.store(ctx, a.length > 0 ? (String) a[0] : null)).build(),
                FunctionExport.builder("m_dump", MODULE).args(0, 2).routes(RouteType.REQUEST)
                        .fixup(MsiloComponent::dumpArgs)
                        .description("On a REGISTER: sends the owner's (the SIP URI given, else the To URI) stored "
                                + "messages to the registered contact in arrival order, at most maxmsgs (0: all); 1 "
                                + "when the delivery is under way, -1 when nothing can be sent.")
                        .handler((ctx, a) -> delivery.dump(ctx, a.length > 0 ? (String) a[0] : null,
                                a.length > 1 ? Integer.parseInt(((String) a[1]).trim()) : 0)).build());
    }

    /** m_dump's maxmsgs must be a number; the owner may hold pseudo-variables (formatted per call). */
    private static Object[] dumpArgs(List<String> args) {
        if (args.size() > 1) {
            String max = args.get(1).trim();
            if (!max.startsWith("$") && !max.matches("\\d+")) {
                throw new IllegalArgumentException("m_dump: maxmsgs must be a number, not \"" + args.get(1) + "\"");
            }
        }
        return args.toArray();
    }

    @Override
    public Map<String, Object> statistics() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("msilo:stored_messages", stored.sum());
        s.put("msilo:dumped_messages", dumped.sum());
        s.put("msilo:failed_messages", failed.sum());
        s.put("msilo:dumped_reminders", dumpedReminders.sum());
        s.put("msilo:failed_reminders", failedReminders.sum());
        return s;
    }

    @Override
    public int inFlight() {
        Delivery d = delivery;
        return d == null ? 0 : d.inFlight();
    }

    /** tm ends a non-INVITE transaction after fr_timer (32 s by default); a little more for the database. */
    @Override
    public long drainLimitMillis() {
        return 40_000;
    }
}
