/** What registrar offers other modules: the registered contacts (nathelper's NAT pings). */
@Export
@Version("1.0.0")
package org.siphon.registrar;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
