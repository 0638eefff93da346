package org.siphon.core.internal.codec;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.function.LongSupplier;

import org.siphon.core.proxy.WebSocketConnection;

/**
 * What the core knows of one WebSocket connection besides its channel: its id, whether Siphon
 * opened it (client mode), when a frame last went either way and the application data of a ping
 * still unanswered (Kamailio's {@code last_used} and {@code awaiting_pong}, which the websocket
 * module's keepalives read). Thread-safe: the event loop writes, RPC and the keepalive timer read.
 */
public final class WebSocketSession {

    private final long id;
    private final String transport;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final boolean client;
    private final long openedMillis;
    private final LongSupplier clock;
    private volatile long lastUsedMillis;
    private volatile byte[] awaitedPong;
    private volatile boolean closing;

    public WebSocketSession(long id, String transport, InetSocketAddress remote, InetSocketAddress local, boolean client,
            LongSupplier clock) {
        this.id = id;
        this.transport = transport;
        this.remote = remote;
        this.local = local;
        this.client = client;
        this.clock = clock;
        this.openedMillis = clock.getAsLong();
        this.lastUsedMillis = openedMillis;
    }

    public long id() {
        return id;
    }

    /** A frame went or came now. */
    public void used() {
        lastUsedMillis = clock.getAsLong();
    }

    /** A keepalive ping with {@code data} was sent: the connection awaits its pong. */
    public void pinged(byte[] data) {
        used();
        awaitedPong = data.clone();
    }

    /** A pong came: it answers the ping when it carries the ping's application data (RFC 6455 §5.5.3). */
    public void ponged(byte[] data) {
        byte[] awaited = awaitedPong;
        if (awaited != null && Arrays.equals(awaited, data)) {
            awaitedPong = null;
        }
    }

    /** A close frame was sent or received. */
    public void closing() {
        closing = true;
    }

    public WebSocketConnection info() {
        return new WebSocketConnection(id, transport, remote, local, openedMillis, client, lastUsedMillis, awaitedPong != null,
                closing ? "CLOSING" : "OPEN");
    }
}
