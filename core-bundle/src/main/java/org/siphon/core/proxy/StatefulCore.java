package org.siphon.core.proxy;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;

/**
 * The core's operations for a stateful layer (tm) and for modules that build their own replies:
 * requests prepared for one branch and sent, replies built and sent back, relayed responses,
 * and work run on the SIP worker of a Call-ID, now or from the core's shared timer. An OSGi
 * service of the core, beside {@link SipCore}. Thread-safe.
 */
@ProviderType
public interface StatefulCore {

    /**
     * Makes {@code request} ready to leave towards {@code target} (or the context's {@code $du},
     * or its Request-URI) on one branch, as {@link SipCore#forward} would send it: the core's Via with
     * {@code branch}, received/rport on the previous hop's Via, Max-Forwards decremented unless
     * the script edited it, the socket chosen by {@code force_send_socket} or by the destination,
     * TCP instead of UDP above {@code udp_mtu}. Sends nothing.
     *
     * @throws UnresolvableException when the target is not a SIP URI, does not resolve or no socket can reach it
     */
    Outgoing prepare(ActionContext ctx, SipRequest request, Uri target, String branch) throws UnresolvableException;

    /** Sends a prepared request; completes exceptionally when the transport fails. */
    CompletableFuture<Void> send(Outgoing outgoing);

    /**
     * A reply the server generates itself (RFC 3261 §8.2.6): the request's Via, From, Call-ID and
     * CSeq, its To with {@code toTag} added when it has none and {@code status > 100}, Server,
     * {@code extraHeaders}, and the body with its Content-Type when {@code body} is not null.
     */
    byte[] buildReply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders, String toTag,
            String contentType, byte[] body);

    /** The To tag the server gives its own replies to {@code request}, stateless or not. */
    String toTag(SipRequest request);

    /** Sends reply bytes to where {@code request} came from (RFC 3261 §18.2.2, RFC 3581). */
    CompletableFuture<Void> sendReply(SipRequest request, byte[] bytes);

    /**
     * Where replies to {@code request} go, worked out now, as {@link #sendReply} would: for a holder
     * that keeps answering (retransmitting a final reply) after it let the request go.
     */
    default ReplySender replySender(SipRequest request) {
        return bytes -> sendReply(request, bytes);
    }

    /** Sends reply bytes to one fixed place; see {@link StatefulCore#replySender}. */
    @FunctionalInterface
    interface ReplySender {
        CompletableFuture<Void> send(byte[] bytes);
    }

    /** A received response as relayed upstream: the server's own top Via removed, the edits applied. */
    byte[] relayBytes(SipResponse response);

    /** Runs {@code task} on the SIP worker that handles messages with Call-ID {@code key}. */
    void execute(Object key, Runnable task);

    /** Runs {@code task} on the worker for {@code key} after {@code delayMillis}, from the core's shared timer. */
    Cancellable schedule(Object key, long delayMillis, Runnable task);

    /** The {@code host:port} this server advertises (as in its Via) for the socket {@code source} came in on, or null. */
    String advertised(SipSource source);
}
