package org.siphon.dispatcher.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.osgi.framework.BundleContext;
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
import org.siphon.core.function.EventRoutes;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.store.SharedStore;
import org.siphon.tm.TmApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code dispatcher}: destination sets from Kamailio's list file or {@code dispatcher}
 * table, the selection functions ({@link DsFunctions}), keepalives ({@link Prober}) and RPC
 * ({@link DispatcherRpc}). The list is swapped whole on reload; states, latency and positions
 * live in the core's store ({@link States}) and outlive module updates. One thread of its own
 * ({@code dispatcher-timer}) sends keepalives, runs delayed reloads and the event routes.
 */
@Component(immediate = true, configurationPid = "org.siphon.dispatcher", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DispatcherComponent.Config.class)
public class DispatcherComponent implements SiphonModule {

    static final String MODULE = "dispatcher";
    static final Logger LOG = LoggerFactory.getLogger(DispatcherComponent.class);

    @ObjectClassDefinition(name = "Siphon module dispatcher")
    public @interface Config {
        @AttributeDefinition(description = "The list file, relative to the script's folder (default dispatcher.list; "
                + "ignored when db_url is set)")
        String list__file() default "dispatcher.list";

        @AttributeDefinition(description = "Load the sets from this database's dispatcher table instead of list_file; "
                + "'default' or the core's URL for the core's database (default empty: the list file)")
        String db__url() default "";

        @AttributeDefinition(description = "The table (Kamailio's dispatcher, version 4; created when missing)")
        String table__name() default "dispatcher";

        String setid__col() default "setid";

        String destination__col() default "destination";

        String flags__col() default "flags";

        String priority__col() default "priority";

        String attrs__col() default "attrs";

        @AttributeDefinition(description = "1: ds_select_dst overwrites a $du already set; 0: it fails (default 1)")
        int force__dst() default 1;

        @AttributeDefinition(description = "Bit 1: hash URIs over the user only; bit 2: keep the other destinations for failover (default 0)")
        int flags() default 0;

        @AttributeDefinition(description = "1: the set's last destination is only used when all others are down (default 0)")
        int use__default() default 0;

        String xavp__dst() default "_dsdst_";

        @AttributeDefinition(description = "Bit 1: no attrs field; bit 2: add socket; bit 4: add sockname (default 0)")
        int xavp__dst__mode() default 0;

        String xavp__ctx() default "_dsctx_";

        int xavp__ctx__mode() default 0;

        @AttributeDefinition(description = "Text with pseudo-variables hashed by algorithm 7, e.g. $avp(hash) (default empty)")
        String hash__pvar() default "";

        @AttributeDefinition(description = "The PV ds_is_from_list sets to the matching set id, e.g. $var(setid)")
        String setid__pvname() default "";

        @AttributeDefinition(description = "The PV ds_is_from_list sets to the matching destination's attrs")
        String attrs__pvname() default "";

        String ds__ping__method() default "OPTIONS";

        String ds__ping__from() default "sip:dispatcher@localhost";

        @AttributeDefinition(description = "Seconds between keepalives; 0 disables them (default 0)")
        int ds__ping__interval() default 0;

        int ds__probing__threshold() default 1;

        int ds__inactive__threshold() default 1;

        @AttributeDefinition(description = "Replies that count as alive besides 200: code=NNN;class=N (default empty)")
        String ds__ping__reply__codes() default "";

        @AttributeDefinition(description = "0 probing-flagged only (flag cleared on success), 1 all, 2 inactive probing, 3 probing-flagged always")
        int ds__probing__mode() default 0;

        int ds__ping__latency__stats() default 0;

        @AttributeDefinition(description = "EWMA alpha times 1000 (default 900)")
        int ds__latency__estimator__alpha() default 900;

        @AttributeDefinition(description = "Seconds between two reloads at least; a reload asked sooner runs when it is due (default 5)")
        int reload__delta() default 5;

        @AttributeDefinition(description = "SIP URI the keepalives are sent through (default none)")
        String outbound__proxy() default "";

