package org.siphon.tm;

import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.SipResponse;

/**
 * tm's UAC side for other modules (Kamailio's {@code t_uac} API): presence NOTIFYs, msilo
 * deliveries, dispatcher and NAT pings. An OSGi service of module tm. Thread-safe.
 */
@ProviderType
public interface TmApi {

    /**
     * Sends a request statefully (retransmitted over UDP, timed out by {@code fr_timer}).
     *
     * @return completes with the final reply; on timeout with a 408 and on transport failure with
     *         a 503, both made locally; exceptionally when the request cannot be built or routed
     */
    CompletableFuture<SipResponse> send(UacRequest request);

    /** Transactions in progress (proxied and local). */
    int transactionCount();
}
