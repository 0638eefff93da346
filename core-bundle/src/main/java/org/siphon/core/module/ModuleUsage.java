package org.siphon.core.module;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Tells which modules are in use and must not be removed without {@code force}: the script engine
 * publishes one for the modules the active routing script needs. Any number may be registered;
 * a module is in use if any of them says so. Must answer quickly and without blocking.
 */
@ConsumerType
public interface ModuleUsage {

    /** The names of the modules in use, each mapped by the caller to the reason given by {@link #reason}. */
    Set<String> modulesInUse();

    /** Why the modules are in use, e.g. {@code "the active routing script"}. */
    String reason();

    /** Where the module is used, e.g. {@code siphon.cfg:12:5 t_relay()}; empty when not known. */
    default List<String> usesOf(String module) {
        return List.of();
    }
}
