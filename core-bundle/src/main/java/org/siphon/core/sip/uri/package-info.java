/** URIs in SIP messages: sip/sips (RFC 3261 §19.1), tel (RFC 3966) and opaque others. */
@Export
@Version("1.0.0")
package org.siphon.core.sip.uri;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
