package org.siphon.xhttp;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.function.ActionContext;

/**
 * Kamailio's xhttp API (its {@code xhttp_api_t}): the reply to the HTTP request that
 * {@code event_route[xhttp:request]} is routing. An OSGi service of module xhttp. Thread-safe.
 */
@ProviderType
public interface XhttpApi {

    /**
     * Answers the HTTP request of {@code ctx} with {@code code reason}, a body of type
     * {@code contentType} (none when empty) and {@code Content-Length}; the connection stays open
     * for the next request unless the client asked to close it (HTTP/1.0 without keep-alive, or
     * {@code Connection: close}).
     *
     * @return 1 when sent, -1 when the message is no HTTP request or was answered already
     */
    int reply(ActionContext ctx, int code, String reason, String contentType, String body);

    /**
     * Takes the HTTP request of {@code ctx} over: xhttp sends nothing for it (the websocket
     * module's handshake answers it on the connection itself).
     *
     * @return false when the message is no HTTP request or was answered already
     */
    boolean claim(ActionContext ctx);
}
