package org.siphon.tm.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.tm.UacRequest;

/**
 * Writes an in-dialog request of {@link org.siphon.tm.TmApi#requestWithin} straight to its wire
 * bytes: the request line, the core's Via with the branch, Max-Forwards (70, or the given value
 * less one, as the core's forwarding does), the headers as given, Content-Type and Content-Length,
 * the body. Nothing is parsed. Stateless; thread-safe.
 */
final class UacWriter {

    private UacWriter() {
    }

    /**
     * Whether the request can be written as given: not an INVITE, ACK or CANCEL (their
     * transactions need the parsed request), with From, To, Call-ID and CSeq among its headers.
     */
    static boolean eligible(UacRequest r) {
        String m = r.method();
        if (m == null || SipMethods.INVITE.equals(m) || SipMethods.ACK.equals(m) || SipMethods.CANCEL.equals(m)) {
            return false;
        }
        int seen = 0;
        for (SipHeader h : r.headers()) {
            String n = h.name();
            if (n.equalsIgnoreCase("From")) {
                seen |= 1;
            } else if (n.equalsIgnoreCase("To")) {
                seen |= 2;
            } else if (n.equalsIgnoreCase("Call-ID")) {
                seen |= 4;
            } else if (n.equalsIgnoreCase("CSeq")) {
                seen |= 8;
            }
        }
        return seen == 15;
    }

    /** The Call-ID among the headers (trimmed), or null. */
    static String callId(UacRequest r) {
        for (SipHeader h : r.headers()) {
            if (h.name().equalsIgnoreCase("Call-ID")) {
                return h.value().trim();
            }
        }
        return null;
    }

    /**
     * The request's bytes with {@code Via: <via>;branch=<branch>} on top.
     *
     * @throws IllegalArgumentException when the method, the Request-URI, a header name or value holds
     *         CR, LF (or, for the first three, white space), or a given Max-Forwards is not a number
     */
    static byte[] write(UacRequest r, String via, String branch) {
        token(r.method(), "method");
        token(r.requestUri(), "Request-URI");
        StringBuilder sb = new StringBuilder(256 + 48 * r.headers().size());
        sb.append(r.method()).append(' ').append(r.requestUri()).append(" SIP/2.0\r\nVia: ").append(via)
                .append(";branch=").append(branch).append("\r\n");
        boolean maxForwards = false;
        for (SipHeader h : r.headers()) {
            String n = h.name();
            if (n.equalsIgnoreCase("Content-Length") || n.equalsIgnoreCase("l") || n.equalsIgnoreCase("Content-Type")
                    || n.equalsIgnoreCase("c")) {
                continue;
            }
            token(n, "header name");
            String v = h.value();
            line(v, n);
            if (n.equalsIgnoreCase("Max-Forwards")) {
                maxForwards = true;
                int hops;
                try {
                    hops = Integer.parseInt(v.trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Max-Forwards is not a number: " + v);
                }
                v = Integer.toString(Math.max(0, hops - 1));
            }
            sb.append(n).append(": ").append(v).append("\r\n");
        }
        if (!maxForwards) {
            sb.append("Max-Forwards: 70\r\n");
        }
        byte[] body = r.body() == null ? new byte[0] : r.body();
        if (r.contentType() != null && body.length > 0) {
            line(r.contentType(), "Content-Type");
            sb.append("Content-Type: ").append(r.contentType()).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body.length == 0) {
            return head;
        }
        byte[] all = Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private static void token(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException("the " + what + " is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("the " + what + " holds a control character or white space: " + s);
            }
        }
    }

    private static void line(String s, String name) {
        if (s == null) {
            throw new IllegalArgumentException("header " + name + " has no value");
        }
        if (s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0 || s.indexOf(0) >= 0) { // indexOf: vectorised by the JIT
            throw new IllegalArgumentException("the value of " + name + " holds CR, LF or NUL");
        }
    }
}
