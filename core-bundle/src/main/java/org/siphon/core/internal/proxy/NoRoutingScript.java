package org.siphon.core.internal.proxy;

/**
 * Thrown by the core's own {@code SipRouting} (the script engine) for a request that arrives
 * while no script is loaded: the core answers it {@code 500 No Routing Script}, in the one place
 * it answers requests when there is no routing at all.
 */
public final class NoRoutingScript extends Exception {

    private static final long serialVersionUID = 1L;

    public NoRoutingScript() {
        super("no routing script is loaded", null, false, false);
    }
}
