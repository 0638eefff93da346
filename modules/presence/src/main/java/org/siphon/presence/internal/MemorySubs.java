package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.siphon.core.store.SharedStore;
import org.siphon.core.store.StoreTable;

/**
 * Subscriptions in three tables of the core's shared store, so that they outlive a module update:
 * {@code presence.subs} (key → the subscription as a map), {@code presence.subs_by_pres} (presentity
 * and event → the keys, an immutable list) and {@code presence.subs_by_watcher} (watcher → count).
 * Updates of one key are atomic; the indexes follow each change.
 */
final class MemorySubs implements Subs {

    static final String SUBS = "presence.subs";
    static final String BY_PRES = "presence.subs_by_pres";
    static final String BY_WATCHER = "presence.subs_by_watcher";

    private final StoreTable subs;
    private final StoreTable byPres;
    private final StoreTable byWatcher;

    MemorySubs(SharedStore store) {
        subs = store.table(SUBS);
        byPres = store.table(BY_PRES);
        byWatcher = store.table(BY_WATCHER);
    }

    boolean isEmpty() {
        return subs.size() == 0;
    }

    /**
     * The last map read or written per key with its subscription, so that a map the store still
     * holds is not decoded again ({@link #decode}); an entry is good only while the store holds that
     * very map. At most {@link #MAX_DECODED} entries, all dropped when full.
     */
    private record Decoded(Map<?, ?> map, Subscription subscription) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Decoded> decoded = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_DECODED = 200_000;

    private Subscription decode(String key, Map<?, ?> m) {
        Decoded d = decoded.get(key);
        if (d != null && d.map() == m) {
            return d.subscription();
        }
        Subscription s = Subscription.fromMap(m);
        remember(key, m, s);
        return s;
    }

    private void remember(String key, Map<?, ?> m, Subscription s) {
        if (decoded.size() >= MAX_DECODED) {
            decoded.clear();
        }
        decoded.put(key, new Decoded(m, s));
    }

    @Override
    public Subscription get(String key) {
        return subs.get(key) instanceof Map<?, ?> m ? decode(key, m) : null;
    }

    @Override
    public void put(Subscription s) {
        String key = s.key();
        boolean[] isNew = new boolean[1];
        subs.update(key, old -> {
            isNew[0] = old == null;
            return s.toMap();
        }, 0);
        if (isNew[0]) {
            byPres.update(s.presentityKey(), old -> {
                List<String> l = new ArrayList<>(old instanceof List<?> o ? strings(o) : List.of());
                if (!l.contains(key)) {
                    l.add(key);
                }
                return List.copyOf(l);
            }, 0);
            byWatcher.add(watcherKey(s.watcherUser(), s.watcherDomain()), 1, 0, 0);
        }
    }

    @Override
    public Subscription remove(String key) {
        Object old = subs.remove(key);
        decoded.remove(key);
        if (!(old instanceof Map<?, ?> m)) {
            return null;
        }
        Subscription s = Subscription.fromMap(m);
        byPres.update(s.presentityKey(), o -> {
            if (!(o instanceof List<?> l)) {
                return null;
            }
            List<String> rest = new ArrayList<>(strings(l));
            rest.remove(key);
            return rest.isEmpty() ? null : List.copyOf(rest);
        }, 0);
        String w = watcherKey(s.watcherUser(), s.watcherDomain());
        byWatcher.update(w, o -> o instanceof Number n && n.longValue() > 1 ? n.longValue() - 1 : null, 0);
        return s;
    }

    @Override
    public List<Subscription> of(String presentityUri, String event) {
        Object keys = byPres.get(presentityUri + "\u0001" + event);
        if (!(keys instanceof List<?> l)) {
            return List.of();
        }
        List<Subscription> out = new ArrayList<>(l.size());
        for (Object k : l) {
            Subscription s = get((String) k);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public int countOfWatcher(String user, String domain) {
        return byWatcher.get(watcherKey(user, domain)) instanceof Number n ? n.intValue() : 0;
    }

    @Override
    public List<Subscription> expired(long now) {
        List<Subscription> out = new ArrayList<>();
        subs.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && m.get("expires") instanceof Number e && e.longValue() <= now) {
                out.add(Subscription.fromMap(m));
            }
        });
        return out;
    }

    @Override
    public List<Subscription> all() {
        List<Subscription> out = new ArrayList<>();
        subs.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                out.add(Subscription.fromMap(m));
            }
        });
        return out;
    }

    @Override
    public Subscription next(String key, boolean bumpVersion) {
        Subscription[] made = new Subscription[1];
        Object[] stored = new Object[1];
        Object v = subs.update(key, old -> {
            if (!(old instanceof Map<?, ?> m)) {
                return null;
            }
            Subscription s = decode(key, m).withCseq(((Number) m.get("local_cseq")).longValue() + 1);
            made[0] = bumpVersion ? s.withVersion(s.version() + 1) : s;
            stored[0] = made[0].toMap();
            return stored[0];
        }, 0);
        if (!(v instanceof Map<?, ?> m)) {
            return null;
        }
        if (m == stored[0]) {
            remember(key, m, made[0]); // the map this update stored
            return made[0];
        }
        return decode(key, m);
    }

    private static String watcherKey(String user, String domain) {
        return (user == null ? "" : user) + "@" + domain;
    }

    private static List<String> strings(List<?> l) {
        List<String> out = new ArrayList<>(l.size());
        for (Object o : l) {
            out.add((String) o);
        }
        return out;
    }
}
