package org.siphon.registrar.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.Cancellable;
import org.siphon.core.db.Database;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.siphon.core.store.SharedStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code registrar} with usrloc: {@code save}, {@code lookup}, {@code registered},
 * {@code unregister}; the location table lives in the core's store (memory, Kamailio's
 * {@code db_mode} 0) and outlives module updates; RPC {@code ul.*}. REGISTER handling is in
 * {@link Save}.
 */
@Component(immediate = true, configurationPid = "org.siphon.registrar", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RegistrarComponent.Config.class)
public class RegistrarComponent implements SiphonModule, org.siphon.registrar.Locations {

    static final String MODULE = "registrar";
    private static final Logger LOG = LoggerFactory.getLogger(RegistrarComponent.class);

    @ObjectClassDefinition(name = "Siphon module registrar")
    public @interface Config {
        @AttributeDefinition(description = "Expires of a contact that gives none, seconds (default 3600)")
        int default__expires() default 3600;

        @AttributeDefinition(description = "Shortest expires accepted; shorter gets 423 with Min-Expires (default 60)")
        int min__expires() default 60;

        @AttributeDefinition(description = "Longest expires; longer is cut to it (0: no limit, default)")
        int max__expires() default 0;

        @AttributeDefinition(description = "Contacts per AOR at most; more gets 503 (0: no limit, default)")
        int max__contacts() default 0;

        @AttributeDefinition(description = "Store Path headers (RFC 3327) and route lookups through them (default 0)")
        int use__path() default 0;

        @AttributeDefinition(description = "With use_path: 2 refuses a REGISTER with Path but without Supported: path "
                + "(420, RFC 3327), 1 stores it and echoes Path in the 200 only when supported, 0 stores it and never "
                + "echoes it (default 2)")
        int path__mode() default 2;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " usrloc's timer processes; one scheduler "
                + "thread of the core sweeps expired contacts every timer_interval (default 0)")
        int timer__procs() default 0;

        @AttributeDefinition(description = "lookup() adds the other contacts as branches (default 1)")
        int append__branches() default 1;

        @AttributeDefinition(description = "AORs are user@domain (1) or user only (0, default)")
        int use__domain() default 0;

        @AttributeDefinition(description = "Seconds between sweeps of expired contacts (default 60)")
        int timer__interval() default 60;

        @AttributeDefinition(description = "usrloc's database for db_mode 1-3; empty: the core's (config/org.siphon.db.cfg), "
                + "e.g. postgres://user:pass@host/db, mysql://…, sqlite:///path (default empty)")
        String db__url() default "";

        @AttributeDefinition(description = "0 memory only, 1 write-through, 2 write-back, 3 database only (nodes sharing a PostgreSQL)")
        int db__mode() default 0;

        @AttributeDefinition(description = "lookup() skips contacts whose Allow does not list the request's method (default 0)")
        int method__filtering() default 0;

