package org.siphon.dispatcher.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.siphon.dispatcher.internal.DsList.DsSet;

/**
 * The algorithms: which destination of a set goes first and in what order the others follow for
 * failover (the chosen one, then the rest of the set after it, wrapping, inactive ones left out;
 * with {@code use_default} the set's last destination only at the end). Positions of round robin,
 * weights and latency live in the store ({@link States}). Thread-safe.
 */
final class Selector {

    /** What an algorithm needs from the request, computed only when the algorithm asks for it. */
    interface Input {
        int hash(int alg);
    }

    static final int NO_HASH = -1;

    private final States states;

    Selector(States states) {
        this.states = states;
    }

    /**
     * The destinations in the order to try, the chosen one first; empty when none is usable.
     *
     * @param limit at most this many (0: no limit)
     */
    List<Destination> select(DsSet set, int alg, boolean useDefault, int limit, Input in) {
        List<Destination> all = set.destinations();
        int n = useDefault ? all.size() - 1 : all.size();
        List<Destination> out = new ArrayList<>(all.size());
        if (alg == 12) {
            for (int i = 0; i < n; i++) {
                if (states.usable(all.get(i))) {
                    out.add(all.get(i));
                }
            }
        } else if (n > 0) {
            int first = first(set, alg, n, in);
            if (first >= 0) {
                out.add(all.get(first));
                for (int k = 1; k < n; k++) {
                    Destination d = all.get((first + k) % n);
                    if (states.usable(d)) {
                        out.add(d);
                    }
                }
            }
        }
        if (useDefault && !all.isEmpty() && states.usable(all.get(all.size() - 1))) {
            out.add(all.get(all.size() - 1));
        }
        return limit > 0 && out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    /** The index of the first destination among the first {@code n}, or -1 when none is usable. */
    private int first(DsSet set, int alg, int n, Input in) {
        int start;
        switch (alg) {
            case 0, 1, 2, 3, 7 -> {
                int h = in.hash(alg);
                if (h == NO_HASH) {
                    return -1;
                }
                start = h % n;
            }
            case 5 -> {
                int h = in.hash(alg);
                start = h == NO_HASH ? rr(set, n) : h % n;
            }
            case 4 -> start = rr(set, n);
            case 6 -> start = ThreadLocalRandom.current().nextInt(n);
            case 9 -> start = Math.min(n - 1, set.weightSlots()[(int) ((states.next("w", set.id()) - 1) % 100)]);
            case 11 -> start = relativeWeight(set, n);
            case 13 -> start = latencyOptimised(set, n);
            default -> start = 0; // 8, and as Kamailio for an algorithm it does not know: the set's order
        }
        return start < 0 ? -1 : firstUsable(set, start, n);
    }

    private int rr(DsSet set, int n) {
        return (int) ((states.next("rr", set.id()) - 1) % n);
    }

    private int firstUsable(DsSet set, int start, int n) {
        for (int k = 0; k < n; k++) {
            int i = (start + k) % n;
            if (states.usable(set.destinations().get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Algorithm 11: 100 slots shared among the usable destinations by {@code rweight} (truncated,
     * the last one filling up), walked in turn; a destination going down gives its share to the others.
     */
    private int relativeWeight(DsSet set, int n) {
        int sum = 0;
        int last = -1;
        for (int i = 0; i < n; i++) {
            Destination d = set.destinations().get(i);
            if (states.usable(d) && d.rweight() > 0) {
                sum += d.rweight();
                last = i;
            }
        }
        if (sum == 0) {
            return rr(set, n);
        }
        int slot = (int) ((states.next("rw", set.id()) - 1) % 100);
        int acc = 0;
        for (int i = 0; i < n; i++) {
            Destination d = set.destinations().get(i);
            if (states.usable(d) && d.rweight() > 0) {
                acc += d.rweight() * 100 / sum;
                if (slot < acc) {
                    return i;
                }
            }
        }
        return last;
    }

    /**
     * Algorithm 13: round robin among the usable destinations of the best adjusted priority,
     * {@code priority - latency / priority} (latency: the estimate, or with {@code cc=1} the
     * estimate minus the average).
     */
    private int latencyOptimised(DsSet set, int n) {
        List<Integer> best = new ArrayList<>();
        double top = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            Destination d = set.destinations().get(i);
            if (!states.usable(d)) {
                continue;
            }
            double est = Latency.estimate(states.table, d.key());
            double lat = d.congestionControl() ? est - Latency.average(states.table, d.key()) : est;
            int p = Math.max(1, d.priority());
            double adj = d.priority() - Math.floor(Math.max(0, lat) / p);
            if (adj > top) {
                top = adj;
                best.clear();
            }
            if (adj == top) {
                best.add(i);
            }
        }
        if (best.isEmpty()) {
            return -1;
        }
        return best.get((int) ((states.next("lo", set.id()) - 1) % best.size()));
    }
}
