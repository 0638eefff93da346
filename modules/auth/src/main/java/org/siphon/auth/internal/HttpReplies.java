package org.siphon.auth.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import org.siphon.core.function.ActionContext;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;

/**
 * The replies of {@code www_challenge} (401 with {@code WWW-Authenticate}) and of a banned address
 * (403) to an HTTP request in {@code event_route[xhttp:request]}, as Kamailio's auth sends them
 * there: written as HTTP and sent back on the request's connection through the core's
 * {@code sendBack}. The request is marked answered through xhttp's route attribute
 * ({@code xhttp.answered}), so xhttp adds no 404 and a later {@code xhttp_reply} returns -1; auth
 * needs no import of xhttp. Stateless.
 */
final class HttpReplies {

    /** xhttp's attribute of the route's context: an AtomicBoolean set once the request is answered. */
    static final String ANSWERED = "xhttp.answered";

    private HttpReplies() {
    }

    /** Sends the reply; false when the request was answered already. */
    static boolean send(SipCore core, ActionContext c, SipRequest r, int status, String reason, List<SipHeader> headers) {
        if (c.attribute(ANSWERED) instanceof AtomicBoolean answered && !answered.compareAndSet(false, true)) {
            return false;
        }
        String connection = r.headerValue("Connection");
        String conn = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        boolean http10 = "HTTP/1.0".equals(r.version());
        boolean close = conn.contains("close") || http10 && !conn.contains("keep-alive");
        StringBuilder b = new StringBuilder(256);
        b.append(http10 ? "HTTP/1.0 " : "HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        for (SipHeader h : headers) {
            b.append(h.name()).append(": ").append(h.value()).append("\r\n");
        }
        b.append("Server: Siphon\r\nContent-Length: 0\r\n");
        if (close) {
            b.append("Connection: close\r\n");
        } else if (http10) {
            b.append("Connection: keep-alive\r\n");
        }
        b.append("\r\n");
        core.sendBack(r, b.toString().getBytes(StandardCharsets.ISO_8859_1), close).whenComplete((v, e) -> {
            if (e != null) {
                AuthComponent.LOG.info("auth: the {} to {} {} was not sent: {}", status, r.method(), r.target(),
                        e.toString());
            }
        });
        return true;
    }
}
