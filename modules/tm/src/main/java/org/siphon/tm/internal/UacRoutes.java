package org.siphon.tm.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;

/**
 * Where the core sent the last requests to each target ({@link org.siphon.tm.TmApi#requestWithin}):
 * the destination, the local socket and the Via the core wrote, learnt from a request the core
 * prepared itself, kept {@link #TTL_MILLIS} so that a changed DNS answer or listener is picked up,
 * at most {@link #MAX} targets (all forgotten when full). Over UDP it also keeps the largest size
 * the core sent without switching to TCP ({@code udp_mtu}): a larger request takes the core's path
 * again. Thread-safe.
 */
final class UacRoutes {

    static final long TTL_MILLIS = 5_000;
    static final int MAX = 4096;

    /** What the core chose for one target; {@code udpSize}: largest request sent over UDP, or MAX_VALUE when reliable. */
    record Route(Destination destination, String via, InetSocketAddress socket, boolean connect, int udpSize,
            long until) {

        boolean fits(int length) {
            return length <= udpSize;
        }

        Outgoing outgoing(byte[] bytes, String branch) {
            return new Outgoing(bytes, destination, via + ";branch=" + branch, socket, connect);
        }
    }

    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

    /** The route to {@code target} still fresh at {@code now} (milliseconds), or null. */
    Route get(String target, long now) {
        Route r = routes.get(target);
        if (r == null) {
            return null;
        }
        if (r.until() <= now) {
            routes.remove(target, r);
            return null;
        }
        return r;
    }

    /** Remembers what the core prepared for {@code target}: {@code out} with the top Via for {@code branch}. */
    void learn(String target, Outgoing out, String branch, long now) {
        String suffix = ";branch=" + branch;
        if (out.via() == null || !out.via().endsWith(suffix) || out.destination() == null) {
            return;
        }
        String via = out.via().substring(0, out.via().length() - suffix.length());
        boolean udp = "udp".equals(out.destination().transport());
        if (!udp && !asksReliable(target)) {
            return; // moved to TCP for its size (udp_mtu): a smaller request would go over UDP
        }
        Route old = routes.get(target);
        int size = !udp ? Integer.MAX_VALUE
                : old != null && old.destination().equals(out.destination()) && old.via().equals(via)
                        ? Math.max(old.udpSize(), out.bytes().length) : out.bytes().length;
        if (routes.size() >= MAX) {
            routes.clear();
        }
        routes.put(target, new Route(out.destination(), via, out.socket(), out.connect(), size, now + TTL_MILLIS));
    }

    /** Whether the target URI itself names a reliable transport (sips:, transport=tcp/tls/ws/wss/sctp). */
    static boolean asksReliable(String target) {
        String t = target.toLowerCase(java.util.Locale.ROOT);
        return t.startsWith("sips:") || t.startsWith("<sips:") || (t.contains(";transport=") && !t.contains(";transport=udp"));
    }

    int size() {
        return routes.size();
    }
}
