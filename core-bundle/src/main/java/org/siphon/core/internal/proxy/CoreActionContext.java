package org.siphon.core.internal.proxy;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.uri.Uri;

/** The context of one message being routed. Used by one thread at a time. */
public class CoreActionContext implements ActionContext {

    private SipMessage message;
    private final RouteType routeType;
    private Uri destination;
    private boolean forceRport;
    private String sendSocket;
    private boolean forwardNoConnect;
    private java.util.List<org.siphon.core.function.Branch> branches;
    private java.util.Map<String, Object> attributes;

    public CoreActionContext(SipMessage message, RouteType routeType) {
        this.message = message;
        this.routeType = routeType;
    }

    @Override public RouteType routeType() { return routeType; }
    @Override public SipMessage message() { return message; }

    /** {@code msg_apply_changes()}: from now on the message is the one with the edits applied. */
    public void applyChanges() {
        if (!message.edits().isEmpty()) {
            message = message.edits().apply();
        }
    }
    @Override public Uri destination() { return destination; }
    @Override public void setDestination(Uri destination) { this.destination = destination; }

    @Override
    public Object attribute(String key) {
        return attributes == null ? null : attributes.get(key);
    }

    @Override
    public void attribute(String key, Object value) {
        if (attributes == null) {
            attributes = new java.util.HashMap<>();
        }
        attributes.put(key, value);
    }

    /**
     * Takes the sending options ({@code force_rport}, {@code force_send_socket},
     * {@code set_forward_no_connect}) and a copy of the attributes of {@code from}: a later run of
     * the same message's routes (tm's branch and failure routes) starts where the request route
     * left them.
     */
    public void inherit(CoreActionContext from) {
        forceRport = from.forceRport;
        sendSocket = from.sendSocket;
        forwardNoConnect = from.forwardNoConnect;
        attributes = from.attributes == null ? null : new java.util.HashMap<>(from.attributes);
    }

    /** Whether {@code force_rport()} asked to answer and forward as if the client had put rport in its Via. */
    public boolean forceRport() { return forceRport; }

    public void setForceRport(boolean force) { this.forceRport = force; }

    /** {@code force_send_socket(proto:addr:port)}: the socket to send from, or null for the usual choice. */
    public String sendSocket() { return sendSocket; }

    public void setSendSocket(String socket) { this.sendSocket = socket; }

    /** {@code set_forward_no_connect()}: forward only over an existing TCP connection. */
    public boolean forwardNoConnect() { return forwardNoConnect; }

    public void setForwardNoConnect(boolean noConnect) { this.forwardNoConnect = noConnect; }

    /** The branches added by {@code append_branch} or a module, for tm to fork to. */
    @Override
    public java.util.List<org.siphon.core.function.Branch> branches() {
        if (branches == null) {
            branches = new java.util.ArrayList<>(2);
        }
        return branches;
    }
}
