package org.siphon.core.function;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.SipMessage;

/**
 * The routing script as it was when a message was routed, kept by a module that must run its
 * blocks later — tm runs {@code failure_route}, {@code branch_route} and {@code onreply_route}
 * of the script version that created the transaction, even after a reload. It also keeps the
 * run's message flags and attributes ({@code $avp}), which later runs start from.
 * Thread-safe; each {@link #run} has its own state.
 */
@ProviderType
public interface ScriptHandle {

    /** Whether the script has the block, e.g. {@code failure_route[voicemail]}. */
    boolean hasRoute(String block);

    /**
     * Runs {@code block} over {@code message} as a route of {@code type}; {@code attributes} are
     * visible through {@link ActionContext#attribute(String)}.
     *
     * @return the context after the run (its message, destination, branches, whether it dropped)
     */
    ActionContext run(String block, RouteType type, SipMessage message, Map<String, Object> attributes) throws Exception;

    /**
     * As {@link #run(String, RouteType, SipMessage, Map)}, the run starting with
     * {@code branchFlags} as its branch flags ({@code $bf}, {@code isbflagset}) instead of those of
     * the run this handle was taken from: tm runs a branch's routes with that branch's flags, as
     * Kamailio does for each branch of a fork.
     *
     * @since 1.8
     */
    default ActionContext run(String block, RouteType type, SipMessage message, Map<String, Object> attributes,
            long branchFlags) throws Exception {
        return run(block, type, message, attributes);
    }

    /** The message flags ({@code setflag}, {@code $mf}) of the run this handle was taken from. */
    default long flags() {
        return 0;
    }

    /** The value of a pseudo-variable (as written, e.g. {@code $fu}) for another message, or null. */
    Object value(String pseudoVariable, SipMessage message);
}
