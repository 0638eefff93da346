package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.TransactionLayer;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.store.SharedStore;
import org.siphon.presence.PresenceEvent;
import org.siphon.tm.TmApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code presence}: Kamailio's presence server core. {@code handle_publish} keeps
 * publications (RFC 3903) and {@code handle_subscribe} subscription dialogs (RFC 6665) for the
 * event packages other bundles register as {@link PresenceEvent} services (presence_xml's
 * {@code presence} and {@code presence.winfo}); NOTIFYs go out in-dialog through tm's UAC.
 * Subscriptions and publications live in the core's shared store and/or Kamailio's tables
 * ({@code subs_db_mode}, {@code publ_cache}), so a module update or (with the database) a restart
 * keeps them. Expiry runs once a second on the module's thread. Parameters apply after
 * {@code module.update presence}.
 */
@Component(immediate = true, configurationPid = "org.siphon.presence", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PresenceComponent.Config.class)
public class PresenceComponent implements SiphonModule, org.siphon.presence.PresenceApi {

    static final String MODULE = "presence";
    static final Logger LOG = LoggerFactory.getLogger(PresenceComponent.class);

    @ObjectClassDefinition(name = "Siphon module presence")
    public @interface Config {
        @AttributeDefinition(description = "The database of the presence tables; empty: the core's "
                + "(config/org.siphon.db.cfg), e.g. postgres://user:pass@host/db (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "Table of the publications (default presentity)")
        String presentity__table() default "presentity";

        @AttributeDefinition(description = "Table of the subscription dialogs (default active_watchers)")
        String active__watchers__table() default "active_watchers";

        @AttributeDefinition(description = "Table of the watchers' authorisation states (default watchers)")
        String watchers__table() default "watchers";

        @AttributeDefinition(description = "Seconds between removals of expired publications and of stale watchers "
                + "rows from the database; <= 0: never (expired entries are still ignored and swept from memory "
                + "every second) (default 100)")
        int clean__period() default 100;

        @AttributeDefinition(description = "Seconds between writes of changed subscriptions to the database with "
                + "subs_db_mode 2 (default 100)")
        int db__update__period() default 100;

        @AttributeDefinition(description = "Seconds subtracted from the Expires of the 200 to a PUBLISH (default 0)")
        int expires__offset() default 0;

        @AttributeDefinition(description = "Largest Expires of PUBLISH and SUBSCRIBE, seconds (default 3600)")
        int max__expires() default 3600;

        @AttributeDefinition(description = "Smallest Expires of PUBLISH and SUBSCRIBE (0 excepted), seconds; 0: none "
                + "(default 0)")
        int min__expires() default 0;

        @AttributeDefinition(description = "Below min_expires: 1 answers 423 Interval Too Brief with Min-Expires, 2 "
                + "raises the Expires to min_expires (default 1)")
        int min__expires__action() default 1;

        @AttributeDefinition(description = "SIP URI of the Contact of the 200s to SUBSCRIBE and PUBLISH and of the "
                + "NOTIFYs; empty: the address the request came in on (default empty)")
        String server__address() default "";

        @AttributeDefinition(description = "0: subscriptions in memory only; 1: memory and database, written at once; "
                + "2: memory, written to the database every db_update_period; 3: database only (several nodes) "
                + "(default 2)")
        int subs__db__mode() default 2;

        @AttributeDefinition(description = "0: publications in the database only (several nodes); 1: in memory and "
                + "in the database; 2: in memory only (default 1)")
        int publ__cache() default 1;

        @AttributeDefinition(description = "1: a NOTIFY after every accepted SUBSCRIBE, refreshes included (default 1)")
        int send__fast__notify() default 1;

        @AttributeDefinition(description = "1: a subscription whose NOTIFY times out (408) is removed (default 1)")
        int timeout__rm__subs() default 1;

        @AttributeDefinition(description = "1: expired publications are removed without notifying the watchers "
                + "(default 0)")
        int force__delete() default 0;

        @AttributeDefinition(description = "Accept 200 OK (1) or 202 Accepted (0) for accepted SUBSCRIBEs (default 1)")
        int subs__respond__200() default 1;

        @AttributeDefinition(description = "Most subscriptions one watcher (user@domain) may hold at once; a "
                + "SUBSCRIBE beyond gets 503 with Retry-After; 0: no limit. Siphon's, not Kamailio's (default 256)")
        int max__watcher__subscriptions() default 256;

        @AttributeDefinition(description = NO_EFFECT + " an expired subscription gets its terminating NOTIFY once")
        int retry__expired__notify() default 0;

        @AttributeDefinition(description = NO_EFFECT + " rows are read as the queries need them")
        int fetch__rows() default 500;

        @AttributeDefinition(description = NO_EFFECT + " NOTIFYs are sent through tm's UAC by the worker that "
                + "makes them")
        int notifier__processes() default 1;

        @AttributeDefinition(description = NO_EFFECT + " NOTIFYs are sent at once")
        int notifier__poll__rate() default 10;

        @AttributeDefinition(description = NO_EFFECT + " NOTIFYs are sent at once")
        int waitn__time() default 5;

        @AttributeDefinition(description = NO_EFFECT + " the shared store and the database need no table locks")
        int db__table__lock__type() default 1;

        @AttributeDefinition(description = NO_EFFECT + " the shared store sizes itself")
        int subs__htable__size() default 9;

        @AttributeDefinition(description = NO_EFFECT + " the shared store sizes itself")
        int pres__htable__size() default 9;

        @AttributeDefinition(description = NO_EFFECT + " Siphon logs through its own loggers")
        int local__log__level() default 2;

        @AttributeDefinition(description = NO_EFFECT + " Siphon logs through its own loggers")
        int local__log__facility() default 0;

        @AttributeDefinition(description = NO_EFFECT + " publications are not reordered by the remote CSeq")
        int cseq__offset() default 0;

        @AttributeDefinition(description = NO_EFFECT + " the module has one timer thread")
        int timer__mode() default 1;

        @AttributeDefinition(description = NO_EFFECT + " expiry is checked every second")
        int startup__mode() default 1;

        @AttributeDefinition(description = NO_EFFECT + " subscriptions are always matched on Call-ID and both tags")
        int subs__remove__match() default 0;

        @AttributeDefinition(description = NO_EFFECT + " no sphere rules yet (they come with pres-rules)")
        int enable__sphere__check() default 0;

        @AttributeDefinition(description = NO_EFFECT + " no DMQ in Siphon: nodes share state through the database "
                + "(subs_db_mode 3, publ_cache 0)")
        int enable__dmq() default 0;

        @AttributeDefinition(description = NO_EFFECT + " $subs is always filled after handle_subscribe")
        int pres__subs__mode() default 1;

        @AttributeDefinition(description = "0: publications in arrival order; 1: ordered by retrieve_order_by "
                + "(priority only) (default 0)")
        int retrieve__order() default 0;

        @AttributeDefinition(description = "Order of publications with retrieve_order 1: priority (default priority)")
        String retrieve__order__by() default "priority";

        @AttributeDefinition(description = NO_EFFECT + " URIs are compared as written (case-sensitive)")
        int sip__uri__match() default 0;

        @AttributeDefinition(description = "1: a new subscription with the Call-ID and presentity of an existing one "
                + "replaces it (default 0)")
        int delete__same__subs() default 0;

        @AttributeDefinition(description = NO_EFFECT + " $xavp(pres=>priority) is not read yet")
        String xavp__cfg() default "";
    }

