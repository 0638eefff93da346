package org.siphon.core.internal.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.internal.parse.AddressScan;
import org.siphon.core.sip.header.HeaderText;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipStatus;
import org.siphon.core.sip.header.CSeq;
import org.siphon.core.sip.header.Via;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Parses one complete message (RFC 3261 §7, §18.3, §25): start line, header fields (any case,
 * compact forms, folded lines), body. The headers routing needs — Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Content-Length — are parsed and checked at once; the others when first asked for.
 * Never throws for bad input: the message comes back marked with {@link SipMessageImpl#error()}
 * (400 naming the fault, 505 for another SIP version, 513 when too large), holding whatever could be
 * read so that a request can still be answered. Stateless; thread-safe.
 */
public final class SipMessageParser {

    /** A parser with {@link SipParserConfig#DEFAULTS}. */
    public static final SipMessageParser DEFAULT = new SipMessageParser(SipParserConfig.DEFAULTS);

    private final SipParserConfig config;

    public SipMessageParser(SipParserConfig config) {
        this.config = config;
    }

    /** Parses {@code bytes}; see {@link #parse(byte[], int, int, boolean)}. */
    public SipMessageImpl parse(byte[] bytes, boolean datagram) {
        return parse(bytes, 0, bytes.length, datagram);
    }

    /**
     * Parses the message in {@code buf[off, off+len)}.
     *
     * @param datagram true for UDP: the datagram's end ends the message, Content-Length may be
     *                 absent (the body is the rest), bytes after Content-Length are dropped (RFC 3261
     *                 §18.3); false for a stream, where the framer already cut the message
     * @return the message, or null when the input holds only CRLFs (a keep-alive)
     */
    public SipMessageImpl parse(byte[] buf, int off, int len, boolean datagram) {
        int end = off + len;
        int p = off;
        while (p < end && (buf[p] == '\r' || buf[p] == '\n')) {
            p++;
        }
        if (p == end) {
            return null;
        }
        int eol = lineEnd(buf, p, end);
        int startLineEnd = trimCr(buf, p, eol);
        String startLine = new String(buf, p, startLineEnd - p, StandardCharsets.UTF_8);
        List<SipHeader> headers = new ArrayList<>(16);
        int[] starts = new int[16];
        int[] ends = new int[16];
        String fault = null;
        int faultStatus = SipStatus.BAD_REQUEST;
        if (startLineEnd - p > config.maxLineLength()) {
            fault = "Start Line Too Long";
        }
        if (len > config.maxMessageSize()) {
            fault = "Message Too Large";
            faultStatus = SipStatus.MESSAGE_TOO_LARGE;
        }
        p = eol < end ? eol + 1 : end;
        int bodyStart = -1;
        while (p < end) {
            if (buf[p] == '\n') {
                bodyStart = p + 1;
                break;
            }
            if (buf[p] == '\r' && p + 1 < end && buf[p + 1] == '\n') {
                bodyStart = p + 2;
                break;
            }
            int lineStart = p;
            int e = lineEnd(buf, p, end);
            boolean folded = false;
            while (e + 1 < end && (buf[e + 1] == ' ' || buf[e + 1] == '\t')) {
                folded = true;
                e = lineEnd(buf, e + 1, end);
            }
            int contentEnd = trimCr(buf, lineStart, e);
            p = e < end ? e + 1 : end;
            if (contentEnd - lineStart > config.maxLineLength()) {
                fault = fault != null ? fault : "Header Too Long";
                continue;
            }
            int nameEnd = lineStart;
            while (nameEnd < contentEnd && TOKEN[buf[nameEnd] & 0xff]) {
                nameEnd++;
            }
            int colon = nameEnd;
            while (colon < contentEnd && (buf[colon] == ' ' || buf[colon] == '\t')) {
                colon++;
            }
            if (nameEnd == lineStart || colon >= contentEnd || buf[colon] != ':') {
                fault = fault != null ? fault : "Bad Header Line";
                continue;
            }
            String name = SipHeaderNames.canonical(buf, lineStart, nameEnd);
            if (headers.size() >= config.maxHeaders()) {
                fault = fault != null ? fault : "Too Many Headers";
                break;
            }
            int vs = colon + 1;
            while (vs < contentEnd && (buf[vs] == ' ' || buf[vs] == '\t' || buf[vs] == '\r' || buf[vs] == '\n')) {
                vs++;
            }
            int ve = contentEnd;
            while (ve > vs && (buf[ve - 1] == ' ' || buf[ve - 1] == '\t' || buf[ve - 1] == '\r' || buf[ve - 1] == '\n')) {
                ve--;
            }
            if (name == null) {
                name = new String(buf, lineStart, nameEnd - lineStart, StandardCharsets.ISO_8859_1);
            }
            if (headers.size() == starts.length) {
                starts = java.util.Arrays.copyOf(starts, starts.length * 2);
                ends = java.util.Arrays.copyOf(ends, ends.length * 2);
            }
            starts[headers.size()] = lineStart;
            ends[headers.size()] = contentEnd;
            headers.add(SipHeader.slice(name, buf, vs, ve, folded));
        }
        boolean blankLine = bodyStart >= 0;
        if (!blankLine) {
            bodyStart = end;
        }
        SipMessageImpl msg = startLine.regionMatches(true, 0, "SIP/", 0, 4)
                ? response(buf, startLine, headers, starts, ends, bodyStart)
                : request(buf, startLine, headers, starts, ends, bodyStart);
        if (fault != null) {
            msg.fail(faultStatus, fault);
        }
        if (!blankLine && !datagram) {
            msg.fail(SipStatus.BAD_REQUEST, "Missing Blank Line After Headers");
        }
        new RoutingHeaders(msg).parse();
        int available = end - bodyStart;
        int bodyLength = available;
        if (msg.contentLength >= 0) {
            if (msg.contentLength > available) {
                msg.fail(SipStatus.BAD_REQUEST, "Content-Length Larger Than Body");
            } else {
                bodyLength = msg.contentLength;
            }
        } else if (!datagram && available > 0) {
            msg.fail(SipStatus.BAD_REQUEST, "Missing Content-Length");
        }
        return msg.withBody(bodyLength);
    }

    private SipMessageImpl request(byte[] buf, String line, List<SipHeader> headers, int[] starts, int[] ends,
            int bodyStart) {
        String method = null;
        Uri uri = null;
        String fault = null;
        int status = SipStatus.BAD_REQUEST;
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0 || sp2 == sp1 + 1) {
            fault = "Bad Request Line";
        } else {
            String m = line.substring(0, sp1);
            String version = line.substring(sp2 + 1);
            if (!HeaderText.isToken(m)) {
                fault = "Bad Method";
            } else if (version.equals("HTTP/1.1") || version.equals("HTTP/1.0")) {
                // a non-SIP message (Kamailio's term): HTTP on a SIP stream listener, for xhttp
                method = SipMethods.intern(m);
                SipRequestImpl r = new SipRequestImpl(buf, line, method, null, java.util.Collections.unmodifiableList(headers),
                        starts, ends, bodyStart, 0);
                r.http(version, line.substring(sp1 + 1, sp2));
                return r;
            } else if (!version.equalsIgnoreCase("SIP/2.0")) {
                if (version.regionMatches(true, 0, "SIP/", 0, 4)) {
                    fault = "Version Not Supported";
                    status = SipStatus.VERSION_NOT_SUPPORTED;
                } else {
                    fault = "Bad Request Line";
                }
                method = SipMethods.intern(m);
            } else {
                method = SipMethods.intern(m);
                try {
                    uri = UriParser.parse(line.substring(sp1 + 1, sp2));
                    if (uri instanceof SipUri u && u.headers() != null) {
                        fault = "Bad Request-URI";
                    }
                } catch (IllegalArgumentException e) {
                    fault = "Bad Request-URI";
                }
            }
        }
        SipRequestImpl r = new SipRequestImpl(buf, line, method, uri, java.util.Collections.unmodifiableList(headers), starts, ends, bodyStart, 0);
        if (fault != null) {
            r.fail(status, fault);
        }
        return r;
    }

    private SipMessageImpl response(byte[] buf, String line, List<SipHeader> headers, int[] starts, int[] ends,
            int bodyStart) {
        int status = 0;
        String reason = "";
        boolean ok = line.length() >= 11 && line.regionMatches(true, 0, "SIP/2.0 ", 0, 8);
        if (ok) {
            String code = line.substring(8, 11);
            ok = isDigit(code.charAt(0)) && isDigit(code.charAt(1)) && isDigit(code.charAt(2))
                    && (line.length() == 11 || line.charAt(11) == ' ');
            if (ok) {
                status = Integer.parseInt(code);
                ok = status >= 100 && status <= 699;
                reason = line.length() > 12 ? line.substring(12) : "";
            }
        }
        SipResponseImpl r = new SipResponseImpl(buf, line, status, reason, java.util.Collections.unmodifiableList(headers), starts, ends,
                bodyStart, 0);
        if (!ok) {
            r.fail(SipStatus.BAD_REQUEST, "Bad Status Line");
        }
        return r;
    }

    /** Token characters (RFC 3261 §25.1) by byte value. */
    private static final boolean[] TOKEN = new boolean[256];

    static {
        for (int c = 0; c < 128; c++) {
            TOKEN[c] = HeaderText.isTokenChar((char) c);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long LF_X8 = 0x0a0a0a0a0a0a0a0aL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /** Index of the next LF at or after {@code from}, or {@code end}: eight bytes at a time (SWAR). */
    static int lineEnd(byte[] buf, int from, int end) {
        int i = from;
        while (i + 8 <= end) {
            long x = (long) LONGS.get(buf, i) ^ LF_X8;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
            i += 8;
        }
        for (; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return end;
    }

    private static int trimCr(byte[] buf, int start, int eol) {
        return eol > start && buf[eol - 1] == '\r' ? eol - 1 : eol;
    }

    /** Parses and checks the headers every message needs for routing, marking the first fault. */
    private static final class RoutingHeaders {
        private final SipMessageImpl m;

        RoutingHeaders(SipMessageImpl m) {
            this.m = m;
        }

        void parse() {
            List<Via> vias = new ArrayList<>(2);
            boolean sawLength = false;
            for (SipHeader h : m.headers) {
                String n = h.name();
                try {
                    if (n == SipHeaderNames.VIA) {
                        vias.addAll(Via.parseAll(h.value()));
                    } else if (n == SipHeaderNames.FROM) {
                        m.fromHeader = single(m.fromHeader, h, "From");
                        m.fromTag = wildcardChecked(h);
                    } else if (n == SipHeaderNames.TO) {
                        m.toHeader = single(m.toHeader, h, "To");
                        m.toTag = wildcardChecked(h);
                    } else if (n == SipHeaderNames.CALL_ID) {
                        String v = h.value();
                        if (v.isEmpty() || v.indexOf(' ') >= 0 || v.indexOf('\t') >= 0) {
                            throw new IllegalArgumentException("bad Call-ID");
                        }
                        m.callId = single(m.callId, v, "Call-ID");
                    } else if (n == SipHeaderNames.CSEQ) {
                        m.cseq = single(m.cseq, CSeq.parse(h.value()), "CSeq");
                    } else if (n == SipHeaderNames.MAX_FORWARDS) {
                        if (m.maxForwards >= 0) {
                            throw new Duplicate("Max-Forwards");
                        }
                        m.maxForwards = number(h.value(), 255, "Max-Forwards");
                    } else if (n == SipHeaderNames.CONTENT_LENGTH) {
                        int cl = number(h.value(), Integer.MAX_VALUE, "Content-Length");
                        if (sawLength && cl != m.contentLength) {
                            throw new Duplicate("Content-Length");
                        }
                        sawLength = true;
                        m.contentLength = cl;
                    }
                } catch (Duplicate d) {
                    m.fail(SipStatus.BAD_REQUEST, "Multiple " + d.getMessage() + " Headers");
                } catch (IllegalArgumentException e) {
                    m.fail(SipStatus.BAD_REQUEST, "Bad " + n + " Header");
                }
            }
            m.vias = java.util.Collections.unmodifiableList(vias);
            if (m instanceof SipRequestImpl http && http.isHttp()) {
                return; // HTTP has none of SIP's mandatory headers
            }
            require(vias.isEmpty() ? null : vias, "Via");
            require(m.fromHeader, "From");
            require(m.toHeader, "To");
            require(m.callId, "Call-ID");
            require(m.cseq, "CSeq");
            if (m instanceof SipRequestImpl r && r.method != null && m.cseq != null && !r.method.equals(m.cseq.method())) {
                m.fail(SipStatus.BAD_REQUEST, "CSeq Method Does Not Match Request");
            }
        }

        /** From and To may not be the Contact wildcard; otherwise the quick scan checks them. */
        private static String wildcardChecked(SipHeader h) {
            if (h.value().equals("*")) {
                throw new IllegalArgumentException("wildcard");
            }
            return AddressScan.tag(h.value());
        }

        private void require(Object value, String name) {
            if (value == null) {
                m.fail(SipStatus.BAD_REQUEST, "Missing " + name + " Header");
            }
        }

        private static <T> T single(T old, T value, String name) {
            if (old != null) {
                throw new Duplicate(name);
            }
            return value;
        }

        private static int number(String v, int max, String name) {
            if (v.isEmpty() || v.length() > 10) {
                throw new IllegalArgumentException(name);
            }
            long n = 0;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException(name);
                }
                n = n * 10 + (c - '0');
            }
            if (n > max) {
                throw new IllegalArgumentException(name);
            }
            return (int) n;
        }
    }

    /** A header that may appear once appeared twice. */
    private static final class Duplicate extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Duplicate(String name) {
            super(name, null, false, false);
        }
    }
}
