package org.siphon.pike.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Request counts per source address over two consecutive sampling units, as Kamailio's pike
 * keeps them: an address whose count in the current or the previous unit passes the density is
 * flooding ("hot") and stays so until a whole unit passes below it; an address not seen for
 * {@code removeLatency} is forgotten. Thread-safe; one map update per request.
 */
final class FloodTable {

    /** One source address. Guarded by the map's per-key lock ({@code compute}). */
    static final class Entry {
        long unit;
        int current;
        int previous;
        long lastSeen;
        boolean hot;
    }

    /** A row of {@code pike.top}. */
    record Row(String ip, int current, int previous, boolean hot, long idleMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final long unitMillis;
    private final int density;
    private final long removeLatencyMillis;
    private final LongSupplier clock;

    FloodTable(long unitMillis, int density, long removeLatencyMillis, LongSupplier clock) {
        this.unitMillis = Math.max(1, unitMillis);
        this.density = density;
        this.removeLatencyMillis = removeLatencyMillis;
        this.clock = clock;
    }

    /** Counts a request from {@code ip}; true when the address is flooding. */
    boolean hit(String ip) {
        long now = clock.getAsLong();
        long unit = now / unitMillis;
        Entry e = entries.compute(ip, (k, old) -> {
            Entry x = old == null ? new Entry() : old;
            roll(x, unit);
            x.current++;
            x.lastSeen = now;
            if (x.current > density || x.previous > density) {
                x.hot = true;
            }
            return x;
        });
        return e.hot;
    }

    /** Moves the counters to {@code unit}; a hot address cools down after a unit at or below the density. */
    private void roll(Entry x, long unit) {
        if (x.unit == unit) {
            return;
        }
        x.previous = unit == x.unit + 1 ? x.current : 0;
        x.current = 0;
        x.unit = unit;
        if (x.hot && x.previous <= density) {
            x.hot = false;
        }
    }

    /** Forgets addresses idle for longer than remove_latency; returns how many. */
    int expire() {
        long now = clock.getAsLong();
        int before = entries.size();
        entries.entrySet().removeIf(en -> now - en.getValue().lastSeen > removeLatencyMillis);
        return before - entries.size();
    }

    /** The addresses known, busiest first; only the flooding ones when {@code hotOnly}. */
    List<Row> top(boolean hotOnly) {
        long now = clock.getAsLong();
        List<Row> rows = new ArrayList<>();
        entries.forEach((ip, e) -> {
            if (!hotOnly || e.hot) {
                rows.add(new Row(ip, e.current, e.previous, e.hot, now - e.lastSeen)); // a snapshot, maybe a moment old
            }
        });
        rows.sort(Comparator.comparingInt((Row r) -> Math.max(r.current(), r.previous())).reversed());
        return rows;
    }

    int size() {
        return entries.size();
    }
}
