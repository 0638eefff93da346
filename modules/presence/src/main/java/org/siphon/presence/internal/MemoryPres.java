package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.siphon.core.store.SharedStore;
import org.siphon.core.store.StoreTable;

/**
 * Publications in the shared store's {@code presence.presentity}: presentity URI and event → an
 * immutable list of publication maps, oldest first; each change replaces the list atomically.
 */
final class MemoryPres implements Pres {

    static final String TABLE = "presence.presentity";

    private final StoreTable table;

    MemoryPres(SharedStore store) {
        table = store.table(TABLE);
    }

    boolean isEmpty() {
        return table.size() == 0;
    }

    @Override
    public List<Presentity> of(String uri, String event) {
        return list(table.get(Presentity.key(uri, event)));
    }

    private static List<Presentity> list(Object v) {
        if (!(v instanceof List<?> l)) {
            return List.of();
        }
        List<Presentity> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add(Presentity.fromMap((Map<?, ?>) o));
        }
        return out;
    }

    @Override
    public void put(String uri, Presentity p, String replacedEtag) {
        table.update(Presentity.key(uri, p.event()), old -> {
            List<Object> l = new ArrayList<>();
            if (old instanceof List<?> o) {
                for (Object e : o) {
                    Object etag = ((Map<?, ?>) e).get("etag");
                    if (!etag.equals(replacedEtag) && !etag.equals(p.etag())) {
                        l.add(e);
                    }
                }
            }
            l.add(p.toMap());
            return List.copyOf(l);
        }, 0);
    }

    @Override
    public boolean remove(String uri, String event, String etag) {
        boolean[] found = new boolean[1];
        table.update(Presentity.key(uri, event), old -> {
            if (!(old instanceof List<?> o)) {
                return null;
            }
            List<Object> l = new ArrayList<>();
            for (Object e : o) {
                if (((Map<?, ?>) e).get("etag").equals(etag)) {
                    found[0] = true;
                } else {
                    l.add(e);
                }
            }
            return l.isEmpty() ? null : List.copyOf(l);
        }, 0);
        return found[0];
    }

    @Override
    public List<Presentity> expired(long now) {
        List<Presentity> out = new ArrayList<>();
        table.forEach((k, v) -> {
            for (Presentity p : list(v)) {
                if (p.expires() <= now) {
                    out.add(p);
                }
            }
        });
        return out;
    }

    @Override
    public List<Presentity> all() {
        List<Presentity> out = new ArrayList<>();
        table.forEach((k, v) -> out.addAll(list(v)));
        return out;
    }
}
