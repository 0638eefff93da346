/** tm's API for other modules: send requests statefully and get their final reply. */
// not also imported (no substitution): an updated version, installed beside the running one,
// must use its own copy of this package, not be wired to the old bundle and restarted with it
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.1.0")
package org.siphon.tm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
