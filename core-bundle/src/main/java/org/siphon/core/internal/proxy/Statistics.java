package org.siphon.core.internal.proxy;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The statistics of the core and the modules as {@code stats.*} shows them, with Kamailio's
 * {@code stats.reset_statistics}: a module owns its counters and only reads them out
 * ({@code SiphonModule.statistics()}), so a reset keeps, per source and counter, the value it
 * saw as a baseline and later reads subtract it. A source is one module service instance: a
 * module updated or restarted counts from 0 again and its old baselines are forgotten.
 * Gauges (levels such as {@code usrloc:registered_users}) are never reset, as Kamailio's
 * {@code STAT_NO_RESET} and function statistics are not. Thread-safe.
 */
public final class Statistics {

    /** Statistics that are levels, not counts (everything else only grows). */
    private static final Pattern GAUGE = Pattern.compile("(^|_)(active|inuse|users|contacts|destinations|sets)($|_)"
            + "|expire|^max_|_size$|_length$|^current");

    /** One module instance's statistics as it reports them now. */
    record Source(long id, Map<String, Object> values) {
    }

    /** Per source id, per statistic: the raw value at the last reset. */
    private final Map<Long, Map<String, Long>> baselines = new ConcurrentHashMap<>();

    /** Whether a statistic ({@code group:name}) is a level (gauge) rather than a count. */
    public static boolean isGauge(String statistic) {
        int colon = statistic.indexOf(':');
        return GAUGE.matcher((colon < 0 ? statistic : statistic.substring(colon + 1)).replace('-', '_')).find();
    }

    /**
     * Whether statistic {@code key} ({@code group:name}) is selected by {@code want} as
     * {@code stats.get_statistics} takes it: {@code all}, a group ({@code core:}), a full name
     * ({@code core:rcv_requests}) or a bare name ({@code rcv_requests}).
     */
    static boolean matches(String want, String key) {
        if ("all".equals(want)) {
            return true;
        }
        return want.endsWith(":") ? key.startsWith(want) : key.equals(want) || key.endsWith(":" + want);
    }

    /** Every statistic of {@code sources}, counters less their baselines, sorted by name. */
    Map<String, Object> read(Collection<Source> sources) {
        forgetGone(sources);
        Map<String, Object> out = new TreeMap<>();
        for (Source s : sources) {
            Map<String, Long> base = baselines.getOrDefault(s.id(), Map.of());
            s.values().forEach((k, v) -> out.put(k, minus(v, base.get(k))));
        }
        return out;
    }

    /**
     * Resets the counters {@code selected} accepts and returns every selected statistic's value
     * just before (what {@code stats.clear_statistics} answers); gauges are returned, not reset.
     */
    Map<String, Object> reset(Collection<Source> sources, Predicate<String> selected) {
        forgetGone(sources);
        Map<String, Object> before = new TreeMap<>();
        for (Source s : sources) {
            Map<String, Long> base = baselines.computeIfAbsent(s.id(), id -> new ConcurrentHashMap<>());
            s.values().forEach((k, v) -> {
                if (!selected.test(k)) {
                    return;
                }
                before.put(k, minus(v, base.get(k)));
                if (!isGauge(k) && isWhole(v)) {
                    base.put(k, ((Number) v).longValue());
                }
            });
        }
        return before;
    }

    private void forgetGone(Collection<Source> sources) {
        Set<Long> live = sources.stream().map(Source::id).collect(Collectors.toSet());
        baselines.keySet().retainAll(live);
    }

    private static boolean isWhole(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    /** {@code value - base}; a counter below its baseline started again (its module was restarted) and shows as is. */
    private static Object minus(Object value, Long base) {
        if (base == null || !isWhole(value)) {
            return value;
        }
        long v = ((Number) value).longValue();
        return v >= base ? v - base : v;
    }
}
