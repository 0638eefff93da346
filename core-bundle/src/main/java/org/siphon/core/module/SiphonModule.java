package org.siphon.core.module;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.rpc.RpcCommand;

/**
 * A module's export table, the counterpart of Kamailio's {@code struct module_exports}. A module
 * bundle publishes exactly one service of this type from one Declarative Services component
 * ({@code immediate = true}); the core puts its exports into the registries while the service is
 * registered and takes them out when it goes, so exports live exactly as long as the component.
 * <p>The lists are read once, when the service appears; they must not change afterwards.
 */
@ConsumerType
public interface SiphonModule {

    /** The module's name as a script writes it in {@code loadmodule}, e.g. {@code tm}. */
    String name();

    /** Functions callable from the routing script. */
    default List<FunctionExport> functions() {
        return List.of();
    }

    /** Pseudo-variable classes. */
    default List<PseudoVariableExport> pseudoVariables() {
        return List.of();
    }

    /** RPC commands. */
    default List<RpcCommand> rpcCommands() {
        return List.of();
    }

    /**
     * The module's statistics as Kamailio names them ({@code group:name}, e.g.
     * {@code usrloc:registered_users}) with their current values, read each time
     * {@code stats.get_statistics} asks; must be cheap and thread-safe.
     */
    default Map<String, Object> statistics() {
        return Map.of();
    }
}
