package org.siphon.core.function;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.registry.Registry;

/** The script functions of every active module, published as an OSGi service by the core. */
@ProviderType
public interface FunctionRegistry extends Registry<FunctionExport> {
}
