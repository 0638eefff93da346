/** The core's proxy operations: stateless forwarding and replies, sending, and the routing hook. */
@Export
@Version("1.6.0")
package org.siphon.core.proxy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
