/** RPC commands: the administration interface shared by JSON-RPC, siphon-ctl and the Gogo shell. */
@Export
@Version("1.1.0")
package org.siphon.core.rpc;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
