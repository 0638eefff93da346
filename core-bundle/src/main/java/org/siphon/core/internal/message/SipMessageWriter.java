package org.siphon.core.internal.message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipStatus;

/**
 * Writes a message with its edit list applied in one pass: untouched header lines are copied
 * byte for byte as received (compact forms, folding and all), changed ones are written as
 * {@code Name: value}. Content-Length is always written and always matches the body, so a
 * message received over UDP without one can leave over TCP. Stateless; thread-safe.
 */
public final class SipMessageWriter {

    private static final byte[] CRLF = { '\r', '\n' };

    private SipMessageWriter() {
    }

    /**
     * Changes made for one sending only (the Via of a forwarded request, the decremented
     * Max-Forwards), written on top of the message's edits without being kept in them.
     *
     * @param prepend headers written before all others
     * @param replace new values for received headers, overriding the edit list
     */
    public record Extra(List<SipHeader> prepend, java.util.Map<SipHeader, String> replace) {
        public static final Extra NONE = new Extra(List.of(), java.util.Map.of());
    }

    /** The message's bytes with its edits applied. */
    public static byte[] write(SipMessage message) {
        return write(message, Extra.NONE);
    }

    /** The message's bytes with its edits and {@code extra} applied. */
    public static byte[] write(SipMessage message, Extra extra) {
        SipMessageImpl m = (SipMessageImpl) message;
        SipEditsImpl e = m.editsOrNull();
        if (e != null && e.isEmpty()) {
            e = null;
        }
        byte[] body = e != null && e.body != null ? e.body : null;
        int bodyLength = body != null ? body.length : m.bodyLength;
        Out out = Out.scratch(m.buf.length + 256);

        if (e != null && (e.requestUri != null || e.status != 0)) {
            if (m instanceof SipRequest r) {
                out.ascii(r.method()).ascii(" ").utf8(e.requestUri.toString()).ascii(" SIP/2.0");
            } else {
                String reason = e.reason != null ? e.reason : SipStatus.reason(e.status);
                out.ascii("SIP/2.0 ").ascii(Integer.toString(e.status)).ascii(" ").utf8(reason);
            }
        } else {
            out.utf8(m.startLine());
        }
        out.bytes(CRLF);

        writeAll(out, extra.prepend(), Map.of());
        if (e != null) {
            writeAll(out, e.first, extra.replace());
        }
        boolean wroteLength = false;
        boolean wroteType = false;
        List<SipHeader> headers = m.headers;
        for (int i = 0; i < headers.size(); i++) {
            SipHeader h = headers.get(i);
            if (e != null) {
                List<SipHeader> b = e.before.get(h);
                if (b != null) {
                    writeAll(out, b, extra.replace());
                }
                if (e.removed.contains(h)) {
                    continue;
                }
            }
            if (h.name() == SipHeaderNames.CONTENT_LENGTH) {
                if (!wroteLength) {
                    out.ascii("Content-Length: ").ascii(Integer.toString(bodyLength)).bytes(CRLF);
                    wroteLength = true;
                }
                continue;
            }
            if (h.name() == SipHeaderNames.CONTENT_TYPE && e != null && e.contentType != null) {
                if (!wroteType) {
                    out.ascii("Content-Type: ").utf8(e.contentType).bytes(CRLF);
                    wroteType = true;
                }
                continue;
            }
            String newValue = extra.replace().isEmpty() ? null : extra.replace().get(h);
            if (newValue == null && e != null) {
                newValue = e.replaced.get(h);
            }
            if (newValue != null) {
                out.utf8(h.name()).ascii(": ").utf8(newValue).bytes(CRLF);
            } else {
                out.raw(m.buf, m.lineStart[i], m.lineEnd[i]).bytes(CRLF);
            }
        }
        if (e != null) {
            writeAll(out, e.last, extra.replace());
            if (e.contentType != null && !wroteType) {
                out.ascii("Content-Type: ").utf8(e.contentType).bytes(CRLF);
            }
        }
        if (!wroteLength) {
            out.ascii("Content-Length: ").ascii(Integer.toString(bodyLength)).bytes(CRLF);
        }
        out.bytes(CRLF);
        if (body != null) {
            out.bytes(body);
        } else {
            out.raw(m.buf, m.bodyStart, m.bodyStart + m.bodyLength);
        }
        return out.toArray();
    }

    /** The headers an edit added before all others ({@code insert_hf}, {@code record_route}), newest first. */
    public static List<SipHeader> addedFirst(SipMessage m) {
        return m.edits() instanceof SipEditsImpl e ? java.util.Collections.unmodifiableList(e.first) : List.of();
    }

    /** Writes added headers; {@code replace} may give one of them another value for this write only. */
    private static void writeAll(Out out, List<SipHeader> headers, Map<SipHeader, String> replace) {
        for (SipHeader h : headers) {
            String v = replace.isEmpty() ? null : replace.get(h);
            out.utf8(h.name()).ascii(": ").utf8(v != null ? v : h.value()).bytes(CRLF);
        }
    }

    /**
     * A growable byte array; avoids ByteArrayOutputStream's synchronisation. Each thread writes
     * into its own scratch array, so that a message costs one allocation: its exact bytes.
     */
    static final class Out {
        private static final int KEEP = 64 * 1024;
        private static final ThreadLocal<Out> SCRATCH = ThreadLocal.withInitial(() -> new Out(4096));

        private byte[] a;
        private int n;

        Out(int capacity) {
            a = new byte[Math.max(capacity, 64)];
        }

        /** This thread's scratch array, emptied, with room for {@code capacity} bytes. */
        static Out scratch(int capacity) {
            Out out = SCRATCH.get();
            out.n = 0;
            if (out.a.length > KEEP) {
                out.a = new byte[4096]; // a huge message once does not pin its size for the thread's life
            }
            out.ensure(capacity);
            return out;
        }

        private void ensure(int more) {
            if (n + more > a.length) {
                a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, n + more));
            }
        }

        Out bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, a, n, b.length);
            n += b.length;
            return this;
        }

        Out raw(byte[] src, int from, int to) {
            int len = to - from;
            ensure(len);
            System.arraycopy(src, from, a, n, len);
            n += len;
            return this;
        }

        Out ascii(String s) {
            int len = s.length();
            ensure(len);
            for (int i = 0; i < len; i++) {
                a[n++] = (byte) s.charAt(i);
            }
            return this;
        }

        Out utf8(String s) {
            return bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(a, n);
        }
    }
}
