/** What every registry of the core has in common: named exports, lookups and change listeners. */
@Export
@Version("1.0.0")
package org.siphon.core.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