    @Reference
    private Database coreDatabase;
    @Reference
    private SharedStore store;
    @Reference
    private StatefulCore stateful;
    @Reference
    private SipCore sipCore;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TmApi tm;
    /** Usually one; two while tm is updated. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<TransactionLayer> transactions = List.of();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile org.siphon.core.function.EventRoutes eventRoutes;
    /** The event packages (add_event): presence_xml's, and any other bundle's. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<PresenceEvent> events = List.of();

    private final LongSupplier clock;
    Config config;
    Database database;
    Subs subs;
    Pres pres;
    DbSubs dbSubs;
    DbPres dbPres;
    Notifier notifier;
    Publish publish;
    Subscribe subscribe;
    Replies replies;
    Authorisations authorisations;
    Sweeper sweeper;
    PresenceFunctions functionsPart;
    private ScheduledExecutorService thread;

    final LongAdder publishes = new LongAdder();
    final LongAdder subscribes = new LongAdder();
    final LongAdder notifies = new LongAdder();
    final LongAdder failedNotifies = new LongAdder();
    final LongAdder expiredSubscriptions = new LongAdder();
    final LongAdder expiredPublications = new LongAdder();
    final LongAdder refusedSubscribes = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();

    public PresenceComponent() {
        this(System::currentTimeMillis);
    }

    PresenceComponent(LongSupplier clock) {
        this.clock = clock;
    }

    /** For tests: the services without DS. */
    PresenceComponent(LongSupplier clock, Database db, SharedStore store, StatefulCore stateful, TmApi tm,
            List<PresenceEvent> events) {
        this(clock);
        this.coreDatabase = db;
        this.store = store;
        this.stateful = stateful;
        this.tm = tm;
        this.events = events;
    }