        int ds__attrs__none() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " a malformed list line always refuses the list")
        int ds__load__mode() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " algorithm 10 (call load) is not available")
        int ds__hash__size() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " algorithm 10 (call load) is not available")
        int ds__hash__expire() default 7200;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " algorithm 10 (call load) is not available")
        int ds__hash__initexpire() default 7200;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " algorithm 10 (call load) is not available")
        int ds__hash__check__interval() default 30;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " the module has one timer thread of its own")
        int ds__timer__mode() default 0;

        @AttributeDefinition(description = SiphonModule.NO_EFFECT + " hosts are not resolved by the module")
        int ds__dns__mode() default 1;
    }

    @Reference
    SharedStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Database coreDatabase;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile PseudoVariableRegistry pseudoVariables;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventRoutes eventRoutes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile TmApi tm;

    volatile Config config;
    volatile List<String> hashPvar = List.of();
    private volatile DsList list = DsList.EMPTY;
    States states;
    Selector selector;
    final Pvs pvs = new Pvs(() -> pseudoVariables);
    Path scriptDir;
    ScheduledExecutorService timer;
    Prober prober;
    private ScheduledFuture<?> pendingReload;

    public DispatcherComponent() {
    }

    /** For tests: no DS, no tm, no script. */
    DispatcherComponent(SharedStore store, Database database, PseudoVariableRegistry pvs, Path scriptDir, Config c) {
        this.store = store;
        this.coreDatabase = database;
        this.pseudoVariables = pvs;
        this.scriptDir = scriptDir;
        start(c);
    }

    @Activate
    void activate(BundleContext context, Config c) {
        if (context != null) {
            String cfg = context.getProperty("siphon.cfg");
            String home = context.getProperty("siphon.home");
            Path script = cfg != null ? Path.of(cfg) : home != null ? Path.of(home, "config", "siphon.cfg") : null;
            scriptDir = script == null ? null : script.toAbsolutePath().getParent();
        }
        start(c);
    }

    private void start(Config c) {
        config = c;
        hashPvar = Pvs.parts(c.hash__pvar());
        states = new States(store.table("dispatcher:state"));
        selector = new Selector(states);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dispatcher-timer");
            t.setDaemon(true);
            return t;
        });
        prober = new Prober(this);
        List<String> saved = states.savedList();
        DsList l = null;
        if (saved != null) {
            try {
                l = new DsList(ListFile.parse(String.join("\n", saved), "saved list"), states.savedSource());
                LOG.info("dispatcher: {} destinations in {} sets kept from the running list", l.all().size(), l.sets().size());
            } catch (ListFile.ListException e) {
                LOG.warn("dispatcher: the kept list cannot be read ({}); loading the source", e.getMessage());
            }
        }
        if (l == null) {
            try {
                l = load(c);
                LOG.info("dispatcher: {} destinations in {} sets from {}", l.all().size(), l.sets().size(), l.source());
            } catch (ListFile.ListException e) {
                if (defaultListMissing(c)) {
                    // the module is installed but no config sets it up: no destinations, nothing wrong
                    LOG.info("dispatcher: no {} and no db_url: no destinations until one is configured",
                            c.list__file());
                } else {
                    LOG.error("dispatcher: {}; starting with no destinations", e.getMessage());
                }
                l = DsList.EMPTY;
            }
        }
        install(l);
        prober.schedule();
        long due = states.pendingReload();
        if (due != 0) {
            // the previous version had put a reload off (reload_delta): it is ours to run
            synchronized (this) {
                schedulePending(due - System.currentTimeMillis());
            }
        }
    }

    @Modified
    void modified(Config c) {
        Config old = config;
        config = c;
        hashPvar = Pvs.parts(c.hash__pvar());
        boolean source = !old.list__file().equals(c.list__file()) || !old.db__url().equals(c.db__url())
                || !old.table__name().equals(c.table__name());
        if (source) {
            LOG.info("dispatcher: {}", reload());
        }
        if (old.ds__ping__interval() != c.ds__ping__interval()) {
            prober.schedule();
        }
    }

    @Deactivate
    void deactivate() {
        prober.cancel();
        timer.shutdownNow();
    }

    @Override
    public String name() {
        return MODULE;
    }

    DsList list() {
        return list;
    }

    /** Reads the list from the configured source; the sets in use are not touched. */
    DsList load(Config c) throws ListFile.ListException {
        if (!c.db__url().isBlank()) {
            Database core = coreDatabase;
            if (core == null) {
                throw new ListFile.ListException("db_url is set but no database service is available");
            }
            String url = c.db__url().trim().equals("default") ? "" : c.db__url().trim();
            Database db;
            try {
                db = core.forUrl(url);
            } catch (IllegalArgumentException e) {
                throw new ListFile.ListException("db_url: " + e.getMessage());
            }
            return DsDb.load(db, new DsDb.Columns(c.table__name(), c.setid__col(), c.destination__col(), c.flags__col(),
                    c.priority__col(), c.attrs__col()));
        }
        Path file = Path.of(c.list__file().trim());
        if (!file.isAbsolute() && scriptDir != null) {
            file = scriptDir.resolve(file);
        }
        return ListFile.load(file);
    }

    /** Whether the source is the default list file (no db_url, list_file not set) and that file is not there. */
    private boolean defaultListMissing(Config c) {
        if (!c.db__url().trim().isEmpty() || !c.list__file().trim().equals("dispatcher.list")) {
            return false;
        }
        Path file = Path.of("dispatcher.list");
        return !java.nio.file.Files.exists(scriptDir != null ? scriptDir.resolve(file) : file);
    }

    /** Makes {@code l} the list in use, in one step. */
    synchronized void install(DsList l) {
        states.sync(l);
        states.saveList(l);
        list = l;
    }

    /**
     * {@code dispatcher.reload} and {@code ds_reload()}: the source is read now and swapped in
     * whole, or refused (the sets in use stay). Within {@code reload_delta} of the last reload it
     * is put off until then, and one put-off reload runs then however many were asked. The time
     * of the last reload and a put-off one are kept in the store: after {@code module.update
     * dispatcher} the new version keeps the rate and runs the put-off reload.
     *
     * @return what happened, starting with {@code refused} when the list was not taken
     */
    synchronized String reload() {
        long now = System.currentTimeMillis();
        long due = states.lastReload() + Math.max(0, config.reload__delta()) * 1000L;
        if (now < due) {
            states.pendingReload(due);
            schedulePending(due - now);
            return "scheduled in " + (due - now) + " ms (reload_delta)";
        }
        return reloadNow(now);
    }

    /** Runs the put-off reload {@code delayMillis} from now unless one is already waiting. Holds the lock. */
    private void schedulePending(long delayMillis) {
        if (pendingReload == null || pendingReload.isDone()) {
            try {
                pendingReload = timer.schedule(this::runPending, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping: the store keeps it for the next version
            }
        }
    }

    /** The put-off reload, when due: it runs whatever the clock says (no second putting off). */
    private void runPending() {
        String what;
        synchronized (this) {
            pendingReload = null;
            what = reloadNow(System.currentTimeMillis());
        }
        LOG.info("dispatcher: {}", what);
    }

    private String reloadNow(long now) {
        states.lastReload(now);
        states.pendingReload(0);
        try {
            DsList l = load(config);
            install(l);
            return "reloaded " + l.all().size() + " destinations in " + l.sets().size() + " sets from " + l.source();
        } catch (ListFile.ListException e) {
            LOG.error("dispatcher: reload refused, keeping the sets in use: {}", e.getMessage());
            return "refused: " + e.getMessage();
        }
    }

    /** Adds or removes a destination in memory (RPC). */
    synchronized void replace(java.util.function.UnaryOperator<DsList> change) {
        install(change.apply(list));
    }

    /**
     * Sets the state of the destinations of {@code setid} that {@code which} accepts; runs the
     * event routes for those that went down or up.
     *
     * @return how many destinations matched
     */
    int setState(int setid, Predicate<Destination> which, String state) {
        DsList.DsSet set = list.set(setid);
        if (set == null) {
            return 0;
        }
        int n = 0;
        for (Destination d : set.destinations()) {
            if (which.test(d)) {
                n++;
                changed(d, states.set(d, state, config.ds__probing__threshold()));
            }
        }
        return n;
    }

    /** After a state change: {@code event_route[dispatcher:dst-down|dst-up]} on the module's thread. */
    void changed(Destination d, States.Change change) {
        String event = change.wentDown() ? "dispatcher:dst-down" : change.wentUp() ? "dispatcher:dst-up" : null;
        if (event != null) {
            LOG.info("dispatcher: {} {} is {}", d.setid(), d.uri(), change.wentDown() ? "down" : "up");
            try {
                timer.execute(() -> prober.event(event, d));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("dispatcher: stopping, {} not run for {}", event, d.uri());
            }
        }
    }

    @Override
    public List<FunctionExport> functions() {
        return new DsFunctions(this).all();
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return new DispatcherRpc(this).all();
    }

    @Override
    public Map<String, Object> statistics() {
        Map<String, Object> m = new LinkedHashMap<>();
        DsList l = list;
        long active = l.all().stream().filter(states::usable).count();
        m.put("dispatcher:sets", (long) l.sets().size());
        m.put("dispatcher:destinations", (long) l.all().size());
        m.put("dispatcher:active_destinations", active);
        m.put("dispatcher:pings_sent", prober.sent.sum());
        m.put("dispatcher:pings_failed", prober.failed.sum());
        return m;
    }

    @Override
    public Set<String> restartParameters() {
        return Set.of();
    }

    List<Destination> all() {
        return new ArrayList<>(list.all());
    }
}
