package org.siphon.permissions.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cached {@code trusted} table: rules by source address, highest priority first (rows of equal
 * priority in load order). Built once per load, then only read: immutable and thread-safe.
 */
final class TrustedTable {

    static final TrustedTable EMPTY = new TrustedTable(List.of());

    private final List<TrustedRow> rows;
    private final Map<String, List<TrustedRow>> bySource = new HashMap<>();

    TrustedTable(List<TrustedRow> rows) {
        List<TrustedRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingInt(TrustedRow::priority).reversed());
        this.rows = List.copyOf(sorted);
        for (TrustedRow r : this.rows) {
            bySource.computeIfAbsent(key(r.srcIp()), k -> new ArrayList<>()).add(r);
        }
    }

    /**
     * How a source address is compared: an IP literal in one text form (so {@code 2001:db8::1} and
     * {@code 2001:db8:0:0:0:0:0:1} are one source), anything else as written.
     */
    static String key(String srcIp) {
        byte[] ip = IpAddresses.parse(srcIp);
        return ip == null ? srcIp.trim() : IpAddresses.format(ip);
    }

    /** The rows that trust the request, highest priority first; empty when none does. */
    List<TrustedRow> match(String srcIp, String transport, String fromUri, String requestUri) {
        return match(bySource.getOrDefault(key(srcIp), List.of()), srcIp, transport, fromUri, requestUri);
    }

    /** The rows of {@code candidates} that trust the request, in their order. */
    static List<TrustedRow> match(List<TrustedRow> candidates, String srcIp, String transport, String fromUri,
            String requestUri) {
        List<TrustedRow> out = new ArrayList<>(1);
        for (TrustedRow r : candidates) {
            if (r.matches(srcIp, transport, fromUri, requestUri)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every rule, highest priority first. */
    List<TrustedRow> rows() {
        return rows;
    }
}
