package org.siphon.core.proxy;

import org.osgi.annotation.versioning.ConsumerType;
import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;

/**
 * The routing logic the core runs for every well-formed message: the routing script, published by
 * the script engine. The core uses the highest-ranked one; with none, requests are answered 500
 * "No Routing Script". Called on a SIP worker thread; may block briefly (database, DNS).
 */
@ConsumerType
public interface SipRouting {

    /** Runs {@code request_route}. A request the route neither forwards nor answers is dropped. */
    void request(SipRequest request, ActionContext ctx) throws Exception;

    /**
     * Runs the core {@code reply_route} for a response no transaction took.
     *
     * @return false to drop the response, true to forward it statelessly by its Via
     */
    default boolean response(SipResponse response, ActionContext ctx) throws Exception {
        return true;
    }
}
