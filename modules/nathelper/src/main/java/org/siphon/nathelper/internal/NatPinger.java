package org.siphon.nathelper.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.siphon.registrar.Locations;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NAT keepalives: every {@code natping_interval} the registered contacts (all, or the NATed ones
 * with {@code ping_nated_only}) get a ping at the address they registered from ({@code received},
 * else the first Path hop, else the Contact URI): a SIP request ({@code sipping_method} from
 * {@code sipping_from}, through tm) to contacts with {@code sipping_bflag} — to all of them when
 * {@code ping_nated_only} is 0 — else 4 bytes (CRLF CRLF) over UDP. With {@code keepalive_timeout}
 * a SIP-pinged contact that has not answered for that long is removed, with a log line. Runs on
 * the caller's thread (the module's scheduler), never on a SIP worker. Thread-safe.
 */
final class NatPinger {

    private static final Logger LOG = LoggerFactory.getLogger(NatPinger.class);
    static final byte[] UDP_PING = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What one round reads: the parameters as they are now. */
    record Settings(boolean natedOnly, int sipBflag, int disableBflag, String from, String method, long timeoutMillis) {
    }

    private final Supplier<Locations> locations;
    private final Supplier<TmApi> tm;
    private final Supplier<StatefulCore> core;
    private final LongSupplier clock;
    /** aor \n uri → when it last answered a SIP ping (or was first pinged). */
    private final Map<String, Long> answered = new ConcurrentHashMap<>();
    final LongAdder udpPings = new LongAdder();
    final LongAdder sipPings = new LongAdder();
    final LongAdder removed = new LongAdder();

    NatPinger(Supplier<Locations> locations, Supplier<TmApi> tm, Supplier<StatefulCore> core, LongSupplier clock) {
        this.locations = locations;
        this.tm = tm;
        this.core = core;
        this.clock = clock;
    }

    /** One round over the location table; how many pings went out. */
    int round(Settings s) {
        Locations l = locations.get();
        if (l == null) {
            return 0;
        }
        long now = clock.getAsLong();
        Set<String> seen = new HashSet<>();
        int sent = 0;
        for (Locations.Binding b : l.contacts()) {
            String key = b.aor() + "\n" + b.uri();
            seen.add(key);
            if (bit(b.cflags(), s.disableBflag()) || s.natedOnly() && !b.nated()) {
                continue;
            }
            SipUri target = target(b);
            if (target == null) {
                LOG.debug("nathelper: no address to ping for {} of {}", b.uri(), b.aor());
                continue;
            }
            boolean sip = s.sipBflag() >= 0 && (bit(b.cflags(), s.sipBflag()) || !s.natedOnly());
            if (sip) {
                Long last = answered.putIfAbsent(key, now);
                if (s.timeoutMillis() > 0 && last != null && now - last > s.timeoutMillis()) {
                    if (l.remove(b.aor(), b.uri())) {
                        removed.increment();
                        LOG.info("nathelper: contact {} of {} removed: no answer to keepalives for {} s", b.uri(), b.aor(),
                                (now - last) / 1000);
                    }
                    answered.remove(key);
                    continue;
                }
                if (sipPing(b, target, s, key)) {
                    sent++;
                }
            } else if (udpPing(target)) {
                sent++;
            }
        }
        answered.keySet().retainAll(seen);
        return sent;
    }

    private static boolean bit(long flags, int bit) {
        return bit >= 0 && bit < 64 && (flags & 1L << bit) != 0;
    }

    /** Where the contact is reached: received, else the first Path hop, else its URI. */
    static SipUri target(Locations.Binding b) {
        Uri u = null;
        if (b.received() != null && !b.received().isEmpty()) {
            u = NatFunctions.parseOrNull(b.received());
        } else if (b.path() != null && !b.path().isEmpty()) {
            try {
                u = NameAddress.parseAll(b.path()).get(0).uri();
            } catch (RuntimeException e) {
                u = null;
            }
        }
        if (u == null) {
            u = NatFunctions.parseOrNull(b.uri());
        }
        return u instanceof SipUri s ? s : null;
    }

    private boolean udpPing(SipUri target) {
        String t = target.transport() == null ? "udp" : target.transport().toLowerCase(java.util.Locale.ROOT);
        if (!t.equals("udp")) {
            return false; // a connection's own keepalive keeps TCP bindings; 4 bytes are UDP's
        }
        try {
            InetSocketAddress to = new InetSocketAddress(java.net.InetAddress.getByName(target.hostAddress()),
                    target.portOrDefault());
            StatefulCore c = core.get();
            if (c == null) {
                return false;
            }
            c.send(new Outgoing(UDP_PING, new Destination("udp", to), null, null, false));
            udpPings.increment();
            return true;
        } catch (java.net.UnknownHostException | RuntimeException e) {
            LOG.debug("nathelper: cannot ping {}: {}", target, e.toString());
            return false;
        }
    }

    private boolean sipPing(Locations.Binding b, SipUri target, Settings s, String key) {
        TmApi t = tm.get();
        if (t == null) {
            return false;
        }
        String hop = "sip:" + target.host() + ":" + target.portOrDefault()
                + (target.transport() == null ? "" : ";transport=" + target.transport());
        try {
            t.send(new UacRequest(s.method(), b.uri(), hop, s.from(), b.uri(), List.of(), null, null))
                    .whenComplete((reply, e) -> {
                        if (e == null && reply != null && reply.source() != null) {
                            answered.put(key, clock.getAsLong()); // any reply from the UA keeps it
                        }
                    });
            sipPings.increment();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("nathelper: cannot send {} to {}: {}", s.method(), b.uri(), e.toString());
            return false;
        }
    }

    static Uri parse(String s) {
        return UriParser.parse(s);
    }
}
