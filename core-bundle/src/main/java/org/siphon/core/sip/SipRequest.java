package org.siphon.core.sip;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.uri.Uri;

/** A SIP request. See {@link SipMessage}. */
@ProviderType
public interface SipRequest extends SipMessage {

    /** The method, e.g. {@code INVITE} (known methods are the {@link SipMethods} constants). */
    String method();

    /** The Request-URI as received. */
    Uri requestUri();

    /** The protocol version of SIP requests. */
    String SIP_VERSION = "SIP/2.0";

    /**
     * The version on the request line: {@code SIP/2.0}, or {@code HTTP/1.1} / {@code HTTP/1.0} for an
     * HTTP request that arrived on a SIP stream listener (Kamailio's non-SIP message, which the
     * core hands to a {@link org.siphon.core.proxy.NonSipHandler}; its {@link #requestUri()} is null).
     */
    default String version() {
        return SIP_VERSION;
    }

    /** Whether this is an HTTP request (see {@link #version()}). */
    default boolean isHttp() {
        return version().startsWith("HTTP/");
    }

    /** The request target as written: the Request-URI for SIP, the path and query for HTTP (e.g. {@code /RPC}). */
    default String target() {
        Uri uri = requestUri();
        return uri == null ? null : uri.toString();
    }

    /** Whether the method is {@code method} (case-sensitive, as RFC 3261 says). */
    default boolean isMethod(String method) {
        return method().equals(method);
    }

    @Override
    default boolean isRequest() {
        return true;
    }
}
