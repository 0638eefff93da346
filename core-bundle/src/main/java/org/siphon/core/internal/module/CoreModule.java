package org.siphon.core.internal.module;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.module.ModuleService;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcRegistry;

/** The core's own export table: the {@code core.*}, {@code system.*} and {@code module.*} RPC commands. */
@Component(immediate = true)
public class CoreModule implements SiphonModule {

    @Reference
    private ModuleService modules;
    @Reference
    private RpcRegistry rpc;
    @Reference
    private FunctionRegistry functions;
    @Reference
    private PseudoVariableRegistry pseudoVariables;

    private List<RpcCommand> commands;

    @Activate
    void activate(BundleContext context) {
        String version = context.getBundle().getVersion().toString();
        List<RpcCommand> all = new ArrayList<>(new CoreRpc(version, Instant.now(), modules, rpc).commands(name()));
        all.addAll(new ModuleRpc(modules, functions, pseudoVariables, rpc).commands(name()));
        commands = List.copyOf(all);
    }

    @Override
    public String name() {
        return ModuleServiceImpl.CORE;
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return commands;
    }
}
