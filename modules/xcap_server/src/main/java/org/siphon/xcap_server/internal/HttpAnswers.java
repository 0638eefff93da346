package org.siphon.xcap_server.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipRequest;

/**
 * Writes an {@link XcapOps.Answer} as the HTTP reply to a request claimed from xhttp
 * ({@code XhttpApi.claim}), with its {@code ETag}: xhttp's {@code reply} takes no extra headers, so
 * the bytes go out through the core's {@code sendBack}. Stateless.
 */
final class HttpAnswers {

    private HttpAnswers() {
    }

    /** Sends the answer to the claimed {@code request}. */
    static void send(SipCore core, SipRequest request, XcapOps.Answer a) {
        boolean close = closes(request);
        core.sendBack(request, bytes(request.version(), a, close), close).whenComplete((v, e) -> {
            if (e != null) {
                XcapServerComponent.LOG.info("xcap_server: the reply to {} {} was not sent: {}", request.method(),
                        request.target(), e.toString());
            }
        });
    }

    static boolean closes(SipRequest request) {
        String connection = request.headerValue("Connection");
        String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return c.contains("close") || "HTTP/1.0".equals(request.version()) && !c.contains("keep-alive");
    }

    static byte[] bytes(String version, XcapOps.Answer a, boolean close) {
        byte[] body = a.bytes();
        StringBuilder h = new StringBuilder(160);
        h.append("HTTP/1.0".equals(version) ? "HTTP/1.0 " : "HTTP/1.1 ").append(a.code()).append(' ').append(a.reason())
                .append("\r\nServer: Siphon\r\n");
        if (a.etag() != null) {
            h.append("ETag: \"").append(a.etag()).append("\"\r\n");
        }
        if (body.length > 0 && !a.contentType().isEmpty()) {
            h.append("Content-Type: ").append(a.contentType()).append("\r\n");
        }
        h.append("Content-Length: ").append(body.length).append("\r\n");
        if (close) {
            h.append("Connection: close\r\n");
        } else if ("HTTP/1.0".equals(version)) {
            h.append("Connection: keep-alive\r\n");
        }
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
