package org.siphon.dispatcher.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Every destination set as loaded at once: a reload builds a new one and swaps it in whole, so a
 * request sees either the old sets or the new ones, never half of each. Within a set destinations
 * are ordered by priority, highest first, then as written (Kamailio's order). Immutable.
 */
final class DsList {

    static final DsList EMPTY = new DsList(List.of(), "none");

    /** One set: its destinations in order and the 100 slots of algorithm 9 (weight). */
    record DsSet(int id, List<Destination> destinations, int[] weightSlots) {
        int size() {
            return destinations.size();
        }
    }

    private final Map<Integer, DsSet> sets;
    private final List<Destination> all;
    private final String source;

    DsList(List<Destination> destinations, String source) {
        this.source = source;
        Map<Integer, List<Destination>> bySet = new TreeMap<>();
        for (Destination d : destinations) {
            bySet.computeIfAbsent(d.setid(), k -> new ArrayList<>()).add(d);
        }
        Map<Integer, DsSet> m = new TreeMap<>();
        List<Destination> flat = new ArrayList<>();
        for (var e : bySet.entrySet()) {
            List<Destination> l = new ArrayList<>(e.getValue());
            l.sort(Comparator.comparingInt(Destination::priority).reversed()); // stable: as written within a priority
            m.put(e.getKey(), new DsSet(e.getKey(), List.copyOf(l), weightSlots(l, e.getKey())));
            flat.addAll(l);
        }
        this.sets = Collections.unmodifiableMap(m);
        this.all = List.copyOf(flat);
    }

    /**
     * Kamailio's weight distribution: each destination takes {@code weight} of 100 slots, those
     * that would pass 100 are left out, the last one fills what is missing, and the slots are
     * shuffled (with the set id as seed, so that every node and every reload gives the same order).
     */
    static int[] weightSlots(List<Destination> l, int setid) {
        int[] slots = new int[100];
        int n = 0;
        for (int i = 0; i < l.size() && n < 100; i++) {
            int w = l.get(i).weight();
            if (w == 0 || n + w > 100) {
                continue;
            }
            for (int k = 0; k < w; k++) {
                slots[n++] = i;
            }
        }
        if (l.isEmpty()) {
            return slots;
        }
        while (n < 100) {
            slots[n++] = l.size() - 1;
        }
        Random r = new Random(setid);
        for (int i = slots.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = slots[i];
            slots[i] = slots[j];
            slots[j] = t;
        }
        return slots;
    }

    DsSet set(int id) {
        return sets.get(id);
    }

    Map<Integer, DsSet> sets() {
        return sets;
    }

    List<Destination> all() {
        return all;
    }

    /** Where the list came from, e.g. the file's path or {@code db:dispatcher}. */
    String source() {
        return source;
    }

    /** A copy with {@code d} added (RPC {@code dispatcher.add}). */
    DsList with(Destination d) {
        List<Destination> l = new ArrayList<>(all);
        l.add(d);
        return new DsList(l, source);
    }

    /** A copy without the destinations of set {@code setid} with URI {@code uri}; this one when none. */
    DsList without(int setid, String uri) {
        List<Destination> l = new ArrayList<>(all);
        boolean removed = l.removeIf(d -> d.setid() == setid && d.uri().equals(uri));
        return removed ? new DsList(l, source) : this;
    }
}