        @AttributeDefinition(description = "The AVP holding the source address of a NATed REGISTER (e.g. $avp(RECEIVED)); "
                + "stored with its contacts, lookup() sends to it (default: none)")
        String received__avp() default "";

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " usrloc's hash table size (a power of two); "
                + "the location table grows by itself (default 10)")
        int hash__size() default 10;

        @AttributeDefinition(description = "GRUU (RFC 5627); only 0 is supported, 1 is logged and ignored (default 0)")
        int gruu__enabled() default 0;

        @AttributeDefinition(description = "usrloc's NAT branch flag; every branch flag set at save() is stored and "
                + "restored by lookup(), this one included (default -1: none)")
        int nat__bflag() default -1;
    }

    @Reference
    SipCore core;
    @Reference
    private SharedStore store;
    @Reference
    private StatefulCore timers;
    @Reference
    private Database coreDatabase;
    /** The database db_url names (the core's when empty), as activated: a change takes effect after module.update. */
    private Database database;
    /** db_mode 1 and 2: the database copy of the location table; null in db_mode 0. */
    volatile LocationDb persisted;

    /** The parameters; replaced whole by {@code cfg.reload}, except db_mode (see {@link #modified}). */
    volatile Config config;
    /** db_mode as activated: a change takes effect after {@code module.update registrar}. */
    private int dbMode;
    Bindings location;
    LongSupplier clock = System::currentTimeMillis;
    final LongAdder accepted = new LongAdder();
    final LongAdder rejected = new LongAdder();
    private volatile Cancellable sweep;

    public RegistrarComponent() {
    }

    /** For tests. */
    RegistrarComponent(SipCore core, SharedStore store, Config config, LongSupplier clock) {
        this(core, store, null, config, clock);
    }

    /** For tests, with a database for db_mode 1 and 2. */
    RegistrarComponent(SipCore core, SharedStore store, Database database, Config config, LongSupplier clock) {
        this.core = core;
        this.store = store;
        this.coreDatabase = database;
        this.clock = clock;
        start(config);
    }

    @Activate
    void activate(Config c) {
        start(c);
        scheduleSweep();
    }

    /**
     * {@code cfg.reload} with changed parameters: each applies to the next REGISTER, lookup and
     * sweep, and the contacts stay (they are in the core's store). {@code db_mode} is the exception
     * ({@link #restartParameters()}): it keeps its activated value until {@code module.update registrar}.
     */
    @Modified
    void modified(Config c) {
        if (c.db__mode() != dbMode) {
            LOG.info("registrar: db_mode {} takes effect after module.update registrar; keeping {}", c.db__mode(), dbMode);
        }
        if (!c.db__url().equals(config.db__url())) {
            LOG.info("registrar: a new db_url takes effect after module.update registrar; keeping {}", database == null
                    ? "none" : database.url());
        }
        if (c.gruu__enabled() != 0 && config.gruu__enabled() == 0) {
            LOG.warn("registrar: gruu_enabled=1 is not supported; REGISTERs are answered without GRUUs");
        }
        config = c;
    }

    @Override
    public java.util.Set<String> restartParameters() {
        return java.util.Set.of("db_mode", "db_url");
    }

    private void start(Config c) {
        config = c;
        dbMode = c.db__mode();
        database = coreDatabase == null ? null : coreDatabase.forUrl(c.db__url());
        if (c.gruu__enabled() != 0) {
            LOG.warn("registrar: gruu_enabled=1 is not supported; REGISTERs are answered without GRUUs");
        }
        org.siphon.core.store.StoreTable table = store.table("usrloc:location");
        location = new Location(table);
        int mode = c.db__mode();
        if (mode == 3 && database != null) {
            try {
                location = new DbBindings(database);
                LOG.info("usrloc: contacts kept in {} only (db_mode 3)", database.url());
                return;
            } catch (java.sql.SQLException e) {
                LOG.error("usrloc: db_mode 3 but the database {} cannot be used ({}); keeping contacts in memory",
                        database.url(), e.getMessage());
            }
        }
        if (mode > 0 && database != null) {
            connect(table);
        }
    }

    /** db_mode 1 and 2: opens the location table (filling the memory table when it is empty); retried by flush(). */
    private void connect(org.siphon.core.store.StoreTable table) {
        try {
                LocationDb db = new LocationDb(database);
            if (table.size() == 0) {
                    int n = 0;
                    for (var e : db.load(clock.getAsLong()).entrySet()) {
                        List<Contact> loaded = e.getValue();
                        location.update(e.getKey(), clock.getAsLong(), current -> loaded);
                        n += loaded.size();
                    }
                    LOG.info("usrloc: {} contacts loaded from {}", n, database.url());
                }
                persisted = db;
        } catch (java.sql.SQLException e) {
            LOG.error("usrloc: the database {} cannot be used ({}); contacts are kept in memory only until it can",
                    database.url(), e.getMessage());
        }
    }

    @Override
    public List<org.siphon.registrar.Locations.Binding> contacts() {
        long now = clock.getAsLong();
        int natFlag = config.nat__bflag();
        List<org.siphon.registrar.Locations.Binding> out = new java.util.ArrayList<>();
        for (String aor : location.aors(now)) {
            for (Contact c : location.contacts(aor, now)) {
                out.add(new org.siphon.registrar.Locations.Binding(aor, c.uri(), c.received(), c.path(), c.cflags(),
                        natFlag >= 0 && natFlag < 64 && (c.cflags() & 1L << natFlag) != 0, c.expires()));
            }
        }
        return out;
    }

    @Override
    public boolean remove(String aor, String uri) {
        boolean[] found = new boolean[1];
        update(aor, clock.getAsLong(), current -> {
            List<Contact> kept = new java.util.ArrayList<>();
            for (Contact c : current) {
                if (c.uri().equals(uri)) {
                    found[0] = true;
                } else {
                    kept.add(c);
                }
            }
            return kept;
        });
        return found[0];
    }

    /** Changes an AOR's contacts (see {@link Location#update}) and persists the result per db_mode. */
    List<Contact> update(String aor, long now, java.util.function.UnaryOperator<List<Contact>> change) {
        List<Contact> after = location.update(aor, now, change);
        changed(aor, after);
        return after;
    }

    /** Removes an AOR and persists that per db_mode; false when it had no contact. */
    boolean remove(String aor) {
        boolean had = location.remove(aor);
        changed(aor, List.of());
        return had;
    }

    /** After a change of {@code aor}: db_mode 1 writes it now, db_mode 2 at the next flush. */
    void changed(String aor, List<Contact> contacts) {
        LocationDb db = persisted;
        if (db != null) {
            db.changed(aor, contacts, dbMode != 2);
        }
    }

    /** Writes pending AORs (db_mode 2, and failed writes of db_mode 1); returns how many are still pending. */
    int flush() {
        if (persisted == null && (dbMode == 1 || dbMode == 2) && database != null) {
            connect(store.table("usrloc:location"));
            LocationDb late = persisted;
            if (late != null) {
                long now = clock.getAsLong();
                for (String aor : location.aors(now)) {
                    late.changed(aor, List.of(), false); // registered while the database was away: write them now
                }
            }
        }
        LocationDb db = persisted;
        return db == null ? 0 : db.flush(aor -> location.contacts(aor, clock.getAsLong()));
    }

    private void scheduleSweep() {
        sweep = timers.schedule("usrloc", Math.max(1, config.timer__interval()) * 1000L, () -> {
            try {
                flush();
                int gone = location.expire(clock.getAsLong());
                if (gone > 0) {
                    LOG.debug("usrloc: {} contacts expired", gone);
                }
            } catch (IllegalStateException e) {
                LOG.warn("usrloc: sweep skipped: {}", e.getMessage());
            }
            if (sweep != null) {
                scheduleSweep();
            }
        });
    }

    @Deactivate
    void deactivate() {
        if (flush() > 0) {
            LOG.warn("usrloc: stopping with registrations not yet in the database; they stay in memory (the core's store)");
        }
        Cancellable s = sweep;
        sweep = null;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public String name() {
        return MODULE;
    }

    /** The AOR of a URI: {@code user} or, with use_domain, {@code user@host}; null for a URI without user. */
    String aor(Uri uri) {
        if (!(uri instanceof SipUri u) || u.user() == null || u.user().isEmpty()) {
            return null;
        }
        return config.use__domain() != 0 ? u.user() + "@" + u.host().toLowerCase() : u.user();
    }

    private static String table(String t) {
        if (!t.equals("location")) {
            LOG.debug("table {} is kept as location", t);
        }
        return t;
    }

    @Override
    public List<FunctionExport> functions() {
        RouteType[] reqFail = { RouteType.REQUEST, RouteType.FAILURE };
        return List.of(
                FunctionExport.builder("save", MODULE).args(1, 3).routes(java.util.Set.of(RouteType.REQUEST, RouteType.ONREPLY))
                        .fixup(a -> new Object[] { table(a.get(0)), a.size() > 1 ? Integer.decode(a.get(1).trim()) : 0,
                            a.size() > 2 ? a.get(2) : null })
                        .description("Processes a REGISTER (RFC 3261 §10.3) and answers it; 1, or -1 when refused (answered too).")
                        .handler((c, a) -> new Save(this).save(c, (Integer) a[1], (String) a[2])).build(),
                FunctionExport.builder("lookup", MODULE).args(1, 2).routes(java.util.Set.of(reqFail))
                        .fixup(a -> new Object[] { table(a.get(0)), a.size() > 1 ? a.get(1) : null })
                        .description("Sets the Request-URI to the best contact of the AOR (others as branches); -1 when none.")
                        .handler((c, a) -> new Lookup(this).lookup(c, (String) a[1])).build(),
                FunctionExport.builder("lookup_branches", MODULE).args(1, 1).routes(java.util.Set.of(reqFail))
                        .fixup(a -> new Object[] { table(a.get(0)) })
                        .description("lookup() on the Request-URI and on every plain branch; 1 when any was found.")
                        .handler((c, a) -> new Lookup(this).lookupBranches(c)).build(),
                FunctionExport.builder("reg_fetch_contacts", MODULE).args(3, 3).routes(RouteType.any())
                        .fixup(a -> new Object[] { table(a.get(0)), a.get(1), a.get(2) })
                        .description("Loads the contacts of the AOR of uri into profile, read with $ulc(profile=>attr); -1 when none.")
                        .handler((c, a) -> Ulc.fetch(this, c, (String) a[1], (String) a[2])).build(),
                FunctionExport.builder("reg_free_contacts", MODULE).args(1, 1).routes(RouteType.any())
                        .description("Forgets the contacts loaded into profile.")
                        .handler((c, a) -> Ulc.free(c, (String) a[0])).build(),
                FunctionExport.builder("registered", MODULE).args(1, 2).routes(RouteType.any())
                        .fixup(a -> new Object[] { table(a.get(0)), a.size() > 1 ? a.get(1) : null })
                        .description("1 when the AOR (of the Request-URI, or the URI given) has a live contact.")
                        .handler((c, a) -> {
                            String aor = aorOf(c, (String) a[1]);
                            return aor != null && !location.contacts(aor, clock.getAsLong()).isEmpty() ? 1 : -1;
                        }).build(),
                FunctionExport.builder("unregister", MODULE).args(2, 3).routes(RouteType.any())
                        .fixup(a -> new Object[] { table(a.get(0)), a.get(1) })
                        .description("Removes every contact of the AOR of the URI; 1, or -1 when it had none.")
                        .handler((c, a) -> {
                            String aor = aorOf(c, (String) a[1]);
                            return aor != null && remove(aor) ? 1 : -1;
                        }).build());
    }

    String aorOf(ActionContext c, String uri) {
        try {
            Uri u = uri != null ? UriParser.parse(uri) : c.message() instanceof SipRequest r ? r.edits().requestUri() : null;
            return u == null ? null : aor(u);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The 200 OK's Contact headers: every live contact with the seconds it has left (and, for a
     * NATed one, the {@code received} its REGISTER came from, as Kamailio appends it).
     */
    List<SipHeader> contactHeaders(List<Contact> contacts, long now) {
        List<SipHeader> out = new ArrayList<>();
        for (Contact c : contacts) {
            String q = c.qText();
            out.add(SipHeader.of("Contact", "<" + c.uri() + ">;expires=" + Math.max(0, (c.expires() - now + 999) / 1000)
                    + (q == null ? "" : ";q=" + q) + (c.received() == null ? "" : ";received=\"" + c.received() + "\"")));
        }
        return out;
    }

    /**
     * The listening socket a request arrived on as {@code force_send_socket} names it
     * ({@code udp:10.0.0.1:5060}; WebSocket on its TCP or TLS listener), or null for a local one.
     */
    static String socketOf(org.siphon.core.sip.SipSource source) {
        if (source == null || source.local() == null || source.local().getAddress() == null) {
            return null;
        }
        String proto = switch (source.transport()) {
            case "ws" -> "tcp";
            case "wss" -> "tls";
            default -> source.transport();
        };
        java.net.InetAddress a = source.local().getAddress();
        String host = a instanceof java.net.Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return proto + ":" + host + ":" + source.local().getPort();
    }

    /** Whether a stored socket is one this server listens on now (listeners change across restarts). */
    boolean ownSocket(String socket) {
        int first = socket.indexOf(':');
        int last = socket.lastIndexOf(':');
        if (first < 0 || last <= first || core == null) {
            return false;
        }
        try {
            String host = socket.substring(first + 1, last).replace("[", "").replace("]", "");
            return core.isMyself(host, Integer.parseInt(socket.substring(last + 1)));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The source address of a NATed REGISTER from {@code received_avp}, or null. */
    String received(ActionContext ctx) {
        String avp = config.received__avp().trim();
        if (avp.isEmpty()) {
            return null;
        }
        if (avp.startsWith("$avp(") && avp.endsWith(")")) {
            avp = avp.substring(5, avp.length() - 1);
        }
        if (avp.startsWith("s:") || avp.startsWith("i:")) {
            avp = avp.substring(2);
        }
        Object v = ctx.avp(avp);
        return v == null || v.toString().isEmpty() ? null : v.toString();
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return new UsrlocRpc(this).all();
    }

    @Override
    public List<org.siphon.core.pv.PseudoVariableExport> pseudoVariables() {
        return List.of(Ulc.export());
    }

    @Override
    public java.util.Map<String, Object> statistics() {
        return new UsrlocRpc(this).statistics();
    }
}
