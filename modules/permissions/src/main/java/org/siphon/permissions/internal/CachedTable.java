package org.siphon.permissions.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.siphon.core.store.StoreTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache kept in the core's store so that it outlives this module's code: one entry holding the
 * checked rows as JDK lists, the source they came from ({@code db:…} or {@code file:…}) and when
 * they were loaded. A reload replaces the entry in one put, so readers see the old rows or the new
 * ones, never a mix. {@link #get} compiles the rows into their lookup form once per entry (a new
 * version of the module, or another version running beside it, compiles the same rows).
 * Thread-safe.
 */
final class CachedTable<T> {

    private static final Logger LOG = LoggerFactory.getLogger(CachedTable.class);

    private record Memo<T>(Object entry, T table) {
    }

    private final StoreTable store;
    private final String key;
    private final Function<List<?>, T> compile;
    private final T empty;
    private volatile Memo<T> memo;

    CachedTable(StoreTable store, String key, Function<List<?>, T> compile, T empty) {
        this.store = store;
        this.key = key;
        this.compile = compile;
        this.empty = empty;
    }

    /** The cached rows in lookup form; empty when nothing was loaded. */
    T get() {
        Object entry = store.get(key);
        Memo<T> m = memo;
        if (m != null && m.entry() == entry) {
            return m.table();
        }
        T table = empty;
        if (entry instanceof Map<?, ?> map && map.get("rows") instanceof List<?> rows) {
            try {
                table = compile.apply(rows);
            } catch (RuntimeException e) {
                LOG.error("permissions: the cached {} rows cannot be read ({}); the cache is empty until a reload", key,
                        e.toString());
            }
        }
        memo = new Memo<>(entry, table);
        return table;
    }

    /** Where the cached rows came from, or null when nothing is cached. */
    String source() {
        return store.get(key) instanceof Map<?, ?> map ? (String) map.get("source") : null;
    }

    /** When the cached rows were loaded (epoch ms), 0 when nothing is cached. */
    long loadedAt() {
        return store.get(key) instanceof Map<?, ?> map && map.get("loaded") instanceof Long l ? l : 0;
    }

    /** Replaces the cache with {@code rows} (each a list of JDK values) from {@code source}. */
    void put(String source, List<List<Object>> rows) {
        store.put(key, Map.of("source", source, "rows", List.copyOf(rows), "loaded", System.currentTimeMillis()), 0);
    }
}
