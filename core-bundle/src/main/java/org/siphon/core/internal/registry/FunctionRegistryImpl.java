package org.siphon.core.internal.registry;

import org.osgi.service.component.annotations.Component;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.FunctionRegistry;

/** The {@link FunctionRegistry} service. */
@Component(service = { FunctionRegistry.class, FunctionRegistryImpl.class })
public class FunctionRegistryImpl extends ExportTable<FunctionExport> implements FunctionRegistry {

    public FunctionRegistryImpl() {
        super("function");
    }
}
