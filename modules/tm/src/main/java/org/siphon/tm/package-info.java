/** tm's API for other modules: send requests statefully and get their final reply. */
@Export
@Version("1.0.0")
package org.siphon.tm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
