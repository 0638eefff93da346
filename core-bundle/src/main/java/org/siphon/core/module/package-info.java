/** Modules: how a bundle contributes its exports, and how operators install, list and remove modules. */
@Export
@Version("1.3.0")
package org.siphon.core.module;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
