package org.siphon.core.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipParserConfig;
import org.siphon.core.sip.SipRequest;

class SipDecodersTest {

    static final String OPTIONS = "OPTIONS sip:x@h SIP/2.0\r\nVia: SIP/2.0/TCP c;branch=z9hG4bK1\r\n"
            + "From: <sip:a@x>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: %s\r\nCSeq: 1 OPTIONS\r\nContent-Length: %d\r\n\r\n%s";

    static String options(String callId, String body) {
        return String.format(OPTIONS, callId, body.length(), body);
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static EmbeddedChannel stream(int maxSize) {
        SipParserConfig config = new SipParserConfig(maxSize, 256, 16_384);
        return new EmbeddedChannel(new SipStreamDecoder(new SipMessageParser(config), config, "tcp"));
    }

    @Test
    void streamIsCutByContentLengthWhateverTheFragments() {
        EmbeddedChannel ch = stream(65_535);
        String two = options("c1", "hello") + options("c2", "");
        byte[] bytes = two.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(7, bytes.length - i)));
        }
        SipMessageImpl first = ch.readInbound();
        SipMessageImpl second = ch.readInbound();
        assertNull(ch.readInbound());
        assertEquals("c1", first.callId());
        assertEquals("hello", new String(first.body(), StandardCharsets.UTF_8));
        assertEquals("c2", second.callId());
        assertNull(first.error());
        assertEquals("tcp", first.source().transport());
    }

    @Test
    void everyFragmentSizeFindsTheBlankLineAndTheLengthOnce() {
        String third = options("c6", "xyz").replace("Content-Length: 3", "content-LENGTH \t: 3").replace("CSeq", "Contact: <sip:a@b>\r\nCSeq");
        String stream = options("c4", "body-4") + "\r\n\r\n" + options("c5", "") + third;
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int size = 1; size <= 41; size += 4) {
            EmbeddedChannel ch = stream(65_535);
            for (int i = 0; i < bytes.length; i += size) {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(size, bytes.length - i)));
            }
            SipMessageImpl a = ch.readInbound();
            SipMessageImpl b = ch.readInbound();
            SipMessageImpl c = ch.readInbound();
            assertNull(ch.readInbound(), "fragments of " + size);
            assertEquals("body-4", new String(a.body(), StandardCharsets.UTF_8), "fragments of " + size);
            assertEquals("c5", b.callId());
            assertEquals(0, b.body().length);
            assertEquals("xyz", new String(c.body(), StandardCharsets.UTF_8), "fragments of " + size);
            assertNull(c.error());
        }
    }

    @Test
    void compactContentLengthFramesToo() {
        EmbeddedChannel ch = stream(65_535);
        ch.writeInbound(buf(options("c3", "abc").replace("Content-Length: 3", "l : 3")));
        SipRequest r = ch.readInbound();
        assertEquals("abc", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void doubleCrlfPingsGetASingleCrlfPong() {
        EmbeddedChannel ch = stream(65_535);
        ch.writeInbound(buf("\r\n\r\n"));
        ByteBuf pong = ch.readOutbound();
        assertEquals("\r\n", pong.toString(StandardCharsets.US_ASCII));
        ch.writeInbound(buf("\r\n\r\n" + options("c4", "")));
        assertEquals("\r\n", ((ByteBuf) ch.readOutbound()).toString(StandardCharsets.US_ASCII));
        assertEquals("c4", ((SipMessageImpl) ch.readInbound()).callId());
    }

    @Test
    void anOversizedMessageIsMarked513AndTheStreamIsDropped() {
        EmbeddedChannel ch = stream(400);
        SipStreamDecoder decoder = ch.pipeline().get(SipStreamDecoder.class);
        ch.writeInbound(buf(options("big", "x".repeat(1000))));
        SipMessageImpl m = ch.readInbound();
        assertEquals(513, m.error().status());
        assertEquals("big", m.callId());
        assertTrue(decoder.isBroken());
        ch.writeInbound(buf(options("after", "")));
        assertNull(ch.readInbound());
    }

    @Test
    void anEndlessHeaderSectionIsCutAtTheLimit() {
        EmbeddedChannel ch = stream(300);
        ch.writeInbound(buf("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP c;branch=z9hG4bK1\r\n" + "X: y\r\n".repeat(100)));
        SipMessageImpl m = ch.readInbound();
        assertEquals(513, m.error().status());
    }

    @Test
    void datagramsAreMessagesAndKeepAlivesAreDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new SipDatagramDecoder(SipMessageParser.DEFAULT));
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 5070);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", 5060);
        ch.writeInbound(new DatagramPacket(buf("\r\n\r\n"), to, from));
        assertNull(ch.readInbound());
        ch.writeInbound(new DatagramPacket(buf(options("u1", "")), to, from));
        SipMessageImpl m = ch.readInbound();
        assertEquals("u1", m.callId());
        assertEquals(from, m.source().remote());
        assertEquals("udp", m.source().transport());
    }
}
