package org.siphon.presence.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The presence module's timer jobs, on its own thread: the tables prepared (created or checked,
 * loaded after a restart; tried again every 10 s while the database cannot be used), then once a
 * second the expiry of subscriptions and publications ({@link #sweep}), the write-back flush of
 * {@code subs_db_mode=2} every {@code db_update_period} and the database's cleaning every
 * {@code clean_period}. Not thread-safe: runs on the module's one thread (and {@code presence.cleanup}).
 */
final class Sweeper {

    private final PresenceComponent m;
    private ScheduledExecutorService thread;
    private volatile boolean tablesReady;
    private long nextClean;
    private long nextFlush;

    Sweeper(PresenceComponent m) {
        this.m = m;
    }

    void start(ScheduledExecutorService t) {
        thread = t;
        if (m.database != null && !prepareTables()) {
            thread.schedule(this::prepareTablesUntilDone, 10, TimeUnit.SECONDS);
        }
        thread.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Creates or checks the tables and, after a restart, loads them; false (with an ERROR line) when
     * the database cannot be used now: the module stays active, requests needing the database get
     * 500 until it can, and the module's thread tries again every 10 s.
     */
    private boolean prepareTables() {
        PresenceComponent.Config c = m.config;
        try {
            Tables.ensure(m.database, c.presentity__table(), c.active__watchers__table(), c.watchers__table());
            load();
            tablesReady = true;
            return true;
        } catch (Exception e) {
            PresenceComponent.LOG.error("presence: tables {}, {}, {} in {} not usable: {} (trying again every 10 s)",
                    c.presentity__table(), c.active__watchers__table(), c.watchers__table(), m.database.url(),
                    e.getMessage());
            return false;
        }
    }

    private void prepareTablesUntilDone() {
        if (!prepareTables()) {
            thread.schedule(this::prepareTablesUntilDone, 10, TimeUnit.SECONDS);
        }
    }

    /**
     * A restart: the shared store is empty, the database has the state (subs_db_mode 1/2,
     * publ_cache 1). After a module update the store is full and nothing is read. A marker in the
     * store tells them apart.
     */
    private void load() throws Exception {
        var meta = m.store().table("presence.meta");
        if (meta.get("loaded") != null) {
            return;
        }
        int n = 0;
        int p = 0;
        if (m.subs instanceof CachedSubs cs) {
            n = cs.load();
        }
        if (m.pres instanceof CachedPres cp) {
            p = cp.load();
        }
        meta.put("loaded", Boolean.TRUE, 0);
        if (n > 0 || p > 0) {
            PresenceComponent.LOG.info("presence: {} subscription(s) and {} publication(s) loaded from the database", n, p);
        }
    }

    /** Once a second on the module's thread. */
    private void tick() {
        if (m.database != null && !tablesReady) {
            return;
        }
        try {
            long now = m.now();
            sweep(now, false);
            PresenceComponent.Config c = m.config;
            if (c.subs__db__mode() == 2 && c.db__update__period() > 0 && now >= nextFlush) {
                nextFlush = now + c.db__update__period();
                ((CachedSubs) m.subs).flush();
            }
        } catch (Exception e) {
            PresenceComponent.LOG.error("presence: timer failed: {}", e.toString());
        }
    }

    /**
     * Ends expired subscriptions (a terminating NOTIFY each) and expired publications (the watchers
     * notified, unless force_delete); every clean_period (or when {@code all}) also the database's
     * stale rows.
     */
    void sweep(long now, boolean all) throws Exception {
        for (Subscription s : m.subs.expired(now)) {
            Subscription gone = m.subs.remove(s.key());
            if (gone != null) {
                m.expiredSubscriptions.increment();
                m.notifier.terminated(gone, "timeout");
                m.notifier.winfoChanged(gone, "terminated", "timeout");
            }
        }
        List<Presentity> gone = m.pres.expired(now);
        Map<String, Presentity> touched = new LinkedHashMap<>();
        for (Presentity p : gone) {
            if (m.pres.remove(p.uri(), p.event(), p.etag())) {
                m.expiredPublications.increment();
                touched.put(Presentity.key(p.uri(), p.event()), p);
            }
        }
        PresenceComponent.Config c = m.config;
        if (c.force__delete() == 0) {
            for (Presentity p : touched.values()) {
                m.notifier.publicationChanged(p.uri(), p.event(), null);
            }
        }
        if (m.database != null && c.clean__period() > 0 && (all || now >= nextClean)) {
            nextClean = now + c.clean__period();
            if (m.dbPres != null && !(m.pres instanceof DbPres)) {
                for (Presentity p : m.dbPres.expired(now)) {
                    m.dbPres.remove(p.uri(), p.event(), p.etag());
                }
            }
            m.dbSubs.cleanWatchers();
        }
    }
}
