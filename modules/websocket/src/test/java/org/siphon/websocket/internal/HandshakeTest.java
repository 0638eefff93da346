package org.siphon.websocket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;

class HandshakeTest {

    private static final String GOOD = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: chat, sip\r\n"
            + "Origin: https://phone.example\r\n\r\n";

    private static SipRequest request(String text) {
        return (SipRequest) SipMessages.parse(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void theRfcExampleKeyGetsItsAcceptValue() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", Handshake.accept("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void aGoodHandshakeIsAnswered101WithSipAndCors() {
        Handshake.Result r = Handshake.check(request(GOOD), 1, 2, "Siphon");
        assertTrue(r.ok());
        String answer = new String(r.answer(), StandardCharsets.ISO_8859_1);
        assertTrue(answer.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), answer);
        assertTrue(answer.contains("Sec-WebSocket-Protocol: sip\r\n"), answer);
        assertTrue(answer.contains("Access-Control-Allow-Origin: https://phone.example\r\n"), answer);
        assertFalse(new String(Handshake.check(request(GOOD), 1, 0, "S").answer(), StandardCharsets.ISO_8859_1)
                .contains("Access-Control"));
    }

    @Test
    void badHandshakesGetTheirStatus() {
        assertEquals(405, Handshake.check(request(GOOD.replace("GET", "POST")), 1, 0, "S").status());
        assertEquals(426, Handshake.check(request(GOOD.replace("Version: 13", "Version: 8")), 1, 0, "S").status());
        assertEquals(400, Handshake.check(request(GOOD.replace("chat, sip", "chat")), 1, 0, "S").status());
        assertEquals(400, Handshake.check(request(GOOD.replace("dGhlIHNhbXBsZSBub25jZQ==", "short")), 1, 0, "S").status());
        assertEquals(400, Handshake.check(request(GOOD.replace("Upgrade: websocket", "Upgrade: h2c")), 1, 0, "S").status());
        assertEquals("msrp", Handshake.protocol("msrp, sip", 3));
        assertNull(Handshake.protocol("msrp", 1));
    }
}
