package org.siphon.core.function;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.uri.Uri;

/**
 * What a script function sees when it runs: the routing block it was called from and, as the
 * message layer and script engine grow, the message being routed, its transaction and its
 * variables. Implemented by the core; one instance per message being processed, used by one
 * thread at a time.
 */
@ProviderType
public interface ActionContext {

    /**
     * Attribute with the headers ({@code List<SipHeader>}) to add to the next reply the server
     * makes for this request (textops' {@code append_to_reply}); sl and tm honour it.
     */
    String REPLY_HEADERS = "core.reply_headers";

    /**
     * Attribute with the body of the next local reply, a {@code String[] {contentType, body}}
     * (textops' {@code set_reply_body}); sl and tm honour it.
     */
    String REPLY_BODY = "core.reply_body";

    /**
     * Attribute set ({@code Boolean.TRUE}) by a module that record-routed this request with this
     * server's address (rr's {@code record_route} with {@code enable_double_rr}): when the request
     * leaves through another socket than the one it came in on (transport, address family or
     * address), the core writes that Record-Route twice, first naming the outgoing socket, both
     * with {@code r2=on} (double Record-Route).
     */
    String DOUBLE_RECORD_ROUTE = "core.double_rr";

    /** The kind of routing block being executed. */
    RouteType routeType();

    /** The message being routed. */
    SipMessage message();

    /** The destination URI ({@code $du}) set by the script or a module, or null. */
    Uri destination();

    /** Sets or (with null) clears the destination URI ({@code $du}). */
    void setDestination(Uri destination);

    /** A value a module keeps for this message (e.g. rr's Route just processed), or null. */
    Object attribute(String key);

    /** Keeps {@code value} for this message under {@code key} (modules prefix keys with their name). */
    void attribute(String key, Object value);

    /** The destination set: branches added by {@code append_branch} or a module, in order. Mutable. */
    default java.util.List<Branch> branches() {
        return java.util.List.of();
    }

    /** The script that runs this message and this run's flags and attributes, or null when no script runs it. */
    default ScriptHandle scriptHandle() {
        return null;
    }

    /** The branch flags of the Request-URI's branch ({@code $bf}, {@code setbflag}); 0 when no script runs. */
    default long branchFlags() {
        return 0;
    }

    /** Sets the branch flags of the Request-URI's branch (registrar's lookup restores a contact's flags). */
    default void setBranchFlags(long flags) {
    }

    /** The attribute {@code $avp(name)} of this message, or null. */
    default Object avp(String name) {
        return null;
    }

    /** Sets (or with null clears) {@code $avp(name)} of this message. */
    default void avp(String name, Object value) {
    }

    /** Whether the route ran {@code drop} (or {@code exit} in a block where that drops). */
    /**
     * The listening socket the request goes out of, as {@code force_send_socket} sets it
     * ({@code [proto:]addr:port}, e.g. dispatcher's {@code socket} attribute); null: the core picks.
     */
    default String sendSocket() {
        return null;
    }

    /** Sets {@link #sendSocket()}; a socket Siphon does not listen on is ignored when sending (logged). */
    default void setSendSocket(String socket) {
    }

    default boolean isDropped() {
        return false;
    }
}
