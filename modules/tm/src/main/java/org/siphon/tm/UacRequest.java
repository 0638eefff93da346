package org.siphon.tm;

import java.util.List;

import org.siphon.core.sip.SipHeader;

/**
 * A request for {@link TmApi#send}. From, To, Call-ID and CSeq are taken from {@code headers}
 * when present there, else made up (From gets a tag; Call-ID and CSeq are generated).
 *
 * @param method      e.g. {@code OPTIONS}, {@code MESSAGE}, {@code NOTIFY}
 * @param requestUri  the Request-URI
 * @param nextHop     a SIP URI to send to instead of the Request-URI (outbound proxy), or null
 * @param from        the From value when not among the headers, or null for {@code sip:siphon@<host>}
 * @param to          the To value when not among the headers, or null for the Request-URI
 * @param headers     further headers (Route, Contact, Event …)
 * @param contentType the body's type, or null without body
 * @param body        the body, or null
 */
public record UacRequest(String method, String requestUri, String nextHop, String from, String to,
        List<SipHeader> headers, String contentType, byte[] body) {

    public UacRequest {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A request with no body and no extra headers. */
    public static UacRequest of(String method, String requestUri) {
        return new UacRequest(method, requestUri, null, null, null, List.of(), null, null);
    }
}
