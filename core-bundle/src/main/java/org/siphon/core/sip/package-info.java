/** The SIP message model: requests, responses, header fields, edits, names of methods, headers and status codes. */
@Export
@Version("1.4.0")
package org.siphon.core.sip;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
