/** Typed values of structured SIP headers, each class with its own parser. */
@Export
@Version("1.1.0")
package org.siphon.core.sip.header;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
