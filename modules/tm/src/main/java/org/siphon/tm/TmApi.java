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

    /**
     * Sends a request inside a dialog (Kamailio's {@code t_request_within}) statefully, as
     * {@link #send}, for a caller that gives every header of the dialog: From and To with their tags,
     * Call-ID and CSeq among {@code headers} (and Route when the dialog has a route set). The request
     * is written once as it goes on the wire, without being built as text and parsed back: header
     * values are sent as given (one holding CR or LF fails the future). Requests that lack one of
     * these headers, INVITEs, and the first request to a target (whose socket and address the core
     * chooses, then remembered for a few seconds) take the {@link #send} path.
     *
     * @return as {@link #send}
     * @since 1.1
     */
    default CompletableFuture<SipResponse> requestWithin(UacRequest request) {
        return send(request);
    }

    /** Transactions in progress (proxied and local). */
    int transactionCount();
}
