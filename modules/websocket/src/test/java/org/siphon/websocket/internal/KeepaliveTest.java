package org.siphon.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.siphon.core.proxy.WebSocketConnection;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestConfigs;

/** Keepalive rounds on a virtual clock against a core that keeps the connections' activity as the real one does. */
class KeepaliveTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 5060);

    /** Connections whose last use and awaited pong move as the core's do; records what was sent and closed. */
    static final class Core extends StubSipCore {
        final AtomicLong now;
        final Map<Long, WebSocketConnection> open = new ConcurrentHashMap<>();
        final List<String> events = new CopyOnWriteArrayList<>();

        Core(AtomicLong now) {
            this.now = now;
        }

        void open(long id) {
            open.put(id, new WebSocketConnection(id, "ws", PEER, LOCAL, now.get()));
        }

        /** A frame from the peer: used now; a pong answers the ping. */
        void frame(long id, boolean pong) {
            WebSocketConnection c = open.get(id);
            open.put(id, new WebSocketConnection(id, "ws", PEER, LOCAL, c.openedMillis(), false, now.get(),
                    c.awaitingPong() && !pong, c.state()));
        }

        @Override
        public List<WebSocketConnection> webSocketConnections() {
            return List.copyOf(open.values());
        }

        @Override
        public boolean pingWebSocket(long id, boolean ping, byte[] data) {
            WebSocketConnection c = open.get(id);
            if (c == null) {
                return false;
            }
            open.put(id, new WebSocketConnection(id, "ws", PEER, LOCAL, c.openedMillis(), false, now.get(), ping, c.state()));
            events.add((ping ? "ping " : "pong ") + id + " " + new String(data, StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public boolean closeWebSocket(long id, int status, String reason) {
            events.add("close " + id + " " + status);
            return open.remove(id) != null;
        }
    }

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Core core = new Core(now);
    private final Keepalive keepalive = new Keepalive(() -> core, now::get);

    private static Keepalive.Settings settings(int mechanism, int timeout) {
        return new Keepalive.Settings(mechanism, timeout, "Siphon".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anIdleConnectionIsPingedAndClosedWhenThePongDoesNotCome() {
        core.open(1);
        now.addAndGet(29_000);
        keepalive.round(settings(Keepalive.PING, 30));
        assertEquals(List.of(), core.events, "not idle for 30 s yet");
        now.addAndGet(1_000);
        keepalive.round(settings(Keepalive.PING, 30));
        assertEquals(List.of("ping 1 Siphon"), core.events);
        now.addAndGet(29_000);
        keepalive.round(settings(Keepalive.PING, 30));
        assertEquals(1, core.events.size(), "the pong has 30 s");
        now.addAndGet(1_000);
        keepalive.round(settings(Keepalive.PING, 30));
        assertEquals(List.of("ping 1 Siphon", "close 1 1001"), core.events);
        assertEquals(1, keepalive.pings.sum());
        assertEquals(1, keepalive.closed.sum());
    }

    @Test
    void aPeerThatAnswersStaysOpenAndTrafficPutsThePingOff() {
        core.open(1);
        core.open(2);
        for (int i = 0; i < 5; i++) {
            now.addAndGet(10_000);
            core.frame(2, false); // SIP traffic every 10 s: never idle
            keepalive.round(settings(Keepalive.PING, 10));
            core.frame(1, true); // 1 answers each ping
        }
        assertEquals(5, core.events.stream().filter(e -> e.equals("ping 1 Siphon")).count(), core.events.toString());
        assertEquals(0, core.events.stream().filter(e -> e.contains(" 2 ") || e.startsWith("close")).count(), core.events.toString());
    }

    @Test
    void mechanismTwoSendsPongsAndClosesNothingMechanismZeroSendsNothing() {
        core.open(1);
        for (int i = 0; i < 3; i++) {
            now.addAndGet(5_000);
            keepalive.round(settings(Keepalive.PONG, 5));
        }
        assertEquals(List.of("pong 1 Siphon", "pong 1 Siphon", "pong 1 Siphon"), core.events);
        core.events.clear();
        now.addAndGet(60_000);
        keepalive.round(settings(Keepalive.NONE, 5));
        assertEquals(List.of(), core.events);
    }

    @Test
    void theComponentTakesNewParametersLive() {
        WebsocketComponent c = new WebsocketComponent();
        c.core = core;
        c.activate(TestConfigs.of(WebsocketComponent.Config.class, "keepalive__interval", 3600)); // no round of its own
        try {
            Keepalive.Settings s = c.keepaliveSettings(TestConfigs.of(WebsocketComponent.Config.class));
            assertEquals(Keepalive.PING, s.mechanism(), "Kamailio's default mechanism is ping");
            assertEquals(180, s.timeoutSeconds(), "Kamailio's default timeout");
            assertEquals("Siphon", new String(s.applicationData(), StandardCharsets.UTF_8));
            c.modified(TestConfigs.of(WebsocketComponent.Config.class, "keepalive__mechanism", 2, "keepalive__timeout", 7,
                    "keepalive__interval", 3600, "ping__application__data", "x".repeat(200)));
            core.open(9);
            now.addAndGet(8_000);
            c.keepaliveRound();
            assertEquals(List.of("pong 9 " + "x".repeat(125)), core.events, "the new mechanism and timeout; data cut to 125 bytes");
        } finally {
            c.deactivate();
        }
    }
}
