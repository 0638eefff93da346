package org.siphon.websocket.internal;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.WebSocketConnection;

/**
 * WebSocket keepalives as Kamailio's websocket module sends them: one round every
 * {@code keepalive_interval} seconds looks at every connection; one with no frame either way
 * for {@code keepalive_timeout} seconds gets a ping ({@code keepalive_mechanism} 1) or an
 * unsolicited pong (2); one still awaiting the pong of its last ping by then (or still closing)
 * is closed with 1001. A peer that never answers therefore goes about two timeouts after its
 * last frame; a pong keeps nothing waiting, so with mechanism 2 only TCP's own idle limit closes
 * a silent peer. Runs on the module's timer thread; never blocks (the core writes on the
 * connection's event loop).
 */
final class Keepalive {

    /** Kamailio's keepalive_mechanism values. */
    static final int NONE = 0;
    static final int PING = 1;
    static final int PONG = 2;

    /** The parameters of one round. */
    record Settings(int mechanism, int timeoutSeconds, byte[] applicationData) {
    }

    private final Supplier<SipCore> core;
    private final LongSupplier clock;
    final LongAdder pings = new LongAdder();
    final LongAdder pongs = new LongAdder();
    final LongAdder closed = new LongAdder();

    Keepalive(Supplier<SipCore> core, LongSupplier clock) {
        this.core = core;
        this.clock = clock;
    }

    /** One round over the connections open now. */
    void round(Settings s) {
        SipCore c = core.get();
        if (c == null || s.mechanism() == NONE) {
            return;
        }
        long idleBefore = clock.getAsLong() - s.timeoutSeconds() * 1000L;
        for (WebSocketConnection w : c.webSocketConnections()) {
            if (w.lastUsedMillis() > idleBefore) {
                continue;
            }
            if (w.awaitingPong() || "CLOSING".equals(w.state())) {
                WebsocketComponent.LOG.info("websocket: connection {} ({} {}:{}) did not answer the keepalive in {} s: closing",
                        w.id(), w.transport(), w.remote().getAddress().getHostAddress(), w.remote().getPort(), s.timeoutSeconds());
                if (c.closeWebSocket(w.id(), 1001, "Keepalive timeout")) {
                    closed.increment();
                }
            } else if (c.pingWebSocket(w.id(), s.mechanism() == PING, s.applicationData())) {
                (s.mechanism() == PING ? pings : pongs).increment();
            }
        }
    }
}
