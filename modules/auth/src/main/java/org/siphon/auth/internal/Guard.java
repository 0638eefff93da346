package org.siphon.auth.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brute-force protection (beyond Kamailio, which leaves it to fail2ban and the like): failed
 * digest checks (wrong password, unknown user) are counted per source address and per user over
 * {@code window}. A source with {@code limit} failures in the window is banned for {@code ban}:
 * its requests get no challenge, only a 403 (or nothing). A user failing from many addresses is
 * not locked out — that would let anyone lock them out — but each further challenge for that user
 * waits longer (1 s, doubling, at most 16 s), which slows a distributed guess to a crawl while
 * the real user, who answers the first challenge right, hardly notices. At most {@link #MAX}
 * addresses and users are tracked; the oldest go first. Thread-safe.
 */
final class Guard {

    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    static final int MAX = 100_000;

    /** Failures in the current window of one source or user. */
    private static final class Count {
        long start;
        int failures;
        String lastUser;
    }

    private final LongSupplier clock;
    private final Map<String, Count> sources = new LinkedHashMap<>();
    private final Map<String, Count> users = new LinkedHashMap<>();
    private final Map<String, Long> bans = new ConcurrentHashMap<>();

    Guard(LongSupplier clock) {
        this.clock = clock;
    }

    /** Whether {@code ip} is banned now. */
    boolean banned(String ip) {
        Long until = bans.get(ip);
        if (until == null) {
            return false;
        }
        if (clock.getAsLong() >= until) {
            bans.remove(ip, until);
            return false;
        }
        return true;
    }

    /**
     * A failed check of {@code user} from {@code ip}; bans the source when it reaches the limit.
     *
     * @return how long the next challenge for the user should wait, ms (0: not at all)
     */
    synchronized long failed(String ip, String user, int limit, long windowMillis, long banMillis) {
        long now = clock.getAsLong();
        Count s = count(sources, ip, now, windowMillis);
        s.failures++;
        s.lastUser = user;
        if (limit > 0 && s.failures >= limit && !banned(ip)) {
            bans.put(ip, now + banMillis);
            sources.remove(ip);
            LOG.warn("auth: {} banned for {} s after {} failed authentications within {} s (last user {})", ip,
                    banMillis / 1000, s.failures, windowMillis / 1000, user);
        }
        if (user == null || limit <= 0) {
            return 0;
        }
        Count u = count(users, user, now, windowMillis);
        u.failures++;
        int over = u.failures - limit;
        return over < 0 ? 0 : Math.min(16_000L, 1000L << Math.min(over, 4));
    }

    /** The user's failures now above the limit: the delay for its next challenge, ms. */
    synchronized long delayFor(String user, int limit, long windowMillis) {
        Count u = users.get(user);
        if (u == null || limit <= 0 || clock.getAsLong() - u.start > windowMillis) {
            return 0;
        }
        int over = u.failures - limit;
        return over < 0 ? 0 : Math.min(16_000L, 1000L << Math.min(over, 4));
    }

    private static Count count(Map<String, Count> map, String key, long now, long windowMillis) {
        Count c = map.get(key);
        if (c == null || now - c.start > windowMillis) {
            c = new Count();
            c.start = now;
            map.remove(key);
            map.put(key, c);
            if (map.size() > MAX) {
                var it = map.entrySet().iterator();
                it.next();
                it.remove();
            }
        }
        return c;
    }

    /** The bans in force: address, seconds left. */
    List<Map<String, Object>> bans() {
        long now = clock.getAsLong();
        List<Map<String, Object>> out = new ArrayList<>();
        bans.forEach((ip, until) -> {
            if (until > now) {
                out.add(Map.of("address", ip, "seconds_left", (until - now + 999) / 1000));
            }
        });
        out.sort((a, b) -> String.valueOf(a.get("address")).compareTo(String.valueOf(b.get("address"))));
        return out;
    }

    /** Lifts a ban; false when there was none. */
    boolean unban(String ip) {
        return bans.remove(ip) != null;
    }
}
