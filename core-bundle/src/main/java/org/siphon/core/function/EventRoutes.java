package org.siphon.core.function;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.SipMessage;

/**
 * The routing script loaded now, for a module that runs one of its {@code event_route} blocks
 * outside the routing of a message (Kamailio's {@code event_route[dispatcher:dst-down]},
 * {@code [htable:mod-init]} …). An OSGi service of the core. Thread-safe; a block runs on the
 * caller's thread, so call it from the module's own timer or worker, never from an event loop.
 */
@ProviderType
public interface EventRoutes {

    /** Whether the loaded script has {@code event_route[name]} ({@code name} as written, e.g. {@code dispatcher:dst-down}). */
    boolean has(String name);

    /**
     * Runs {@code event_route[name]} over {@code message} (the request or reply the event is
     * about, or one the module makes up, as Kamailio does), with {@code attributes} visible
     * through {@link ActionContext#attribute(String)}; an error inside the block is logged by the
     * core and ends the block.
     *
     * @return the context after the run, or null when the script has no such block
     */
    ActionContext run(String name, SipMessage message, Map<String, Object> attributes);
}
