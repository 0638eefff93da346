package org.siphon.core.internal.proxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.siphon.core.internal.transport.Transport;

/**
 * The listening sockets and the names this server answers to: bound addresses (every interface
 * address for a wildcard bind), advertised addresses, {@code alias=} values and, for loopback
 * listeners, {@code localhost} ({@code auto_aliases} without reverse DNS). Immutable after
 * construction; thread-safe.
 */
final class Sockets {

    /** host (lower case, no brackets) and port (-1 for any). */
    private record Name(String host, int port) {
    }

    private final List<Transport> transports;
    private final Set<Name> names = new HashSet<>();

    Sockets(List<Transport> transports, List<String> aliases) {
        this.transports = List.copyOf(transports);
        for (Transport t : transports) {
            int port = t.local().getPort();
            InetAddress bound = t.local().getAddress();
            if (bound.isAnyLocalAddress()) {
                for (InetAddress a : interfaceAddresses()) {
                    names.add(new Name(normal(a.getHostAddress()), port));
                }
            } else {
                names.add(new Name(normal(bound.getHostAddress()), port));
                if (bound.isLoopbackAddress()) {
                    names.add(new Name("localhost", port));
                }
            }
            names.add(new Name(normal(t.spec().host()), port));
            if (t.spec().advertiseHost() != null) {
                names.add(new Name(normal(t.spec().advertiseHost()), t.spec().viaPort(port)));
            }
        }
        for (String alias : aliases) {
            String a = alias.trim();
            int colon = a.lastIndexOf(':');
            if (colon > 0 && a.indexOf(']') < colon && a.substring(colon + 1).matches("\\d+")) {
                names.add(new Name(normal(a.substring(0, colon)), Integer.parseInt(a.substring(colon + 1))));
            } else {
                names.add(new Name(normal(a), -1));
            }
        }
    }

    /**
     * {@code auto_aliases}: the reverse-DNS names of the concrete listen addresses, each with its
     * port (wildcard binds are skipped: their names are the host's, not a listen address's).
     */
    static List<String> reverseNames(List<Transport> transports, Resolver resolver) {
        List<String> names = new ArrayList<>();
        for (Transport t : transports) {
            InetAddress a = t.local().getAddress();
            if (!a.isAnyLocalAddress()) {
                String name = resolver.reverse(a);
                if (!name.equals(a.getHostAddress())) {
                    names.add(name + ":" + t.local().getPort());
                }
            }
        }
        return names;
    }

    List<Transport> transports() {
        return transports;
    }

    /** The socket of {@code dest}'s protocol bound to {@code local} (where a message came in), else {@link #pick}. */
    Transport forLocal(InetSocketAddress local, org.siphon.core.proxy.Destination dest) {
        String carrier = org.siphon.core.internal.transport.Transports.carrier(dest.transport());
        for (Transport t : transports) {
            if (t.proto().equals(carrier) && local != null && t.local().equals(local)) {
                return t;
            }
        }
        return pick(dest.transport(), dest.address());
    }

    /** Sends {@code out} from the socket it was prepared on (or the closest of its protocol). */
    java.util.concurrent.CompletableFuture<Void> send(org.siphon.core.proxy.Outgoing out) {
        Transport t = forLocal(out.socket(), out.destination());
        if (t == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no socket for " + out.destination()));
        }
        return Connections.send(t, out.bytes(), out.destination(), out.connect());
    }

    /** Sends {@code bytes} from the closest socket of the destination's protocol ({@link #pick}). */
    java.util.concurrent.CompletableFuture<Void> send(byte[] bytes, org.siphon.core.proxy.Destination destination) {
        Transport t = pick(destination.transport(), destination.address());
        if (t == null) {
            return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no "
                    + destination.transport() + " socket for " + destination));
        }
        return Connections.send(t, bytes, destination, true);
    }

    /** The {@code host:port} a socket of {@code source}'s protocol bound to its local address advertises; null if none. */
    String advertised(org.siphon.core.sip.SipSource source) {
        if (source == null || source.local() == null) {
            return null;
        }
        String carrier = org.siphon.core.internal.transport.Transports.carrier(source.transport());
        for (Transport t : transports) {
            if (t.proto().equals(carrier) && t.local().equals(source.local())) {
                return t.viaHostPort();
            }
        }
        return null;
    }

    /** The socket a message from {@code source} came in on; null for a local message or when it is gone. */
    Transport of(org.siphon.core.sip.SipSource source) {
        return source == null ? null
                : forLocal(source.local(), new org.siphon.core.proxy.Destination(source.transport(), source.remote()));
    }

    /** A socket of {@code proto} with the address family of {@code to}; null when there is none. */
    Transport pick(String proto, InetSocketAddress to) {
        boolean v6 = to.getAddress() instanceof Inet6Address;
        Transport any = null;
        String carrier = org.siphon.core.internal.transport.Transports.carrier(proto);
        for (Transport t : transports) {
            if (!t.proto().equals(carrier)) {
                continue;
            }
            InetAddress local = t.local().getAddress();
            boolean localV6 = local instanceof Inet6Address;
            if (localV6 == v6 || local.isAnyLocalAddress() && v6) {
                boolean loopbackMatch = local.isLoopbackAddress() == to.getAddress().isLoopbackAddress();
                if (loopbackMatch || local.isAnyLocalAddress()) {
                    return t;
                }
                if (any == null) {
                    any = t;
                }
            }
        }
        return any;
    }

    /**
     * The socket {@code force_send_socket} names ({@code [proto:]addr[:port]}), if it exists and has
     * the protocol wanted; null otherwise.
     */
    Transport named(String spec, String proto) {
        for (org.siphon.core.internal.transport.ListenSpec s : org.siphon.core.internal.transport.ListenSpec.parse(spec)) {
            for (Transport t : transports) {
                if (t.proto().equals(s.proto()) && t.proto().equals(org.siphon.core.internal.transport.Transports.carrier(proto))
                        && t.local().getPort() == s.port()
                        && normal(t.local().getAddress().getHostAddress()).equals(normal(s.host()))) {
                    return t;
                }
            }
        }
        return null;
    }

    /** Whether {@code host:port} is this server; port -1 matches any of our ports, a missing port means 5060. */
    boolean isMyself(String host, int port) {
        String h = normal(host);
        if (port < 0) {
            for (Name n : names) {
                if (n.host.equals(h)) {
                    return true;
                }
            }
            return false;
        }
        return names.contains(new Name(h, port)) || names.contains(new Name(h, -1));
    }

    /** What {@code corex.list_sockets} shows. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Transport t : transports) {
            String h = t.local().getAddress().getHostAddress();
            out.add(t.proto() + ":" + (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + t.local().getPort()
                    + (t.spec().advertiseHost() != null ? " advertise " + t.viaHostPort() : ""));
        }
        return out;
    }

    List<String> aliases() {
        return names.stream().map(n -> n.host + (n.port < 0 ? "" : ":" + n.port)).sorted().toList();
    }

    static String normal(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        h = h.toLowerCase(Locale.ROOT);
        if (h.indexOf(':') >= 0) {
            try {
                h = InetAddress.getByName(h).getHostAddress();
                int pct = h.indexOf('%');
                if (pct >= 0) {
                    h = h.substring(0, pct);
                }
            } catch (java.net.UnknownHostException e) {
                // keep as written
            }
        }
        return h;
    }

    private static List<InetAddress> interfaceAddresses() {
        List<InetAddress> list = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                list.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces to add
        }
        return list;
    }
}
