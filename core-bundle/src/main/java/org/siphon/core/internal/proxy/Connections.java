package org.siphon.core.internal.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import javax.net.ssl.SSLSession;

import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.internal.transport.Transports;
import org.siphon.core.proxy.WebSocketConnection;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;

/**
 * The core's operations on the connection a message came on, for {@code SipCore}: answering on
 * it ({@code sendBack}, HTTP), switching it to WebSocket, listing and closing WebSocket
 * connections, its TLS session. Thread-safe.
 */
final class Connections {

    private final Supplier<Sockets> sockets;
    private final List<java.util.function.Consumer<WebSocketConnection>> closedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    Connections(Supplier<Sockets> sockets) {
        this.sockets = sockets;
    }

    /** Whether {@code transport} is SIP over WebSocket ({@code ws}, {@code wss}: RFC 7118). */
    static boolean isWebSocket(String transport) {
        return transport.equals("ws") || transport.equals("wss");
    }

    /**
     * Sends {@code bytes} through {@code t} to {@code dest}: for {@code ws}/{@code wss} as one
     * WebSocket message, on the open WebSocket connection with it or (with {@code connect}) a new one
     * Siphon opens as a WebSocket client; for another transport as {@link Transport#send} does.
     */
    static CompletableFuture<Void> send(Transport t, byte[] bytes, org.siphon.core.proxy.Destination dest, boolean connect) {
        return isWebSocket(dest.transport()) ? Transports.sendWebSocket(t, bytes, dest.address(), connect)
                : t.send(bytes, dest.address(), connect);
    }

    /** Has the transports tell this of every WebSocket connection that closes (after binding them). */
    void watch(List<Transport> transports) {
        for (Transport t : transports) {
            Transports.onWebSocketClosed(t, this::closed);
        }
    }

    AutoCloseable onWebSocketClosed(java.util.function.Consumer<WebSocketConnection> listener) {
        closedListeners.add(listener);
        return () -> closedListeners.remove(listener);
    }

    private void closed(WebSocketConnection c) {
        for (java.util.function.Consumer<WebSocketConnection> l : closedListeners) {
            try {
                l.accept(c);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Connections.class).warn("WebSocket {}: a close listener failed", c.id(), e);
            }
        }
    }

    boolean pingWebSocket(long id, boolean ping, byte[] data) {
        for (Transport t : sockets.get().transports()) {
            if (Transports.pingWebSocket(t, id, ping, data)) {
                return true;
            }
        }
        return false;
    }

    SSLSession tlsSession(SipMessage received) {
        SipSource source = received.source();
        if (source == null || !"tls".equals(Transports.carrier(source.transport()))) {
            return null;
        }
        Transport t = sockets.get().of(source);
        return t == null ? null : Transports.tlsSession(t, source.remote());
    }

    List<WebSocketConnection> webSockets() {
        List<WebSocketConnection> out = new ArrayList<>();
        for (Transport t : sockets.get().transports()) {
            out.addAll(Transports.webSockets(t));
        }
        out.sort(Comparator.comparingLong(WebSocketConnection::id));
        return out;
    }

    long webSocketId(SipMessage received) {
        SipSource source = received.source();
        if (source == null || !isWebSocket(source.transport())) {
            return -1;
        }
        Transport t = sockets.get().of(source);
        return t == null ? -1 : Transports.webSocketId(t, source.remote());
    }

    boolean closeWebSocket(long id, int status, String reason) {
        for (Transport t : sockets.get().transports()) {
            if (Transports.closeWebSocket(t, id, status, reason)) {
                return true;
            }
        }
        return false;
    }

    boolean upgradeToWebSocket(SipRequest handshake, byte[] answer) {
        Transport t = sockets.get().of(handshake.source());
        return t != null && Transports.upgradeToWebSocket(t, handshake.source().remote(), answer);
    }

    CompletableFuture<Void> sendBack(SipMessage received, byte[] bytes, boolean close) {
        SipSource source = received.source();
        Transport t = sockets.get().of(source);
        if (t == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("no way back to " + source));
        }
        CompletableFuture<Void> sent = t.send(bytes, source.remote(), false);
        if (close || received instanceof SipMessageImpl m && m.replyClose()) {
            Transports.closeConnection(t, source.remote());
        }
        return sent;
    }
}
