package org.siphon.core.proxy;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.Uri;

/**
 * The core's SIP operations for the script's core functions and for modules: stateless
 * forwarding (RFC 3261 §16.11), stateless replies, sending, resolving and {@code myself}. An
 * OSGi service of the core. Thread-safe; calls may block on name resolution. The operations for
 * stateful proxying (since 1.1) are default methods only so that test doubles need not implement them.
 */
@ProviderType
public interface SipCore {

    /**
     * Forwards the context's request statelessly: to {@code target} if given, else to {@code $du},
     * else to the Request-URI. Adds the core's Via (with a branch derived from the request, so that
     * retransmissions and CANCELs take the same branch), {@code received}/{@code rport} on the
     * previous hop's Via (RFC 3581), decrements Max-Forwards. Answers 483 when Max-Forwards is 0,
     * 482 on a loop, 416 for a non-SIP target, 478 when the target does not resolve.
     *
     * @return 1 when sent, -1 when it could not be (and the request was answered)
     */
    int forward(ActionContext ctx, Uri target);

    /** Answers a request statelessly, with a To tag derived from the request for final replies. */
    void reply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders);

    /** Resolves a SIP URI to where a request for it goes (transport parameter, port, A/AAAA). */
    Destination resolve(Uri uri) throws UnresolvableException;

    /** Sends bytes through the core's socket for the destination's transport and address family. */
    CompletableFuture<Void> send(byte[] bytes, Destination destination);

    /** The Via value the core puts on a request it sends to {@code destination}. */
    String via(Destination destination, String branch);

    /** Whether host and port name this server (listen addresses, advertised addresses, aliases); port -1 for any. */
    boolean isMyself(String host, int port);

    /**
     * Makes {@code request} ready to leave towards {@code target} (or the context's {@code $du},
     * or its Request-URI) on one branch, as {@link #forward} would send it: the core's Via with
     * {@code branch}, received/rport on the previous hop's Via, Max-Forwards decremented unless
     * the script edited it, the socket chosen by {@code force_send_socket} or by the destination,
     * TCP instead of UDP above {@code udp_mtu}. Sends nothing.
     *
     * @throws UnresolvableException when the target is not a SIP URI, does not resolve or no socket can reach it
     */
    default Outgoing prepare(ActionContext ctx, SipRequest request, Uri target, String branch) throws UnresolvableException {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /** Sends a prepared request; completes exceptionally when the transport fails. */
    default CompletableFuture<Void> send(Outgoing outgoing) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /**
     * A reply the server generates itself (RFC 3261 §8.2.6): the request's Via, From, Call-ID and
     * CSeq, its To with {@code toTag} added when it has none and {@code status > 100}, Server,
     * {@code extraHeaders}, and the body with its Content-Type when {@code body} is not null.
     */
    default byte[] buildReply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders, String toTag,
            String contentType, byte[] body) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /** The To tag the server gives its own replies to {@code request}, stateless or not. */
    default String toTag(SipRequest request) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /** Sends reply bytes to where {@code request} came from (RFC 3261 §18.2.2, RFC 3581). */
    default CompletableFuture<Void> sendReply(SipRequest request, byte[] bytes) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /** A received response as relayed upstream: the server's own top Via removed, the edits applied. */
    default byte[] relayBytes(SipResponse response) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /** Runs {@code task} on the SIP worker that handles messages with Call-ID {@code key}. */
    default void execute(Object key, Runnable task) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }

    /** Runs {@code task} on the worker for {@code key} after {@code delayMillis}, from the core's shared timer. */
    default Cancellable schedule(Object key, long delayMillis, Runnable task) {
        throw new UnsupportedOperationException("not implemented by this SipCore");
    }
}
