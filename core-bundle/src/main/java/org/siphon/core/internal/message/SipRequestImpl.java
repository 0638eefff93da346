package org.siphon.core.internal.message;

import java.util.List;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;

/** A parsed request. {@link #method()} and {@link #requestUri()} are null when the request line was malformed. */
public final class SipRequestImpl extends SipMessageImpl implements SipRequest {

    final String method;
    final Uri requestUri;
    private final String startLine;
    private String httpVersion;
    private String httpTarget;

    public SipRequestImpl(byte[] buf, String startLine, String method, Uri requestUri, List<SipHeader> headers,
            int[] lineStart, int[] lineEnd, int bodyStart, int bodyLength) {
        super(buf, headers, lineStart, lineEnd, bodyStart, bodyLength);
        this.startLine = startLine;
        this.method = method;
        this.requestUri = requestUri;
    }

    @Override public String method() { return method; }
    @Override public Uri requestUri() { return requestUri; }
    @Override public String startLine() { return startLine; }
    @Override public String version() { return httpVersion == null ? SIP_VERSION : httpVersion; }
    @Override public String target() { return httpTarget != null ? httpTarget : SipRequest.super.target(); }

    /** Marks an HTTP/1.x request: its version and request target (path and query) as written. */
    void http(String version, String target) {
        this.httpVersion = version;
        this.httpTarget = target;
    }

    @Override
    public String toString() {
        return startLine + " (Call-ID " + callId + ")";
    }
}
