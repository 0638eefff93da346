/** The storage service: one database over JDBC for every module, chosen by {@code db_url}. */
@Export
@Version("1.2.0")
package org.siphon.core.db;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
