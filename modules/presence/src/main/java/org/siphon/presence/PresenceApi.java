package org.siphon.presence;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the presence module tells other bundles (Kamailio's {@code presence_api_t}, in part): the
 * publications it keeps. An OSGi service of module presence. Thread-safe; may read the database
 * ({@code publ_cache=0}), so call it off event loops.
 *
 * @since 1.1
 */
@ProviderType
public interface PresenceApi {

    /** The live (not expired) publications of {@code presentityUri}'s {@code event}, oldest first; empty when none or on error. */
    List<PresenceEvent.Publication> publications(String presentityUri, String event);
}
