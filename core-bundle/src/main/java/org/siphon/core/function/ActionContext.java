package org.siphon.core.function;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a script function sees when it runs: the routing block it was called from and, as the
 * message layer and script engine grow, the message being routed, its transaction and its
 * variables. Implemented by the core; one instance per message being processed, used by one
 * thread at a time.
 */
@ProviderType
public interface ActionContext {

    /** The kind of routing block being executed. */
    RouteType routeType();
}
