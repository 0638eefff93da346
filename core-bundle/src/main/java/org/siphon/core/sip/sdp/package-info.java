/** The session description (RFC 4566) of a message body: read and edited line by line. */
@Export
@Version("1.0.0")
package org.siphon.core.sip.sdp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
