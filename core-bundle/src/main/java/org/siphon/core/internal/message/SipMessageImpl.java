package org.siphon.core.internal.message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.siphon.core.sip.SipEdits;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipParseError;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.CSeq;
import org.siphon.core.sip.header.MediaType;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.header.Via;

/**
 * The one implementation of {@link SipMessage}: the received bytes, the header fields with the
 * offsets of their raw lines (so the encoder copies untouched lines as they came), the routing
 * headers parsed on arrival by the parser, and the others parsed on first use. Typed accessors of
 * lazily parsed headers throw {@link IllegalArgumentException} when the header is malformed.
 */
public abstract sealed class SipMessageImpl implements SipMessage permits SipRequestImpl, SipResponseImpl {

    final byte[] buf;
    final List<SipHeader> headers;
    final int[] lineStart;
    final int[] lineEnd;
    final int bodyStart;
    int bodyLength;
    int contentLength = -1;
    SipParseError error;
    SipSource source;

    List<Via> vias = List.of();
    SipHeader fromHeader;
    SipHeader toHeader;
    String fromTag;
    String toTag;
    private NameAddress from;
    private NameAddress to;
    String callId;
    CSeq cseq;
    int maxForwards = -1;

    private List<NameAddress> routes;
    private List<NameAddress> recordRoutes;
    private List<NameAddress> contacts;
    private MediaType contentType;
    private boolean contentTypeParsed;
    private SipEditsImpl edits;
    private volatile boolean replyNoConnect;
    private volatile boolean replyClose;
    private volatile boolean forceRport;

    SipMessageImpl(byte[] buf, List<SipHeader> headers, int[] lineStart, int[] lineEnd, int bodyStart, int bodyLength) {
        this.buf = buf;
        this.headers = headers;
        this.lineStart = lineStart;
        this.lineEnd = lineEnd;
        this.bodyStart = bodyStart;
        this.bodyLength = bodyLength;
    }

    @Override public SipParseError error() { return error; }
    @Override public SipSource source() { return source; }
    @Override public List<SipHeader> headers() { return headers; }
    @Override public List<Via> vias() { return vias; }
    @Override public String fromTag() { return fromTag; }
    @Override public String toTag() { return toTag; }

    @Override
    public NameAddress from() {
        if (from == null && fromHeader != null) {
            from = NameAddress.parse(fromHeader.value());
        }
        return from;
    }

    @Override
    public NameAddress to() {
        if (to == null && toHeader != null) {
            to = NameAddress.parse(toHeader.value());
        }
        return to;
    }
    @Override public String callId() { return callId; }
    @Override public CSeq cseq() { return cseq; }
    @Override public int maxForwards() { return maxForwards; }

    /** {@code set_reply_no_connect()}: replies to this request only over an open connection. */
    /** {@code force_rport()} ran for this request: replies made here go to the source port, with rport filled in. */
    public boolean forceRport() {
        return forceRport;
    }

    public void forceRport(boolean value) {
        this.forceRport = value;
    }

    /** {@code set_reply_close()}: the connection closes once the reply is written. */
    public boolean replyClose() {
        return replyClose;
    }

    public void replyClose(boolean value) {
        this.replyClose = value;
    }

    public boolean replyNoConnect() {
        return replyNoConnect;
    }

    public void replyNoConnect(boolean value) {
        this.replyNoConnect = value;
    }

    /** Set by the transport that received the message. */
    public void source(SipSource source) {
        this.source = source;
    }

    /** Marks the message malformed with this fault, whatever was found before. */
    public void failWith(int status, String reason) {
        error = new SipParseError(status, reason);
    }

    /** Marks the message malformed, keeping the first fault found. */
    public void fail(int status, String reason) {
        if (error == null) {
            error = new SipParseError(status, reason);
        }
    }

    @Override
    public SipHeader header(String name) {
        return headerByCanonicalName(SipHeaderNames.canonical(name));
    }

    /** The first field named {@code canonical} (already canonical: no compact form, known names as the constants). */
    public SipHeader headerByCanonicalName(String canonical) {
        List<SipHeader> list = headers;
        boolean byIdentity = SipHeaderNames.isKnownConstant(canonical);
        int length = canonical.length();
        for (int i = 0, n = list.size(); i < n; i++) {
            SipHeader h = list.get(i);
            String name = h.name();
            if (name == canonical || !byIdentity && name.length() == length && name.equalsIgnoreCase(canonical)) {
                return h;
            }
        }
        return null;
    }

    @Override
    public List<SipHeader> headers(String name) {
        String n = SipHeaderNames.canonical(name);
        boolean byIdentity = SipHeaderNames.isKnownConstant(n);
        List<SipHeader> list = new ArrayList<>(2);
        List<SipHeader> all = headers;
        for (int i = 0, size = all.size(); i < size; i++) {
            SipHeader h = all.get(i);
            String hn = h.name();
            if (hn == n || !byIdentity && hn.equalsIgnoreCase(n)) {
                list.add(h);
            }
        }
        return list;
    }

    @Override
    public List<NameAddress> routes() {
        if (routes == null) {
            routes = addresses(SipHeaderNames.ROUTE);
        }
        return routes;
    }

    @Override
    public List<NameAddress> recordRoutes() {
        if (recordRoutes == null) {
            recordRoutes = addresses(SipHeaderNames.RECORD_ROUTE);
        }
        return recordRoutes;
    }

    @Override
    public List<NameAddress> contacts() {
        if (contacts == null) {
            contacts = addresses(SipHeaderNames.CONTACT);
        }
        return contacts;
    }

    private List<NameAddress> addresses(String name) {
        List<NameAddress> list = new ArrayList<>();
        for (SipHeader h : headers(name)) {
            list.addAll(NameAddress.parseAll(h.value()));
        }
        return List.copyOf(list);
    }

    @Override
    public long expires() {
        String v = headerValue(SipHeaderNames.EXPIRES);
        if (v == null) {
            return -1;
        }
        if (v.isEmpty() || v.length() > 10 || !digits(v)) {
            throw new IllegalArgumentException("bad Expires value \"" + v + "\"");
        }
        return Long.parseLong(v);
    }

    private static boolean digits(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public MediaType contentType() {
        if (!contentTypeParsed) {
            String v = headerValue(SipHeaderNames.CONTENT_TYPE);
            contentType = v == null ? null : MediaType.parse(v);
            contentTypeParsed = true;
        }
        return contentType;
    }

    @Override
    public byte[] body() {
        return Arrays.copyOfRange(buf, bodyStart, bodyStart + bodyLength);
    }

    /** Sets the body's length once the parser knows it. */
    SipMessageImpl withBody(int length) {
        this.bodyLength = length;
        return this;
    }

    @Override
    public byte[] bytes() {
        return Arrays.copyOf(buf, bodyStart + bodyLength);
    }

    @Override
    public SipEdits edits() {
        if (edits == null) {
            edits = new SipEditsImpl(this);
        }
        return edits;
    }

    /** The edits, or null when none were ever asked for (nothing to apply). */
    SipEditsImpl editsOrNull() {
        return edits;
    }

    /** The start line as received (without CRLF). */
    public abstract String startLine();
}
