package org.siphon.core.registry;

/**
 * Something a module contributes to the core: a script function, a pseudo-variable class or an
 * RPC command. Immutable; safe to share between threads.
 */
public interface Export {

    /** The name the script or the RPC client uses, e.g. {@code t_relay}, {@code ru}, {@code ul.dump}. */
    String name();

    /** The name of the module that contributed it, e.g. {@code tm}; {@code core} for the core. */
    String module();
}
