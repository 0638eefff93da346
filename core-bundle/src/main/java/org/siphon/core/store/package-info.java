/** Core-owned in-memory tables of plain data: module state that outlives a module update (Kamailio's shared memory). */
@Export
@Version("1.1.0")
package org.siphon.core.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
