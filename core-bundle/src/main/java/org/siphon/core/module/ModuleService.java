package org.siphon.core.module;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Installs, lists, updates and removes module bundles while the server runs. Behind every
 * administration front-end ({@code module.*} RPC commands, the {@code sip:} Gogo commands).
 * Thread-safe; calls that change bundles may block for the time the framework takes.
 */
@ProviderType
public interface ModuleService {

    /** The core and every installed module, ordered by name. */
    List<ModuleInfo> list();

    /** One module by name. */
    Optional<ModuleInfo> find(String name);

    /**
     * Installs and starts the module bundle at {@code location} (a file path or URL). Not persistent
     * across restarts: a jar that must stay goes into {@code deploy/}.
     */
    ModuleInfo install(String location) throws ModuleException;

    /**
     * Stops and removes a module. Refused with {@link ModuleException.Reason#IN_USE} when a
     * {@link ModuleUsage} names it, unless {@code force}; the core itself is never removed.
     */
    ModuleInfo uninstall(String name, boolean force) throws ModuleException;

    /**
     * Stops a module and keeps it installed (stopped across restarts, as Felix's {@code stop}):
     * its exports are withdrawn. Refused like {@link #uninstall} while the script uses it, unless
     * {@code force}.
     */
    ModuleInfo stop(String name, boolean force) throws ModuleException;

    /** Starts a stopped module and returns once its exports are published. */
    ModuleInfo start(String name) throws ModuleException;

    /** Replaces a module with the bundle at {@code location}, or reloads it from where it came from when null. */
    ModuleInfo update(String name, String location) throws ModuleException;
}
