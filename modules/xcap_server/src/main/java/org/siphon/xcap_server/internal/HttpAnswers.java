package org.siphon.xcap_server.internal;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.siphon.core.function.ActionContext;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipRequest;

/**
 * Writes an {@link XcapOps.Answer} as the HTTP reply to the request xhttp routes, with its
 * {@code ETag}. xhttp's API replies without extra headers, so the bytes go out through the core's
 * {@code sendBack}, after taking xhttp's answered flag (the route's attribute {@code xhttp.answered})
 * so that xhttp neither answers again nor lets a second reply through. Stateless.
 */
final class HttpAnswers {

    private HttpAnswers() {
    }

    /** @return false when the request was answered already */
    static boolean send(SipCore core, ActionContext ctx, SipRequest request, XcapOps.Answer a) {
        if (!(ctx.attribute(XcapServerComponent.XHTTP_ANSWERED) instanceof AtomicBoolean answered)
                || !answered.compareAndSet(false, true)) {
            return false;
        }
        boolean close = closes(request);
        core.sendBack(request, bytes(request.version(), a, close), close).whenComplete((v, e) -> {
            if (e != null) {
                XcapServerComponent.LOG.info("xcap_server: the reply to {} {} was not sent: {}", request.method(),
                        request.target(), e.toString());
            }
        });
        return true;
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
