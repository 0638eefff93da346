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

    /** Whether the method is {@code method} (case-sensitive, as RFC 3261 says). */
    default boolean isMethod(String method) {
        return method().equals(method);
    }

    @Override
    default boolean isRequest() {
        return true;
    }
}
