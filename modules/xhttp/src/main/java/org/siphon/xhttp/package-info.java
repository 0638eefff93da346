/**
 * The API of module xhttp for other modules (jsonrpcs, xcap_server, websocket): answering the HTTP
 * request routed in {@code event_route[xhttp:request]}.
 */
// a new version of xhttp must use its own copy of this package, not be wired to the old bundle
@Export(substitution = Export.Substitution.NOIMPORT)
@Version("1.1.0")
package org.siphon.xhttp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
