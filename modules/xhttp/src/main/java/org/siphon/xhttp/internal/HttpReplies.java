package org.siphon.xhttp.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.siphon.core.sip.SipRequest;

/** HTTP/1.x replies (RFC 9112): the status line, Content-Type and Content-Length, and whether the connection ends. */
final class HttpReplies {

    private HttpReplies() {
    }

    /** Whether the connection closes after the reply: {@code Connection: close}, or HTTP/1.0 without keep-alive. */
    static boolean closes(SipRequest request) {
        String connection = request.headerValue("Connection");
        String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        if (c.contains("close")) {
            return true;
        }
        return "HTTP/1.0".equals(request.version()) && !c.contains("keep-alive");
    }

    static byte[] build(String version, int code, String reason, String contentType, byte[] body, boolean close) {
        StringBuilder head = new StringBuilder(128);
        head.append("HTTP/1.0".equals(version) ? "HTTP/1.0 " : "HTTP/1.1 ").append(code).append(' ')
                .append(clean(reason)).append("\r\n");
        head.append("Server: Siphon\r\n");
        if (body.length > 0 && contentType != null && !contentType.isBlank()) {
            head.append("Content-Type: ").append(clean(contentType)).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n");
        if (close) {
            head.append("Connection: close\r\n");
        } else if ("HTTP/1.0".equals(version)) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[h.length + body.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
    }

    /** A script-given reason or type cannot break the header section. */
    private static String clean(String s) {
        return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
    }
}
