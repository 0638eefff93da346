package org.siphon.core.internal.script;

import java.util.function.BooleanSupplier;

import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.registry.RegistryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the running script's module calls and module pseudo-variables bound to the registries'
 * current exports. A swap (first load, {@code cfg.reload}) and every re-binding run under one
 * lock; after a swap every call is checked against the registry, so an export that came or went
 * while the new script compiled is followed too. Invariant, once the registries are quiet: every
 * call is bound to the registry's visible export of its name, and unbound only when there is none.
 */
final class ScriptBinding {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptBinding.class);

    private final FunctionRegistry functions;
    private final PseudoVariableRegistry pvs;
    private volatile Script script;
    /** Run, outside the lock, when an export appears while no script is loaded. */
    private final Runnable whenUnloaded;
    /** True while the server stops: every module goes and nothing is worth a log line. */
    private final BooleanSupplier quiet;

    final RegistryListener<FunctionExport> functionListener = new RegistryListener<>() {
        @Override
        public void added(FunctionExport export) {
            rebind(export.name());
        }

        @Override
        public void removed(FunctionExport export) {
            rebind(export.name());
        }
    };

    final RegistryListener<PseudoVariableExport> pvListener = new RegistryListener<>() {
        @Override
        public void added(PseudoVariableExport export) {
            rebindPv(export.name());
        }

        @Override
        public void removed(PseudoVariableExport export) {
            rebindPv(export.name());
        }
    };

    ScriptBinding(FunctionRegistry functions, PseudoVariableRegistry pvs, Runnable whenUnloaded, BooleanSupplier quiet) {
        this.functions = functions;
        this.pvs = pvs;
        this.whenUnloaded = whenUnloaded;
        this.quiet = quiet;
    }

    /** The running script, or null before the first load. */
    Script script() {
        return script;
    }

    /** Puts {@code s} in place and binds whatever changed since it compiled; returns the script it replaced. */
    synchronized Script swap(Script s) {
        Script old = script;
        script = s;
        for (FunctionCall c : s.calls) {
            var current = functions.find(c.name);
            if (current.isEmpty() ? c.export() != null : c.export() != current.get()) {
                bindCalls(s, c.name);
            }
        }
        for (Pv pv : s.modulePvs) {
            if (pv.export() != pvs.find(pv.className()).orElse(null)) {
                bindPvs(s, pv.className());
            }
        }
        return old;
    }

    /** A function export of {@code name} appeared or went. */
    void rebind(String name) {
        if (quiet.getAsBoolean()) {
            return;
        }
        if (script == null) {
            whenUnloaded.run();
            if (script != null) {
                LOG.info("the routing script loaded once {}() appeared", name);
            }
            return;
        }
        synchronized (this) {
            bindCalls(script, name);
        }
    }

    /** A pseudo-variable class of a module appeared or went. */
    synchronized void rebindPv(String name) {
        Script s = script;
        if (s != null && !quiet.getAsBoolean()) {
            bindPvs(s, name);
        }
    }

    private void bindCalls(Script s, String name) {
        for (FunctionCall c : s.calls) {
            if (!c.name.equals(name)) {
                continue;
            }
            var current = functions.find(name);
            if (current.isEmpty()) {
                if (c.export() != null) {
                    c.unbind();
                    LOG.warn("{}() of module {} is gone: requests needing it are answered 503 until it returns", name, c.module);
                }
            } else if (c.export() != current.get()) {
                try {
                    c.bind(current.get());
                    LOG.info("{}() re-bound to module {}", name, current.get().module());
                } catch (IllegalArgumentException e) {
                    c.unbind();
                    LOG.error("{}() of module {} refuses the script's arguments: {}", name, current.get().module(), e.getMessage());
                }
            }
        }
    }

    private void bindPvs(Script s, String name) {
        for (Pv pv : s.modulePvs) {
            if (!pv.className().equals(name)) {
                continue;
            }
            var current = pvs.find(name);
            String was = pv.module();
            try {
                pv.bind(current.orElse(null));
            } catch (IllegalArgumentException e) {
                pv.bind(null);
                LOG.error("${} of module {} refuses the script's name in {}: {}", name, current.get().module(), pv, e.getMessage());
                continue;
            }
            if (current.isEmpty() && was != null) {
                LOG.warn("${} of module {} is gone: it reads as null until it returns", name, was);
            }
        }
    }
}
