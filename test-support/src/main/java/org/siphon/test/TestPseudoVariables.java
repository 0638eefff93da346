package org.siphon.test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.siphon.core.function.ActionContext;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableExport.InnerName;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.registry.RegistryListener;

/**
 * A pseudo-variable registry for a module that looks pseudo-variables up by name (as dispatcher
 * writes {@code $xavp(_dsdst_=>uri)} and {@code $var(setid)}): it knows the core's {@code $var},
 * {@code $avp} and {@code $xavp}, kept in the {@link TestActionContext} they are evaluated on
 * ({@link TestActionContext#values()}, {@link TestActionContext#avps()}; on another context they read
 * null and writes are ignored), plus whatever a test {@link #add}s (e.g. a module's own exports).
 * An {@code $xavp} is kept by its name as written, spaces removed, as the core keeps it. Listeners
 * are accepted and never called. Thread-safe.
 */
public final class TestPseudoVariables implements PseudoVariableRegistry {

    private final Map<String, PseudoVariableExport> exports = new ConcurrentHashMap<>();

    public TestPseudoVariables() {
        add(value("var", s -> s, "var:"));
        add(PseudoVariableExport.builder("avp", "core")
                .innerName(InnerName.REQUIRED, s -> s.startsWith("s:") || s.startsWith("i:") ? s.substring(2) : s)
                .getter((c, n) -> c.avp((String) n)).setter((c, n, v) -> c.avp((String) n, v)).build());
        add(value("xavp", s -> s.replace(" ", ""), "xavp:"));
    }

    private static PseudoVariableExport value(String name, java.util.function.Function<String, Object> inner, String prefix) {
        return PseudoVariableExport.builder(name, "core").innerName(InnerName.REQUIRED, inner::apply)
                .getter((c, n) -> c instanceof TestActionContext t ? t.values().get(prefix + n) : null)
                .setter((c, n, v) -> put(c, prefix + n, v)).build();
    }

    private static void put(ActionContext c, String key, Object v) {
        if (c instanceof TestActionContext t) {
            if (v == null) {
                t.values().remove(key);
            } else {
                t.values().put(key, v);
            }
        }
    }

    /** Adds (or replaces) an export, e.g. one of the module's own {@code pseudoVariables()}. */
    public TestPseudoVariables add(PseudoVariableExport export) {
        exports.put(export.name(), export);
        return this;
    }

    @Override public Optional<PseudoVariableExport> find(String name) {
        return Optional.ofNullable(exports.get(name));
    }

    @Override public Collection<PseudoVariableExport> all() {
        return new ArrayList<>(new TreeMap<>(exports).values());
    }

    @Override public List<PseudoVariableExport> ofModule(String module) {
        List<PseudoVariableExport> l = new ArrayList<>();
        for (PseudoVariableExport e : all()) {
            if (e.module().equals(module)) {
                l.add(e);
            }
        }
        return l;
    }

    @Override public void addListener(RegistryListener<PseudoVariableExport> listener) {
    }

    @Override public void removeListener(RegistryListener<PseudoVariableExport> listener) {
    }
}
