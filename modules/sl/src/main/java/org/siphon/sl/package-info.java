/** The sl module's API: stateless replies for other modules. */
@Export
@Version("1.0.0")
package org.siphon.sl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
