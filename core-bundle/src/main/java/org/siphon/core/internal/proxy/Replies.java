package org.siphon.core.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipStatus;

/**
 * Builds stateless replies (RFC 3261 §8.2.6): the request's Via headers, From, To (with a To tag
 * derived from the request for replies above 100, so retransmissions get the same tag and the
 * ACK can be recognised), Call-ID, CSeq, a Server header, extra headers, no body. Works on
 * malformed requests too, copying what could be read. Stateless; thread-safe.
 */
final class Replies {

    private final String secret;
    private final String serverHeader;

    /** @param serverHeader value of the Server header, or null for none */
    Replies(String secret, String serverHeader) {
        this.secret = secret;
        this.serverHeader = serverHeader;
    }

    /** The To tag the server uses when it answers {@code request} itself. */
    String toTag(SipRequest request) {
        String branch = request.topVia() == null ? null : request.topVia().branch();
        return "sl" + Hashes.hex(14, secret, request.callId(), request.fromTag(), branch);
    }

    /** Whether {@code tag} is one this server would have given {@code request} (for absorbing ACKs). */
    boolean isOwnTag(SipRequest request, String tag) {
        return tag != null && tag.equals(toTag(request));
    }

    byte[] build(SipRequest request, int status, String reason, List<SipHeader> extra) {
        return build(request, status, reason, extra, null, null, null);
    }

    /** With a given To tag (null: the derived one) and an optional body. */
    byte[] build(SipRequest request, int status, String reason, List<SipHeader> extra, String tag, String contentType,
            byte[] body) {
        StringBuilder sb = builder();
        String r = reason == null || reason.isBlank() ? SipStatus.reason(status) : oneLine(reason);
        sb.append("SIP/2.0 ").append(status).append(' ').append(r).append("\r\n");
        boolean first = true;
        for (SipHeader via : request.headers(SipHeaderNames.VIA)) {
            String value = via.value();
            if (first) {
                // RFC 3261 §18.2.1 and RFC 3581 §4: received= and rport=PORT on the top Via, as on forwarded requests
                first = false;
                org.siphon.core.sip.header.Via fixed = ViaHandling.withReceived(request, LITERAL, forceRport(request));
                if (fixed != null) {
                    value = ViaHandling.replaceFirst(via, fixed);
                }
            }
            sb.append("Via: ").append(value).append("\r\n");
        }
        copy(sb, request, SipHeaderNames.FROM);
        SipHeader to = request.header(SipHeaderNames.TO);
        if (to != null) {
            sb.append("To: ").append(to.value());
            if (status > 100 && request.toTag() == null) {
                sb.append(";tag=").append(tag != null ? tag : toTag(request));
            }
            sb.append("\r\n");
        }
        copy(sb, request, SipHeaderNames.CALL_ID);
        copy(sb, request, SipHeaderNames.CSEQ);
        if (status == 100) {
            copy(sb, request, "Timestamp");
        }
        if (serverHeader != null && !serverHeader.isEmpty()) {
            sb.append("Server: ").append(serverHeader).append("\r\n");
        }
        if (extra != null) {
            for (SipHeader h : extra) {
                sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        if (body == null) {
            sb.append("Content-Length: 0\r\n\r\n");
            return bytes(sb, NO_BODY);
        }
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        return bytes(sb, body);
    }

    /** For replies: a sent-by that is not the source address literally gets received= (no DNS on the reply path). */
    private static final ViaHandling.ReceivedPolicy LITERAL = new ViaHandling.ReceivedPolicy(null, false, false);

    static boolean forceRport(SipRequest request) {
        return request instanceof org.siphon.core.internal.message.SipMessageImpl m && m.forceRport();
    }

    private static final byte[] NO_BODY = new byte[0];
    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(1024));

    /** This thread's builder, emptied (a reply costs one allocation: its bytes). */
    private static StringBuilder builder() {
        StringBuilder sb = BUILDER.get();
        if (sb.capacity() > 64 * 1024) {
            sb = new StringBuilder(1024); // one huge reply does not pin its size for the thread's life
            BUILDER.set(sb);
        }
        sb.setLength(0);
        return sb;
    }

    /** The head (UTF-8) followed by the body, in one array; ASCII heads are copied char by char. */
    static byte[] bytes(CharSequence head, byte[] body) {
        int n = head.length();
        byte[] out = new byte[n + body.length];
        for (int i = 0; i < n; i++) {
            char c = head.charAt(i);
            if (c >= 0x80) {
                byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
                out = java.util.Arrays.copyOf(h, h.length + body.length);
                System.arraycopy(body, 0, out, h.length, body.length);
                return out;
            }
            out[i] = (byte) c;
        }
        System.arraycopy(body, 0, out, n, body.length);
        return out;
    }

    private static void copy(StringBuilder sb, SipRequest request, String name) {
        SipHeader h = request.header(name);
        if (h != null) {
            sb.append(name).append(": ").append(h.value()).append("\r\n");
        }
    }

    /** A reason phrase on one line: runs of CR and LF become one space. */
    static String oneLine(String reason) {
        if (reason.indexOf('\r') < 0 && reason.indexOf('\n') < 0) {
            return reason;
        }
        return reason.replaceAll("[\r\n]+", " ");
    }
}
