package org.siphon.core.internal.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

import org.osgi.service.component.annotations.Component;
import org.siphon.core.store.SharedStore;
import org.siphon.core.store.StoreTable;

/** The core's {@link SharedStore}: concurrent maps of plain values with lazy expiry. */
@Component(service = SharedStore.class, immediate = true)
public class SharedStoreComponent implements SharedStore {

    private final ConcurrentHashMap<String, Table> tables = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public SharedStoreComponent() {
        this(System::currentTimeMillis);
    }

    /** A store on a given clock (tests, here and in modules). */
    public SharedStoreComponent(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public StoreTable table(String name) {
        return tables.computeIfAbsent(name, n -> new Table(clock));
    }

    @Override
    public Set<String> tables() {
        return Set.copyOf(tables.keySet());
    }

    @Override
    public boolean drop(String name) {
        return tables.remove(name) != null;
    }

    private record Entry(Object value, long expiresAt) {
        boolean expired(long now) {
            return expiresAt > 0 && now >= expiresAt;
        }
    }

    private static final class Table implements StoreTable {
        private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
        private final LongSupplier clock;

        Table(LongSupplier clock) {
            this.clock = clock;
        }

        private Entry live(String key) {
            long now = clock.getAsLong();
            Entry e = map.get(key);
            if (e != null && e.expired(now)) {
                map.remove(key, e);
                return null;
            }
            return e;
        }

        private long expiry(long ttl) {
            return ttl > 0 ? clock.getAsLong() + ttl : 0;
        }

        @Override
        public Object get(String key) {
            Entry e = live(key);
            return e == null ? null : e.value();
        }

        @Override
        public long expiresAt(String key) {
            Entry e = live(key);
            return e == null ? -1 : e.expiresAt();
        }

        @Override
        public void put(String key, Object value, long ttlMillis) {
            map.put(key, new Entry(value, expiry(ttlMillis)));
        }

        @Override
        public Object remove(String key) {
            Entry e = map.remove(key);
            return e == null || e.expired(clock.getAsLong()) ? null : e.value();
        }

        @Override
        public long add(String key, long delta, long initial, long ttlMillis) {
            long now = clock.getAsLong();
            Entry e = map.compute(key, (k, old) -> {
                long base = old == null || old.expired(now) || !(old.value() instanceof Number n) ? initial : n.longValue();
                return new Entry(base + delta, ttlMillis > 0 ? now + ttlMillis : 0);
            });
            return ((Number) e.value()).longValue();
        }

        @Override
        public Object update(String key, java.util.function.UnaryOperator<Object> f, long ttlMillis) {
            long now = clock.getAsLong();
            Entry e = map.compute(key, (k, old) -> {
                Object next = f.apply(old == null || old.expired(now) ? null : old.value());
                if (next == null) {
                    return null;
                }
                long expiresAt = ttlMillis > 0 ? now + ttlMillis : 0;
                // the same value changed in place (a refreshed binding): keep the entry, allocate nothing
                return old != null && old.value() == next && old.expiresAt() == expiresAt ? old : new Entry(next, expiresAt);
            });
            return e == null ? null : e.value();
        }

        @Override
        public void clear() {
            map.clear();
        }

        @Override
        public Map<String, Object> snapshot() {
            long now = clock.getAsLong();
            map.entrySet().removeIf(en -> en.getValue().expired(now));
            Map<String, Object> out = new LinkedHashMap<>();
            new java.util.TreeMap<>(map).forEach((k, v) -> out.put(k, v.value()));
            return out;
        }

        @Override
        public void forEach(BiConsumer<String, Object> action) {
            long now = clock.getAsLong();
            map.forEach((k, e) -> {
                if (!e.expired(now)) {
                    action.accept(k, e.value());
                }
            });
        }

        @Override
        public int size() {
            return map.size();
        }
    }
}
