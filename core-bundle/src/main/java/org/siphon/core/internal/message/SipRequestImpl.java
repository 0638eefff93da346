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

    @Override
    public String toString() {
        return startLine + " (Call-ID " + callId + ")";
    }
}
