package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.store.SharedStore;
import org.siphon.core.store.StoreTable;

/**
 * {@code subs_db_mode} 1 and 2: reads from the shared store, every change also written to
 * {@code active_watchers}, at once (1, write-through, on the SIP worker) or by {@link #flush}
 * every {@code db_update_period} seconds (2, write-back: the changed keys wait in the shared
 * store's {@code presence.subs_dirty}, so a module update loses none).
 */
final class CachedSubs implements Subs {

    static final String DIRTY = "presence.subs_dirty";

    private final MemorySubs mem;
    private final DbSubs db;
    private final boolean writeThrough;
    private final StoreTable dirty;

    CachedSubs(MemorySubs mem, DbSubs db, boolean writeThrough, SharedStore store) {
        this.mem = mem;
        this.db = db;
        this.writeThrough = writeThrough;
        this.dirty = store.table(DIRTY);
    }

    @Override
    public Subscription get(String key) {
        return mem.get(key);
    }

    @Override
    public void put(Subscription s) throws Exception {
        mem.put(s);
        written(s.key());
    }

    @Override
    public Subscription remove(String key) throws Exception {
        Subscription s = mem.remove(key);
        if (s != null) {
            if (writeThrough) {
                db.remove(key);
            } else {
                dirty.put(key, Boolean.TRUE, 0);
            }
        }
        return s;
    }

    @Override
    public List<Subscription> of(String presentityUri, String event) {
        return mem.of(presentityUri, event);
    }

    @Override
    public int countOfWatcher(String user, String domain) {
        return mem.countOfWatcher(user, domain);
    }

    @Override
    public List<Subscription> expired(long now) {
        return mem.expired(now);
    }

    @Override
    public List<Subscription> all() {
        return mem.all();
    }

    @Override
    public Subscription next(String key, boolean bumpVersion) throws Exception {
        Subscription s = mem.next(key, bumpVersion);
        if (s != null) {
            written(key);
        }
        return s;
    }

    private void written(String key) throws Exception {
        if (writeThrough) {
            Subscription now = mem.get(key);
            if (now != null) {
                db.put(now);
            }
        } else {
            dirty.put(key, Boolean.TRUE, 0);
        }
    }

    /** Mode 2: writes the changed subscriptions (or deletes the removed ones); how many rows. */
    int flush() throws Exception {
        List<String> keys = new ArrayList<>();
        dirty.forEach((k, v) -> keys.add(k));
        int n = 0;
        for (String k : keys) {
            dirty.remove(k);
            Subscription s = mem.get(k);
            try {
                if (s == null) {
                    db.remove(k);
                } else {
                    db.put(s);
                }
                n++;
            } catch (Exception e) {
                dirty.put(k, Boolean.TRUE, 0); // next round
                throw e;
            }
        }
        return n;
    }

    /** After a restart: the table's rows into the (empty) shared store. */
    int load() throws Exception {
        int n = 0;
        for (Subscription s : db.all()) {
            mem.put(s);
            n++;
        }
        return n;
    }
}