    @Activate
    void activate(Config c) throws Exception {
        check(c);
        config = c;
        Tables.name(c.presentity__table());
        Tables.name(c.active__watchers__table());
        Tables.name(c.watchers__table());
        boolean needDb = c.subs__db__mode() > 0 || c.publ__cache() != 2;
        database = needDb ? coreDatabase.forUrl(c.db__url()) : null;
        MemorySubs memSubs = new MemorySubs(store);
        MemoryPres memPres = new MemoryPres(store);
        if (database != null) {
            dbSubs = new DbSubs(database, c.active__watchers__table(), c.watchers__table());
            dbPres = new DbPres(database, c.presentity__table());
        }
        subs = switch (c.subs__db__mode()) {
            case 0 -> memSubs;
            case 3 -> dbSubs;
            default -> new CachedSubs(memSubs, dbSubs, c.subs__db__mode() == 1, store);
        };
        pres = switch (c.publ__cache()) {
            case 2 -> memPres;
            case 0 -> dbPres;
            default -> new CachedPres(memPres, dbPres);
        };
        replies = new Replies(this);
        authorisations = new Authorisations(this);
        notifier = new Notifier(this);
        publish = new Publish(this);
        subscribe = new Subscribe(this);
        java.util.concurrent.ScheduledThreadPoolExecutor t = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "presence");
            th.setDaemon(true);
            return th;
        });
        t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a pending retry does not hold up a stop
        thread = t;
        sweeper = new Sweeper(this);
        functionsPart = new PresenceFunctions(this);
        sweeper.start(t);
    }

    static void check(Config c) {
        if (c.subs__db__mode() < 0 || c.subs__db__mode() > 3) {
            throw new IllegalArgumentException("presence: subs_db_mode must be 0-3, not " + c.subs__db__mode());
        }
        if (c.publ__cache() < 0 || c.publ__cache() > 2) {
            throw new IllegalArgumentException("presence: publ_cache must be 0-2, not " + c.publ__cache());
        }
        if (c.min__expires__action() < 1 || c.min__expires__action() > 2) {
            throw new IllegalArgumentException("presence: min_expires_action must be 1 or 2, not "
                    + c.min__expires__action());
        }
        if (c.max__expires() <= 0 || (c.min__expires() > 0 && c.min__expires() > c.max__expires())) {
            throw new IllegalArgumentException("presence: min_expires " + c.min__expires() + " must not exceed "
                    + "max_expires " + c.max__expires());
        }
    }

    /** cfg.reload: every parameter but restartParameters() applies to the next request and the next sweep. */
    @Modified
    void modified(Config c) {
        check(c);
        config = c;
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
        if (subs instanceof CachedSubs cs && config.subs__db__mode() == 2) {
            try {
                cs.flush(); // the old version's changes reach the table before it goes
            } catch (Exception e) {
                LOG.warn("presence: subscriptions not written to {}: {}", config.active__watchers__table(),
                        e.toString());
            }
        }
    }

    /** Ends expired subscriptions and publications now ({@link Sweeper#sweep}). */
    void sweep(long now, boolean all) throws Exception {
        sweeper.sweep(now, all);
    }

    // ---- for the parts ---------------------------------------------------------------

    SharedStore store() {
        return store;
    }

    long now() {
        return clock.getAsLong() / 1000;
    }

    TmApi tm() {
        return tm;
    }

    StatefulCore stateful() {
        return stateful;
    }

    /** Whether a Record-Route URI names this server (its own record_route: not part of the route set). */
    boolean isMyself(org.siphon.core.sip.uri.Uri uri) {
        return sipCore != null && uri instanceof org.siphon.core.sip.uri.SipUri u && sipCore.isMyself(u.host(), u.port());
    }

    /** Runs {@code task} on the module's thread (database work out of tm's threads). */
    void background(Runnable task) {
        try {
            thread.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    List<TransactionLayer> transactions() {
        return transactions;
    }

    PresenceEvent event(String name) {
        for (PresenceEvent e : events) {
            if (e.name().equalsIgnoreCase(name)) {
                return e;
            }
        }
        return null;
    }

    List<PresenceEvent> events() {
        return events;
    }

    /** Allow-Events: the packages served. */
    String allowEvents() {
        List<String> names = new ArrayList<>();
        for (PresenceEvent e : events) {
            names.add(e.name());
        }
        return String.join(", ", names);
    }

    // ---- exports ---------------------------------------------------------------------

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return functionsPart.exports();
    }

    int authStatus(String watcher, String presentity) {
        return functionsPart.authStatus(watcher, presentity);
    }

    @Override
    public List<PresenceEvent.Publication> publications(String presentityUri, String event) {
        return functionsPart.publications(presentityUri, event);
    }

    boolean hasSubscribers(String uri, String event) {
        return functionsPart.hasSubscribers(uri, event);
    }

    boolean refreshWatchers(String uri, String event, int type) {
        return functionsPart.refreshWatchers(uri, event, type);
    }

    @Override
    public List<org.siphon.core.pv.PseudoVariableExport> pseudoVariables() {
        return SubsVariables.exports(this);
    }

    org.siphon.core.function.EventRoutes eventRoutes() {
        return eventRoutes;
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return new PresenceRpc(this).commands();
    }

    @Override
    public Map<String, Object> statistics() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("presence:received_publish", publishes.sum());
        s.put("presence:received_subscribe", subscribes.sum());
        s.put("presence:sent_notify", notifies.sum());
        s.put("presence:failed_notify", failedNotifies.sum());
        s.put("presence:expired_subscriptions", expiredSubscriptions.sum());
        s.put("presence:expired_publications", expiredPublications.sum());
        s.put("presence:refused_subscribe", refusedSubscribes.sum());
        if (store != null) {
            s.put("presence:active_subscriptions", (long) store.table(MemorySubs.SUBS).size());
        }
        return s;
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    /** tm ends a NOTIFY's transaction after fr_timer (32 s by default). */
    @Override
    public long drainLimitMillis() {
        return 40_000;
    }

    @Override
    public Set<String> restartParameters() {
        return Set.of("db_url", "presentity_table", "active_watchers_table", "watchers_table", "subs_db_mode",
                "publ_cache");
    }
}
