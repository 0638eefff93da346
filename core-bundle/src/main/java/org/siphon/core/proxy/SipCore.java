package org.siphon.core.proxy;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;

/**
 * The core's SIP operations for the script's core functions and for modules: stateless
 * forwarding (RFC 3261 §16.11), stateless replies, sending, resolving and {@code myself}. An
 * OSGi service of the core. Thread-safe; calls may block on name resolution. What a stateful layer
 * needs besides is in {@link StatefulCore}.
 */
@ProviderType
public interface SipCore {

    /**
     * Forwards the context's request statelessly: to {@code target} if given, else to {@code $du},
     * else to the Request-URI. Adds the core's Via (with a branch derived from the request, so that
     * retransmissions and CANCELs take the same branch), {@code received}/{@code rport} on the
     * previous hop's Via (RFC 3581), decrements Max-Forwards. Answers 483 when Max-Forwards is 0,
     * 482 on a loop, 416 for a non-SIP target, 478 when the target does not resolve.
     *
     * @return 1 when sent, -1 when it could not be (and the request was answered)
     */
    int forward(ActionContext ctx, Uri target);

    /** Answers a request statelessly, with a To tag derived from the request for final replies. */
    void reply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders);

    /** Resolves a SIP URI to where a request for it goes (transport parameter, port, A/AAAA). */
    Destination resolve(Uri uri) throws UnresolvableException;

    /** Sends bytes through the core's socket for the destination's transport and address family. */
    CompletableFuture<Void> send(byte[] bytes, Destination destination);

    /**
     * Sends bytes back where {@code received} came from: on its connection for a stream transport
     * (none is opened: the future fails when it has closed), to its source address for UDP. With
     * {@code close}, the connection is closed once they are written (HTTP's {@code Connection: close}).
     */
    default CompletableFuture<Void> sendBack(SipMessage received, byte[] bytes, boolean close) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("sendBack"));
    }

    /**
     * Answers a WebSocket handshake that came as HTTP on a SIP stream listener: writes
     * {@code answer} (the {@code 101 Switching Protocols} the websocket module built) on its
     * connection and switches the connection to WebSocket framing (RFC 6455), whose messages are
     * SIP messages of transport {@code ws}, or {@code wss} over TLS (RFC 7118).
     *
     * @return false when the connection is gone or is no stream
     */
    default boolean upgradeToWebSocket(SipRequest handshake, byte[] answer) {
        return false;
    }

    /**
     * The TLS session of the connection {@code received} came on (its peer's certificates, the
     * protocol and cipher), for Kamailio's {@code $tls_*} variables; null when it did not come over
     * TLS (or WSS) or the connection has closed.
     */
    default javax.net.ssl.SSLSession tlsSession(SipMessage received) {
        return null;
    }

    /** The WebSocket connections open now (Kamailio's {@code ws.dump}). */
    default List<WebSocketConnection> webSocketConnections() {
        return List.of();
    }

    /** The WebSocket connection {@code received} came on ({@code $ws_conid}), or -1. */
    default long webSocketId(SipMessage received) {
        return -1;
    }

    /**
     * Closes WebSocket connection {@code id} with a close frame of {@code status} and {@code reason}
     * (RFC 6455 §5.5.1), then the connection.
     *
     * @return false when there is no such connection
     */
    default boolean closeWebSocket(long id, int status, String reason) {
        return false;
    }

    /**
     * Sends a keepalive on WebSocket connection {@code id}: a ping with {@code data} as its
     * application data (at most 125 bytes), after which the connection awaits the pong
     * ({@link WebSocketConnection#awaitingPong()}), or with {@code ping} false an unsolicited pong.
     *
     * @return false when there is no such connection
     */
    default boolean pingWebSocket(long id, boolean ping, byte[] data) {
        return false;
    }

    /**
     * Tells {@code listener} of every WebSocket connection that closes, server or client side, as
     * it was last seen (Kamailio's {@code event_route[websocket:closed]}). Called on the
     * connection's I/O thread: hand off and return at once.
     *
     * @return closing it stops the notifications
     */
    default AutoCloseable onWebSocketClosed(java.util.function.Consumer<WebSocketConnection> listener) {
        return () -> { };
    }

    /** The Via value the core puts on a request it sends to {@code destination}. */
    String via(Destination destination, String branch);

    /** Whether host and port name this server (listen addresses, advertised addresses, aliases); port -1 for any. */
    boolean isMyself(String host, int port);
}
