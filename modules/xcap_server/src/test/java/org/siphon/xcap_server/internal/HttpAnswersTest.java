package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class HttpAnswersTest {

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void statusEtagTypeLengthAndBody() {
        XcapOps.Answer a = new XcapOps.Answer(200, "OK", "application/xcap-att+xml", "Zoë", "sr-1");
        assertEquals("HTTP/1.1 200 OK\r\nServer: Siphon\r\nETag: \"sr-1\"\r\nContent-Type: application/xcap-att+xml\r\n"
                + "Content-Length: 4\r\n\r\nZoë", text(HttpAnswers.bytes("HTTP/1.1", a, false)));
    }

    @Test
    void noTypeWithoutBodyAndConnectionHeaders() {
        XcapOps.Answer a = XcapOps.Answer.of(404, "Not Found");
        assertEquals("HTTP/1.1 404 Not Found\r\nServer: Siphon\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                text(HttpAnswers.bytes("HTTP/1.1", a, true)));
        assertEquals("HTTP/1.0 404 Not Found\r\nServer: Siphon\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n",
                text(HttpAnswers.bytes("HTTP/1.0", a, false)));
    }
}
