package org.siphon.presence.internal;

import java.util.List;

/**
 * {@code publ_cache} 1: publications read from the shared store, every change written through to
 * the {@code presentity} table at once, so that a restart finds them ({@link #load}).
 */
final class CachedPres implements Pres {

    private final MemoryPres mem;
    private final DbPres db;

    CachedPres(MemoryPres mem, DbPres db) {
        this.mem = mem;
        this.db = db;
    }

    @Override
    public List<Presentity> of(String uri, String event) {
        return mem.of(uri, event);
    }

    @Override
    public void put(String uri, Presentity p, String replacedEtag) throws Exception {
        db.put(uri, p, replacedEtag);
        mem.put(uri, p, replacedEtag);
    }

    @Override
    public boolean remove(String uri, String event, String etag) throws Exception {
        db.remove(uri, event, etag);
        return mem.remove(uri, event, etag);
    }

    @Override
    public List<Presentity> expired(long now) {
        return mem.expired(now);
    }

    @Override
    public List<Presentity> all() {
        return mem.all();
    }

    /** After a restart: the table's rows into the (empty) shared store. */
    int load() throws Exception {
        int n = 0;
        for (Presentity p : db.all()) {
            mem.put(p.uri(), p, null);
            n++;
        }
        return n;
    }
}
