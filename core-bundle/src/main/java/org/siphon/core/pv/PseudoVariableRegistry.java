package org.siphon.core.pv;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.registry.Registry;

/** The pseudo-variable classes of every active module, published as an OSGi service by the core. */
@ProviderType
public interface PseudoVariableRegistry extends Registry<PseudoVariableExport> {
}
