package org.siphon.shell.ssh;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Failed SSH logins per source address, by clock minute: an address with {@code limit} failures
 * within the current minute is refused until the minute is over. At most about 10,000 addresses
 * are remembered (older minutes are forgotten first). Thread-safe.
 */
final class LoginFailures {

    private final LongSupplier clockMillis;
    private final int limit;
    /** address → {minute, failures}. */
    private final Map<String, long[]> failures = new ConcurrentHashMap<>();

    LoginFailures(LongSupplier clockMillis, int limit) {
        this.clockMillis = clockMillis;
        this.limit = limit;
    }

    /** Whether {@code from} has used up its failures for this minute. */
    boolean refused(String from) {
        long[] f = failures.get(from);
        return f != null && f[0] == minute() && f[1] >= limit;
    }

    /** Counts a failure of {@code from}; returns its failures this minute (1 for the first). */
    long failed(String from) {
        long minute = minute();
        long[] f = failures.compute(from, (k, v) -> v == null || v[0] != minute ? new long[] { minute, 1 }
                : new long[] { minute, v[1] + 1 });
        if (failures.size() > 10_000) {
            failures.entrySet().removeIf(e -> e.getValue()[0] != minute);
        }
        return f[1];
    }

    int limit() {
        return limit;
    }

    private long minute() {
        return clockMillis.getAsLong() / 60_000;
    }
}
