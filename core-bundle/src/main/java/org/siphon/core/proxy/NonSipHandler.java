package org.siphon.core.proxy;

import org.osgi.annotation.versioning.ConsumerType;
import org.siphon.core.sip.SipRequest;

/**
 * Takes the requests that arrive on a SIP stream listener but are not SIP: HTTP/1.0 and 1.1
 * ({@link SipRequest#isHttp()}), Kamailio's non-SIP messages, which its xhttp module routes in
 * {@code event_route[xhttp:request]}. A module registers it as an OSGi service; the core offers
 * each such request to the newest handler first, on a SIP worker. A request no handler takes, or
 * one that arrives when there is none, is answered {@code 404 Not Found} (a malformed or too
 * large one 400, 413 or 431) and its connection closed. The answer goes back with
 * {@link SipCore#sendBack}.
 */
@ConsumerType
public interface NonSipHandler {

    /**
     * Handles one non-SIP request. Nothing it throws reaches the connection: the core logs it and
     * answers 500.
     *
     * @return true when it took the request (answered it, or will), false to leave it to the next handler
     */
    boolean handle(SipRequest request);
}
