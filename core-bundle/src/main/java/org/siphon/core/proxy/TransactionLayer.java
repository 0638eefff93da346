package org.siphon.core.proxy;

import org.osgi.annotation.versioning.ConsumerType;
import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;

/**
 * The stateful layer (tm) as the core sees it. Published by tm; the core uses the
 * highest-ranked one. Called on the SIP worker of the message's Call-ID.
 */
@ConsumerType
public interface TransactionLayer {

    /**
     * Before the routing script: takes requests that belong to a transaction and must not be
     * routed (the ACK of a negative final reply, RFC 3261 §17.2.1).
     *
     * @return true when the request was taken
     */
    boolean request(SipRequest request);

    /**
     * After the core {@code reply_route}: a response that matches a client transaction goes to it.
     *
     * @return true when taken; false to let the core forward it statelessly
     */
    boolean response(SipResponse response);

    /**
     * {@code send_reply} and friends: replies statefully when the context's request has a
     * transaction.
     *
     * @return false when there is no transaction (the caller replies statelessly)
     */
    boolean reply(ActionContext ctx, int status, String reason);
}
