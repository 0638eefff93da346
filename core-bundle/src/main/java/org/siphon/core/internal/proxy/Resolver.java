package org.siphon.core.internal.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.siphon.core.proxy.UnresolvableException;

/**
 * Name resolution with a positive and a negative cache, run on the calling SIP worker (never on
 * an event loop). IP literals are never looked up. RFC 3263 NAPTR/SRV selection is not done
 * yet: a name resolves by A/AAAA to the port given or the default. Thread-safe.
 */
final class Resolver {

    private record Entry(InetAddress address, long expires) {
    }

    private final long positiveMillis;
    private final long negativeMillis;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    Resolver(long positiveMillis, long negativeMillis) {
        this.positiveMillis = positiveMillis;
        this.negativeMillis = negativeMillis;
    }

    InetAddress resolve(String host) throws UnresolvableException {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isLiteral(h)) {
            try {
                return InetAddress.getByName(h);
            } catch (UnknownHostException e) {
                throw new UnresolvableException("bad address " + host);
            }
        }
        long now = System.currentTimeMillis();
        Entry e = cache.get(h);
        if (e != null && e.expires > now) {
            if (e.address == null) {
                throw new UnresolvableException("cannot resolve " + host + " (cached)");
            }
            return e.address;
        }
        try {
            InetAddress a = InetAddress.getByName(h);
            cache.put(h, new Entry(a, now + positiveMillis));
            return a;
        } catch (UnknownHostException ex) {
            cache.put(h, new Entry(null, now + negativeMillis));
            throw new UnresolvableException("cannot resolve " + host);
        }
    }

    /** Where a SIP URI sends to ({@code SipCore.resolve}): its transport ({@code sips:} is TLS) and resolved host and port. */
    org.siphon.core.proxy.Destination destination(org.siphon.core.sip.uri.Uri uri) throws UnresolvableException {
        if (!(uri instanceof org.siphon.core.sip.uri.SipUri u)) {
            throw new UnresolvableException("not a SIP URI: " + uri);
        }
        String transport = u.isSecure() ? "tls" : u.transport() != null ? u.transport() : "udp";
        if (!org.siphon.core.internal.transport.ListenSpec.PROTOCOLS.contains(transport) && !Connections.isWebSocket(transport)) {
            throw new UnresolvableException("transport " + transport + " is not supported");
        }
        return new org.siphon.core.proxy.Destination(transport, new java.net.InetSocketAddress(resolve(u.host()), u.portOrDefault()));
    }

    /** The reverse-DNS name of {@code address}, or its literal when there is none (blocking; workers only). */
    String reverse(InetAddress address) {
        return address.getCanonicalHostName();
    }

    /** Whether {@code h} is an IPv4 or IPv6 literal (so that the JDK will not query DNS for it). */
    static boolean isLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            for (int i = 0; i < h.length(); i++) {
                char c = h.charAt(i);
                if (Character.digit(c, 16) < 0 && c != ':' && c != '.' && c != '%') {
                    return false;
                }
            }
            return true;
        }
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= h.length(); i++) {
            char c = i < h.length() ? h.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                digits++;
            } else {
                return false;
            }
        }
        return parts == 4;
    }
}
