/** What registrar offers other modules: the registered contacts (nathelper's NAT pings). */
// not also imported (no substitution): an updated version, installed beside the running one,
// must use its own copy of this package, not be wired to the old bundle and restarted with it
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.0.0")
package org.siphon.registrar;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
