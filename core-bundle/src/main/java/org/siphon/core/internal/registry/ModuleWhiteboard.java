package org.siphon.core.internal.registry;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.registry.Export;
import org.siphon.core.rpc.RpcCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the registries from the {@link SiphonModule} services: a module's exports appear when its
 * component activates and vanish when it deactivates (bundle stopped, updated or removed).
 * Binding runs on the thread that registers the service, so a module's exports are visible by
 * the time its bundle has started; {@link PublishedModules} tells when (the service is visible to other
 * threads a moment before).
 */
@Component(immediate = true)
public class ModuleWhiteboard {

    private static final Logger LOG = LoggerFactory.getLogger(ModuleWhiteboard.class);

    private final FunctionRegistryImpl functions;
    private final PseudoVariableRegistryImpl pseudoVariables;
    private final RpcRegistryImpl rpcCommands;

    /** The registries come through the constructor: DS injects them before it binds any module. */
    @Activate
    public ModuleWhiteboard(@Reference FunctionRegistryImpl functions,
            @Reference PseudoVariableRegistryImpl pseudoVariables, @Reference RpcRegistryImpl rpcCommands,
            @Reference PublishedModules published) {
        this.functions = functions;
        this.published = published;
        this.pseudoVariables = pseudoVariables;
        this.rpcCommands = rpcCommands;
    }

    /** What each module service contributed, so that exactly those instances are taken out again. */
    private record Added(List<FunctionExport> functions, List<PseudoVariableExport> pseudoVariables,
            List<RpcCommand> rpcCommands, long bundleId) {
    }

    private final Map<SiphonModule, Added> added = new IdentityHashMap<>();
    /** The bundles whose module service has its exports in the registries. */
    private final PublishedModules published;

    /**
     * Publishes the module's exports as one batch: the three registries change, then their
     * listeners (the routing script's re-binding) are told, all under one lock so that two modules'
     * batches never interleave. {@link PublishedModules} names the bundle just before the listeners
     * run, so that a script compiled by one of them sees the module active.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addModule(SiphonModule module, Map<String, Object> properties) {
        String name = module.name();
        List<FunctionExport> fs = checked(name, module.functions());
        List<PseudoVariableExport> pvs = checked(name, module.pseudoVariables());
        List<RpcCommand> rpcs = checked(name, module.rpcCommands());
        synchronized (added) {
            added.put(module, new Added(fs, pvs, rpcs, bundleId(properties)));
            List<Runnable> events = new ArrayList<>(functions.staged(fs, true));
            events.addAll(pseudoVariables.staged(pvs, true));
            events.addAll(rpcCommands.staged(rpcs, true));
            // published before the listeners run: a listener that compiles the script (a first load
            // waiting for this module) must see the module active; a removal waits for this lock
            published.add(bundleId(properties));
            events.forEach(Runnable::run);
        }
        LOG.info("module {} exports {} functions, {} pseudo-variables, {} RPC commands",
                name, fs.size(), pvs.size(), rpcs.size());
    }

    void removeModule(SiphonModule module) {
        synchronized (added) {
            Added a = added.remove(module);
            if (a == null) {
                return;
            }
            published.remove(a.bundleId());
            List<Runnable> events = new ArrayList<>(functions.staged(a.functions(), false));
            events.addAll(pseudoVariables.staged(a.pseudoVariables(), false));
            events.addAll(rpcCommands.staged(a.rpcCommands(), false));
            events.forEach(Runnable::run);
        }
        LOG.info("module {} withdrew its exports", module.name());
    }

    private static long bundleId(Map<String, Object> properties) {
        Object id = properties.get("service.bundleid");
        return id instanceof Number n ? n.longValue() : -1;
    }

    /** Keeps only exports that name their module correctly, so that {@code module.exports} stays truthful. */
    private static <E extends Export> List<E> checked(String module, List<E> exports) {
        return exports.stream().filter(e -> {
            boolean ok = module.equals(e.module());
            if (!ok) {
                LOG.error("module {} exports {} under module name {}: ignored", module, e.name(), e.module());
            }
            return ok;
        }).toList();
    }
}
