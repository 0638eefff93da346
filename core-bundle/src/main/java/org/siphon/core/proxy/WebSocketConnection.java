package org.siphon.core.proxy;

import java.net.InetSocketAddress;

/**
 * A connection the core switched to WebSocket framing (RFC 6455) after a handshake, as
 * Kamailio's {@code ws.dump} lists it.
 *
 * @param id       its number ({@code $ws_conid}, {@code ws.close}), unique while the server runs
 * @param transport {@code ws} or {@code wss}
 * @param remote   the peer
 * @param local    the listening socket it came to
 * @param openedMillis when the handshake switched it, epoch ms
 */
public record WebSocketConnection(long id, String transport, InetSocketAddress remote, InetSocketAddress local,
        long openedMillis) {
}
