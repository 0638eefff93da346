/** presence's API for event packages (Kamailio's {@code add_event}): an event package is a {@link org.siphon.presence.PresenceEvent} service. */
// not also imported (no substitution): an updated presence, installed beside the running one, uses its
// own copy of this package; the core moves presence_xml onto it (module.update moves dependents)
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.1.0")
package org.siphon.presence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
