/** Script functions: what a module exports for routing scripts to call, and where they are allowed. */
@Export
@Version("1.8.0")
package org.siphon.core.function;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
