package org.siphon.core.sip;

import org.osgi.annotation.versioning.ProviderType;

/** A SIP response. See {@link SipMessage}. */
@ProviderType
public interface SipResponse extends SipMessage {

    /** The status code, 100–699. */
    int status();

    /** The reason phrase as received (may be empty). */
    String reason();

    @Override
    default boolean isRequest() {
        return false;
    }
}
