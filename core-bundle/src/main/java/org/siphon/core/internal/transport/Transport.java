package org.siphon.core.internal.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One listening socket of one protocol, and the way out through it. Implementations are Netty
 * based and live in this package. Thread-safe.
 */
public interface Transport {

    /** {@code udp} or {@code tcp}. */
    String proto();

    /** The bound address (with the real port when 0 was asked for). */
    InetSocketAddress local();

    /** What this socket was configured with. */
    ListenSpec spec();

    /** Sends {@code bytes} to {@code to}; completes exceptionally when the transport fails. */
    CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to);

    /** As {@link #send(byte[], InetSocketAddress)}; with {@code connect} false a connection-oriented transport only uses an open connection. */
    default CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to, boolean connect) {
        return send(bytes, to);
    }

    /** Stops listening and closes every connection. */
    void close();

    /** {@code host:port} for Via headers of messages sent through this socket. */
    default String viaHostPort() {
        return spec().viaHost() + ":" + spec().viaPort(local().getPort());
    }
}
