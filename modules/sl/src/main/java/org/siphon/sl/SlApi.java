package org.siphon.sl;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.SipRequest;

/**
 * Stateless replies for other modules (registrar, auth …), the counterpart of Kamailio's
 * {@code sl_api}: answers go back by the request's Via, with a To tag the server recognises on
 * the ACK. Thread-safe.
 */
@ProviderType
public interface SlApi {

    /** Answers {@code request} with {@code status} (100–699) and {@code reason} (the default phrase when null). */
    void sendReply(SipRequest request, int status, String reason);
}
