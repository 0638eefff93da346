package org.siphon.core.store;

import java.util.Map;
import java.util.function.BiConsumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One table of the {@link SharedStore}: keys to plain values, each with an optional expiry. An
 * expired entry reads as absent and is removed when met. Thread-safe; every operation on one key
 * is atomic.
 */
@ProviderType
public interface StoreTable {

    /** The value, or null when absent or expired. */
    Object get(String key);

    /** When the entry expires (epoch ms), 0 for never, -1 when absent. */
    long expiresAt(String key);

    /** Sets the value; {@code ttlMillis} 0 keeps it until removed. */
    void put(String key, Object value, long ttlMillis);

    /** Removes the entry; returns the old value or null. */
    Object remove(String key);

    /**
     * Adds {@code delta} to a numeric value atomically (an absent or expired entry counts as
     * {@code initial}); the entry's expiry restarts at {@code ttlMillis} (0: never).
     *
     * @return the new value
     */
    long add(String key, long delta, long initial, long ttlMillis);

    /**
     * Replaces the value atomically with {@code f(current)} ({@code current} null when absent or
     * expired); a null result removes the entry. {@code f} must be quick and must not touch this table.
     *
     * @return the new value, or null when removed
     */
    Object update(String key, java.util.function.UnaryOperator<Object> f, long ttlMillis);

    /** Removes every entry. */
    void clear();

    /** The live entries now, sorted by key (expired ones removed on the way): a copy of the table. */
    Map<String, Object> snapshot();

    /**
     * Gives each live entry to {@code action}, in no particular order and without copying the
     * table (for sweeps and counts over large tables, where {@link #snapshot} would allocate a
     * copy). Weakly consistent: changes made during the walk may or may not be seen; {@code action}
     * may change the table.
     *
     * @since 1.1
     */
    void forEach(BiConsumer<String, Object> action);

    /** Live entries, counting those expired but not met yet. */
    int size();
}
