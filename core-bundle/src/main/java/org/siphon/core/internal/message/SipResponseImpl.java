package org.siphon.core.internal.message;

import java.util.List;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipResponse;

/** A parsed response. */
public final class SipResponseImpl extends SipMessageImpl implements SipResponse {

    final int status;
    final String reason;
    private final String startLine;

    public SipResponseImpl(byte[] buf, String startLine, int status, String reason, List<SipHeader> headers,
            int[] lineStart, int[] lineEnd, int bodyStart, int bodyLength) {
        super(buf, headers, lineStart, lineEnd, bodyStart, bodyLength);
        this.startLine = startLine;
        this.status = status;
        this.reason = reason;
    }

    @Override public int status() { return status; }
    @Override public String reason() { return reason; }
    @Override public String startLine() { return startLine; }

    @Override
    public String toString() {
        return startLine + " (Call-ID " + callId + ")";
    }
}
