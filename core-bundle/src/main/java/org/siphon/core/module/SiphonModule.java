package org.siphon.core.module;

import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /**
     * Starts the metatype description of a parameter the module accepts for Kamailio's configs but
     * that means nothing in Siphon (a process count, a memory size); the rest of the description
     * says why. The script engine then logs one INFO line when a script sets it, e.g.
     * {@code @AttributeDefinition(description = SiphonModule.NO_EFFECT + " one thread sweeps the table")}.
     */
    String NO_EFFECT = "No effect in Siphon:";

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

    /**
     * Work this instance owns that must end before its bundle stops: tm's transactions, a UAC
     * request in flight. When the module is updated the new version takes new work at once and
     * the old one is stopped once this reaches 0, or after {@link #drainLimitMillis()}. Must be
     * cheap and thread-safe.
     */
    default int inFlight() {
        return 0;
    }

    /** The longest an update waits for {@link #inFlight()} to reach 0, ms (tm: its longest transaction lifetime). */
    default long drainLimitMillis() {
        return 0;
    }

    /**
     * Parameters (Kamailio's names, e.g. {@code hash_size}) that the component cannot apply in
     * place: its {@code @Modified} keeps their old values, and {@code cfg.reload} names them in
     * its answer ("takes effect after module.update"). Every other parameter applies live.
     */
    default Set<String> restartParameters() {
        return Set.of();
    }
}
