/**
 * TLS for the core's {@code tls:} listeners and outgoing TLS connections: the profiles (key,
 * certificates, trust, protocols) a TLS module provides.
 */
@Export
@Version("1.1.0")
package org.siphon.core.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
