package org.siphon.core.internal.registry;

import org.osgi.service.component.annotations.Component;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;

/** The {@link PseudoVariableRegistry} service. */
@Component(service = { PseudoVariableRegistry.class, PseudoVariableRegistryImpl.class })
public class PseudoVariableRegistryImpl extends ExportTable<PseudoVariableExport> implements PseudoVariableRegistry {

    public PseudoVariableRegistryImpl() {
        super("pseudo-variable");
    }
}
