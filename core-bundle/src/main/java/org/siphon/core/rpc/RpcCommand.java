package org.siphon.core.rpc;

import java.util.Objects;

import org.siphon.core.registry.Export;

/**
 * An administration command, like an entry of a Kamailio module's {@code rpc_export_t} table:
 * a dotted method name ({@code ul.dump}), a usage line, a description and a handler. Every
 * front-end (JSON-RPC over HTTP, {@code bin/siphon-ctl}, the Gogo shell) goes through the same
 * {@link RpcRegistry}, so all of them give the same answers.
 * <p>Immutable.
 */
public final class RpcCommand implements Export {

    /** Runs the command. */
    @FunctionalInterface
    public interface Handler {
        /**
         * @return plain data only: {@code null}, {@link String}, {@link Number}, {@link Boolean},
         *         {@link java.util.Map} with string keys, {@link java.util.List} of the same
         * @throws RpcException a fault to report to the caller
         */
        Object call(RpcParams params) throws RpcException;
    }

    private final String name;
    private final String module;
    private final String usage;
    private final String description;
    private final Handler handler;

    /**
     * @param name        the method, {@code module.command} by Kamailio's convention
     * @param module      the module exporting it
     * @param usage       the parameters, e.g. {@code "name [force]"}; empty when there are none
     * @param description one line
     */
    public RpcCommand(String name, String module, String usage, String description, Handler handler) {
        if (name == null || name.isBlank() || module == null || module.isBlank()) {
            throw new IllegalArgumentException("an RPC command needs a name and a module");
        }
        this.name = name;
        this.module = module;
        this.usage = Objects.requireNonNull(usage);
        this.description = Objects.requireNonNull(description);
        this.handler = Objects.requireNonNull(handler);
    }

    @Override public String name() { return name; }
    @Override public String module() { return module; }
    public String usage() { return usage; }
    public String description() { return description; }
    public Handler handler() { return handler; }

    @Override
    public String toString() {
        return module + ":" + name;
    }
}
