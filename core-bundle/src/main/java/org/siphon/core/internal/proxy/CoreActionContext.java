package org.siphon.core.internal.proxy;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.uri.Uri;

/** The context of one message being routed. Used by one thread at a time. */
public class CoreActionContext implements ActionContext {

    private final SipMessage message;
    private final RouteType routeType;
    private Uri destination;
    private boolean forceRport;

    public CoreActionContext(SipMessage message, RouteType routeType) {
        this.message = message;
        this.routeType = routeType;
    }

    @Override public RouteType routeType() { return routeType; }
    @Override public SipMessage message() { return message; }
    @Override public Uri destination() { return destination; }
    @Override public void setDestination(Uri destination) { this.destination = destination; }

    /** Whether {@code force_rport()} asked to answer and forward as if the client had put rport in its Via. */
    public boolean forceRport() { return forceRport; }

    public void setForceRport(boolean force) { this.forceRport = force; }
}
