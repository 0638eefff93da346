package org.siphon.dispatcher.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.siphon.core.store.StoreTable;

/**
 * The runtime side of the destinations, kept in the core's store as plain values so that it
 * outlives {@code module.update dispatcher} and {@code cfg.reload}: each destination's state
 * flags, its failure and success counters, its latency statistics, and each set's round-robin
 * positions. Keys: {@code s|setid uri} (flags), {@code b|…} (the flags the list gave),
 * {@code f|…}/{@code o|…} (failures/successes in a row), {@code l|…} (latency), {@code rr|setid}
 * and the like (positions). Thread-safe (every change is one atomic store operation).
 */
final class States {

    static final int STATE_BITS = Destination.INACTIVE | Destination.TRYING | Destination.DISABLED | Destination.PROBING;

    /** How a change came out: the flags before and after. */
    record Change(int before, int after) {
        boolean wentDown() {
            return (before & Destination.INACTIVE) == 0 && (after & Destination.INACTIVE) != 0;
        }

        boolean wentUp() {
            return (before & Destination.INACTIVE) != 0 && (after & Destination.INACTIVE) == 0;
        }
    }

    final StoreTable table;

    States(StoreTable table) {
        this.table = table;
    }

    /** The destination's flags now (the list's when it has no runtime state yet). */
    int flags(Destination d) {
        Object v = table.get("s|" + d.key());
        return v instanceof Long l ? l.intValue() : d.flags();
    }

    /** Whether selection may take it: neither inactive nor disabled (trying is taken, as Kamailio). */
    boolean usable(Destination d) {
        return (flags(d) & (Destination.INACTIVE | Destination.DISABLED)) == 0;
    }

    /**
     * After a load or reload: destinations whose flags in the list are the same as last time keep
     * their state; new ones and those whose listed flags changed start from the list; the state
     * of destinations no longer listed goes.
     */
    void sync(DsList list) {
        Set<String> keys = new HashSet<>();
        for (Destination d : list.all()) {
            keys.add(d.key());
            Object base = table.get("b|" + d.key());
            if (!(base instanceof Long b) || b.intValue() != d.flags()) {
                table.put("s|" + d.key(), (long) d.flags(), 0);
                table.put("b|" + d.key(), (long) d.flags(), 0);
                table.remove("f|" + d.key());
                table.remove("o|" + d.key());
                String latency = d.attr("latency");
                if (latency != null) {
                    Latency.init(table, d.key(), Destination.number(latency, 0));
                }
            }
        }
        table.forEach((k, v) -> {
            int bar = k.indexOf('|');
            String prefix = bar < 0 ? "" : k.substring(0, bar);
            if ((prefix.equals("s") || prefix.equals("b") || prefix.equals("f") || prefix.equals("o") || prefix.equals("l"))
                    && !keys.contains(k.substring(bar + 1))) {
                table.remove(k);
            }
        });
    }

    /**
     * Applies Kamailio's state letters ({@code a}, {@code i}, {@code t}, {@code d}, each optionally
     * with {@code p}): {@code t} counts a failure and turns inactive at {@code probingThreshold}
     * failures in a row; {@code a} clears the counters.
     *
     * @throws IllegalArgumentException for other letters
     */
    Change set(Destination d, String state, int probingThreshold) {
        int bits = parse(state);
        String key = d.key();
        int[] before = new int[1];
        long fails = (bits & Destination.TRYING) != 0 ? table.add("f|" + key, 1, 0, 0) : 0;
        if ((bits & Destination.TRYING) == 0) {
            table.remove("f|" + key);
        }
        table.remove("o|" + key);
        Object after = table.update("s|" + key, cur -> {
            int c = cur instanceof Long l ? l.intValue() : d.flags();
            before[0] = c;
            int nb = bits;
            if ((nb & Destination.TRYING) != 0 && fails >= Math.max(1, probingThreshold)) {
                nb = (nb & ~Destination.TRYING) | Destination.INACTIVE;
            }
            return (long) ((c & ~STATE_BITS) | nb);
        }, 0);
        return new Change(before[0], ((Long) after).intValue());
    }

