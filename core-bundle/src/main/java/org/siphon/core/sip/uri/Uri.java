package org.siphon.core.sip.uri;

/**
 * A URI found in a SIP message: {@link SipUri} for {@code sip:} and {@code sips:}, {@link TelUri}
 * for {@code tel:}, {@link OpaqueUri} for any other scheme (kept as written). Immutable.
 */
public sealed interface Uri permits SipUri, TelUri, OpaqueUri {

    /** The scheme in lower case: {@code sip}, {@code sips}, {@code tel}, ... */
    String scheme();

    /** The URI as it is to be written in a message. */
    @Override
    String toString();
}
