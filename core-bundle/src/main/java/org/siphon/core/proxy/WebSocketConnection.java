package org.siphon.core.proxy;

import java.net.InetSocketAddress;

/**
 * A WebSocket connection (RFC 6455) of the core, as Kamailio's {@code ws.dump} lists it: one a peer
 * opened and the core switched after a handshake, or one Siphon opened itself (client mode). A
 * snapshot: its activity moves on after it was taken.
 *
 * @param id       its number ({@code $ws_conid}, {@code ws.close}), unique while the server runs
 * @param transport {@code ws} or {@code wss}
 * @param remote   the peer
 * @param local    the listening socket it came to (for a client connection, its local address)
 * @param openedMillis when the handshake switched it, epoch ms
 * @param client   whether Siphon opened it
 * @param lastUsedMillis when a frame last went or came, epoch ms
 * @param awaitingPong whether a keepalive ping is still unanswered
 * @param state    {@code OPEN}, or {@code CLOSING} once a close frame went or came
 */
public record WebSocketConnection(long id, String transport, InetSocketAddress remote, InetSocketAddress local,
        long openedMillis, boolean client, long lastUsedMillis, boolean awaitingPong, String state) {

    /** A server connection, open, last used when opened. */
    public WebSocketConnection(long id, String transport, InetSocketAddress remote, InetSocketAddress local, long openedMillis) {
        this(id, transport, remote, local, openedMillis, false, openedMillis, false, "OPEN");
    }
}
