package org.siphon.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class WebSocketClientHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String GOOD = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: sip";

    @Test
    void theRequestOffersSipAndTheRfcExampleAcceptIsRight() {
        String req = new String(WebSocketClientHandshake.request("127.0.0.1:80", KEY, "Siphon"), StandardCharsets.ISO_8859_1);
        assertTrue(req.startsWith("GET / HTTP/1.1\r\nHost: 127.0.0.1:80\r\n"), req);
        assertTrue(req.contains("\r\nSec-WebSocket-Protocol: sip\r\n") && req.contains("\r\nSec-WebSocket-Version: 13\r\n"), req);
        assertTrue(req.endsWith("\r\n\r\n"));
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketClientHandshake.accept(KEY));
        assertEquals(24, WebSocketClientHandshake.newKey().length(), "16 random bytes in base64");
        assertNull(WebSocketClientHandshake.check(GOOD, KEY));
        assertNull(WebSocketClientHandshake.check(GOOD.replace("Connection: Upgrade", "connection: keep-alive, upgrade"), KEY));
    }

    @Test
    void everyBadAnswerIsNamed() {
        assertTrue(WebSocketClientHandshake.check("HTTP/1.1 400 Bad Request\r\nX: y", KEY).contains("400"));
        assertTrue(WebSocketClientHandshake.check("SIP/2.0 101 x", KEY).contains("answered"));
        assertTrue(WebSocketClientHandshake.check(GOOD.replace("Upgrade: websocket\r\n", ""), KEY).contains("Upgrade"));
        assertTrue(WebSocketClientHandshake.check(GOOD.replace("Connection: Upgrade", "Connection: close"), KEY).contains("Connection"));
        assertTrue(WebSocketClientHandshake.check(GOOD, "AAAAAAAAAAAAAAAAAAAAAA==").contains("Accept"));
        assertTrue(WebSocketClientHandshake.check(GOOD.replace("Protocol: sip", "Protocol: chat"), KEY).contains("chat"));
        assertTrue(WebSocketClientHandshake.check(GOOD.replace("\r\nSec-WebSocket-Protocol: sip", ""), KEY).contains("missing"));
    }

    @Test
    void theDecoderOpensOnAGoodAnswerSplitInPiecesAndPassesWhatFollows() {
        AtomicBoolean opened = new AtomicBoolean();
        WebSocketClientHandshake h = new WebSocketClientHandshake(KEY, "ws:test", ctx -> {
            opened.set(true);
            ctx.pipeline().remove(ctx.handler());
        });
        EmbeddedChannel ch = new EmbeddedChannel(h);
        byte[] answer = (GOOD + "\r\n\r\nNEXT").getBytes(StandardCharsets.ISO_8859_1);
        ch.writeInbound(Unpooled.wrappedBuffer(answer, 0, 20));
        assertFalse(opened.get());
        ch.writeInbound(Unpooled.wrappedBuffer(answer, 20, answer.length - 20));
        assertTrue(opened.get());
        assertTrue(h.done().isDone() && !h.done().isCompletedExceptionally());
        ByteBuf rest = ch.readInbound();
        assertNotNull(rest, "the bytes after the head go on");
        assertEquals("NEXT", rest.toString(StandardCharsets.ISO_8859_1));
        rest.release();
    }

    @Test
    void aRefusalOrAnEndlessHeadFailsAndCloses() {
        WebSocketClientHandshake h = new WebSocketClientHandshake(KEY, "ws:test", ctx -> { });
        EmbeddedChannel ch = new EmbeddedChannel(h);
        ch.writeInbound(Unpooled.copiedBuffer("HTTP/1.1 404 Not Found\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertTrue(h.done().isCompletedExceptionally());
        assertFalse(ch.isActive());

        WebSocketClientHandshake h2 = new WebSocketClientHandshake(KEY, "ws:test", ctx -> { });
        EmbeddedChannel ch2 = new EmbeddedChannel(h2);
        ch2.writeInbound(Unpooled.wrappedBuffer(new byte[9000]));
        assertTrue(h2.done().isCompletedExceptionally());
        assertFalse(ch2.isActive());

        WebSocketClientHandshake h3 = new WebSocketClientHandshake(KEY, "ws:test", ctx -> { });
        EmbeddedChannel ch3 = new EmbeddedChannel(h3);
        ch3.close();
        assertTrue(h3.done().isCompletedExceptionally(), "closed during the handshake");
    }
}