    /** The state bits of letters such as {@code ip}; throws for anything else. */
    static int parse(String state) {
        String s = state == null ? "" : state.trim().toLowerCase();
        if (s.isEmpty() || s.length() > 2) {
            throw new IllegalArgumentException("state must be a, i, t or d, optionally followed by p: '" + state + "'");
        }
        int bits = switch (s.charAt(0)) {
            case 'a' -> 0;
            case 'i' -> Destination.INACTIVE;
            case 't' -> Destination.TRYING;
            case 'd' -> Destination.DISABLED;
            case 'p' -> Destination.PROBING;
            default -> throw new IllegalArgumentException("state must be a, i, t or d, optionally followed by p: '" + state + "'");
        };
        if (s.length() == 2) {
            if (s.charAt(1) != 'p' || bits == Destination.DISABLED) {
                throw new IllegalArgumentException("state must be a, i, t or d, optionally followed by p: '" + state + "'");
            }
            bits |= Destination.PROBING;
        }
        return bits;
    }

    /**
     * A keepalive answered as wanted: inactive or trying destinations count successes and turn
     * active at {@code inactiveThreshold}; with {@code clearProbing} (probing mode 0) the probing
     * flag goes.
     */
    Change pingOk(Destination d, int inactiveThreshold, boolean clearProbing) {
        String key = d.key();
        table.remove("f|" + key);
        int now = flags(d);
        boolean down = (now & (Destination.INACTIVE | Destination.TRYING)) != 0;
        long oks = down ? table.add("o|" + key, 1, 0, 0) : 0;
        int[] before = new int[1];
        Object after = table.update("s|" + key, cur -> {
            int c = cur instanceof Long l ? l.intValue() : d.flags();
            before[0] = c;
            int n = c;
            if ((c & (Destination.INACTIVE | Destination.TRYING)) != 0 && oks >= Math.max(1, inactiveThreshold)) {
                n &= ~(Destination.INACTIVE | Destination.TRYING);
            }
            if (clearProbing && (n & (Destination.INACTIVE | Destination.TRYING)) == 0) {
                n &= ~Destination.PROBING;
            }
            return (long) n;
        }, 0);
        int a = ((Long) after).intValue();
        if ((a & (Destination.INACTIVE | Destination.TRYING)) == 0) {
            table.remove("o|" + key);
        }
        return new Change(before[0], a);
    }

    /** A keepalive failed: the destination goes trying, then inactive, and is probed from now on. */
    Change pingFailed(Destination d, int probingThreshold) {
        table.remove("o|" + d.key());
        if ((flags(d) & Destination.INACTIVE) != 0) {
            int f = flags(d);
            return new Change(f, f);
        }
        return set(d, "tp", probingThreshold);
    }

    /** Kamailio's two letters of {@code dispatcher.list}: A/I/T/D then P or X. */
    static String letters(int flags) {
        char s = (flags & Destination.DISABLED) != 0 ? 'D' : (flags & Destination.INACTIVE) != 0 ? 'I'
                : (flags & Destination.TRYING) != 0 ? 'T' : 'A';
        return "" + s + ((flags & Destination.PROBING) != 0 ? 'P' : 'X');
    }

    /** The next value of a set's position counter {@code name} (1, 2, 3 …): atomic across threads and versions. */
    long next(String name, int setid) {
        return table.add(name + "|" + setid, 1, 0, 0);
    }

    /** Whether keepalives are sent ({@code dispatcher.ping_active}); default yes. */
    boolean pingActive() {
        return !Long.valueOf(0).equals(table.get("ping_active"));
    }

    void pingActive(boolean on) {
        table.put("ping_active", on ? 1L : 0L, 0);
    }

    /** When the last reload ran (ms since the epoch), 0 before any: {@code reload_delta} holds across updates. */
    long lastReload() {
        return table.get("reload.last") instanceof Long l ? l : 0;
    }

    void lastReload(long millis) {
        table.put("reload.last", millis, 0);
    }

    /** When a reload put off by {@code reload_delta} is due (ms since the epoch), or 0: a new version runs it. */
    long pendingReload() {
        return table.get("reload.pending") instanceof Long l ? l : 0;
    }

    void pendingReload(long dueMillis) {
        if (dueMillis == 0) {
            table.remove("reload.pending");
        } else {
            table.put("reload.pending", dueMillis, 0);
        }
    }

    /** The list as lines of a list file, kept so that a new version of the module starts from it. */
    @SuppressWarnings("unchecked")
    List<String> savedList() {
        Object v = table.get("list");
        return v instanceof List<?> l ? (List<String>) l : null;
    }

    void saveList(DsList list) {
        table.put("list", list.all().stream().map(Destination::line).toList(), 0);
        table.put("list.source", list.source(), 0);
    }

    String savedSource() {
        Object v = table.get("list.source");
        return v == null ? "saved" : v.toString();
    }
}
