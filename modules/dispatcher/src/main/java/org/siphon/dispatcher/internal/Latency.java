package org.siphon.dispatcher.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.store.StoreTable;

/**
 * Keepalive latency of a destination ({@code ds_ping_latency_stats}): count, mean and standard
 * deviation over every sample (Welford), the short-term estimate (EWMA with
 * {@code ds_latency_estimator_alpha}), the largest seen and the timeouts. Kept in the store as
 * a list of six numbers {@code [count, avg, m2, est, max, timeouts]}. Stateless helpers.
 */
final class Latency {

    private Latency() {
    }

    static void init(StoreTable t, String key, int ms) {
        t.put("l|" + key, List.of(0.0, (double) ms, 0.0, (double) ms, (double) ms, 0.0), 0);
    }

    /** Records one sample of {@code ms}, or a timeout when {@code ms} is negative. */
    static void sample(StoreTable t, String key, double ms, double alpha) {
        t.update("l|" + key, cur -> {
            double[] v = values(cur);
            if (ms < 0) {
                v[5]++;
            } else {
                double n = ++v[0];
                double delta = ms - v[1];
                v[1] += delta / n;
                v[2] += delta * (ms - v[1]);
                v[3] = n == 1 && v[3] == 0 ? ms : alpha * v[3] + (1 - alpha) * ms;
                v[4] = Math.max(v[4], ms);
            }
            return List.of(v[0], v[1], v[2], v[3], v[4], v[5]);
        }, 0);
    }

    static double[] values(Object stored) {
        double[] v = new double[6];
        if (stored instanceof List<?> l && l.size() == 6) {
            for (int i = 0; i < 6; i++) {
                v[i] = ((Number) l.get(i)).doubleValue();
            }
        }
        return v;
    }

    /** The short-term estimate, ms (0 without samples). */
    static double estimate(StoreTable t, String key) {
        return values(t.get("l|" + key))[3];
    }

    /** The average, ms. */
    static double average(StoreTable t, String key) {
        return values(t.get("l|" + key))[1];
    }

    /** {@code dispatcher.list}'s LATENCY block. */
    static Map<String, Object> rpc(StoreTable t, String key) {
        double[] v = values(t.get("l|" + key));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AVG", round(v[1]));
        m.put("STD", round(v[0] > 1 ? Math.sqrt(v[2] / (v[0] - 1)) : 0));
        m.put("EST", round(v[3]));
        m.put("MAX", (long) v[4]);
        m.put("TIMEOUT", (long) v[5]);
        return m;
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
