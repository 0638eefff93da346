package org.siphon.xhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;

class HttpRepliesTest {

    private static SipRequest request(String text) {
        return (SipRequest) SipMessages.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anHttpRequestIsParsedWithItsTargetAndVersion() {
        SipRequest r = request("GET /RPC?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(r.isHttp());
        assertEquals("GET", r.method());
        assertEquals("/RPC?x=1", r.target());
        assertEquals("HTTP/1.1", r.version());
        assertEquals(null, r.error());
    }

    @Test
    void keepAliveFollowsTheVersionAndTheConnectionHeader() {
        assertFalse(HttpReplies.closes(request("GET / HTTP/1.1\r\nHost: a\r\n\r\n")));
        assertTrue(HttpReplies.closes(request("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")));
        assertTrue(HttpReplies.closes(request("GET / HTTP/1.0\r\n\r\n")));
        assertFalse(HttpReplies.closes(request("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")));
    }

    @Test
    void aReplyHasItsLengthAndTypeAndNoInjectedHeaders() {
        String reply = new String(HttpReplies.build("HTTP/1.1", 200, "OK\r\nX-Evil: 1", "text/html", "<b>hé</b>"
                .getBytes(StandardCharsets.UTF_8), false), StandardCharsets.UTF_8);
        assertEquals("HTTP/1.1 200 OK  X-Evil: 1\r\nServer: Siphon\r\nContent-Type: text/html\r\nContent-Length: 10\r\n\r\n<b>hé</b>",
                reply);
        String closing = new String(HttpReplies.build("HTTP/1.0", 404, "Not Found", "text/plain", new byte[0], true),
                StandardCharsets.ISO_8859_1);
        assertEquals("HTTP/1.0 404 Not Found\r\nServer: Siphon\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", closing);
    }

    @Test
    void urlSkipWinsOverUrlMatch() {
        XhttpComponent.Config c = config("^/RPC2", "^/RPC");
        var urls = XhttpComponent.urls(c);
        assertTrue(urls.routed("/RPC"));
        assertFalse(urls.routed("/RPC2"));
        assertFalse(urls.routed("/other"));
        assertTrue(XhttpComponent.urls(config("", "")).routed("/anything"));
        assertThrows(IllegalArgumentException.class, () -> XhttpComponent.urls(config("(", "")));
    }

    @Test
    void aLiteralStatusIsCheckedWhenTheScriptLoads() {
        assertThrows(IllegalArgumentException.class, () -> XhttpComponent.replyArgs(List.of("abc", "OK", "text/plain", "")));
        assertThrows(IllegalArgumentException.class, () -> XhttpComponent.replyArgs(List.of("42", "OK", "text/plain", "")));
        assertEquals(List.of("200", "OK", "text/plain", "costs $5"),
                List.of(XhttpComponent.replyArgs(List.of("200", "OK", "text/plain", "costs $5"))), "values are used as given");
    }

    private static XhttpComponent.Config config(String skip, String match) {
        return new XhttpComponent.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return XhttpComponent.Config.class; }
            @Override public String url__skip() { return skip; }
            @Override public String url__match() { return match; }
            @Override public String event__callback() { return ""; }
        };
    }
}
