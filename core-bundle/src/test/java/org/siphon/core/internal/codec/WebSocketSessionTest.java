package org.siphon.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.siphon.core.proxy.WebSocketConnection;

class WebSocketSessionTest {

    @Test
    void onlyThePongOfOurPingEndsTheWaitAndEveryFrameCountsAsUse() {
        AtomicLong now = new AtomicLong(1000);
        WebSocketSession s = new WebSocketSession(7, "ws", new InetSocketAddress("127.0.0.1", 1), new InetSocketAddress("127.0.0.1", 2),
                true, now::get);
        now.set(5000);
        s.pinged("ka".getBytes());
        WebSocketConnection c = s.info();
        assertTrue(c.awaitingPong());
        assertEquals(5000, c.lastUsedMillis());
        assertEquals(1000, c.openedMillis());
        assertTrue(c.client());
        s.ponged("other".getBytes());
        assertTrue(s.info().awaitingPong(), "an unsolicited pong of other data answers nothing");
        s.ponged("ka".getBytes());
        assertFalse(s.info().awaitingPong());
        now.set(9000);
        s.used();
        assertEquals(9000, s.info().lastUsedMillis());
        assertEquals("OPEN", s.info().state());
        s.closing();
        assertEquals("CLOSING", s.info().state());
    }
}
