/** Pseudo-variables: the {@code $name} and {@code $name(inner)} values a routing script reads and assigns. */
@Export
@Version("1.2.0")
package org.siphon.core.pv;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
