package org.siphon.core.internal.script;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled routing script: its route blocks as executable trees, its global parameters, the
 * modules it loads and the module parameters it sets. Immutable once built; shared by every
 * worker (per-message state lives in {@link ScriptRun}).
 */
public final class Script {

    private final String source;
    private final Map<String, Node> routes;
    private final Map<String, String> globals;
    private final Set<String> modules;
    private final List<String[]> modparams;
    final List<FunctionCall> calls;
    final List<Pv> modulePvs;
    private java.util.function.Function<String, java.util.Optional<org.siphon.core.pv.PseudoVariableExport>> pvs =
            n -> java.util.Optional.empty();

    Script(String source, Map<String, Node> routes, Map<String, String> globals, Set<String> modules,
            List<String[]> modparams, List<FunctionCall> calls, List<Pv> modulePvs) {
        this.source = source;
        this.routes = Map.copyOf(routes);
        this.globals = Map.copyOf(globals);
        this.modules = Set.copyOf(modules);
        this.modparams = List.copyOf(modparams);
        this.calls = List.copyOf(calls);
        this.modulePvs = List.copyOf(modulePvs);
    }

    /** The block named {@code name}: {@code request_route} is "0" as in Kamailio, others by their name. */
    Node route(String name) {
        Node n = routes.get(name);
        if (n == null) {
            throw new IllegalStateException("no route " + name);
        }
        return n;
    }

    boolean hasRoute(String name) {
        return routes.containsKey(name);
    }

    /** How the script looks pseudo-variables up (for {@link RunHandle#value}). */
    java.util.function.Function<String, java.util.Optional<org.siphon.core.pv.PseudoVariableExport>> pseudoVariables() {
        return pvs;
    }

    void pseudoVariables(java.util.function.Function<String, java.util.Optional<org.siphon.core.pv.PseudoVariableExport>> lookup) {
        this.pvs = lookup;
    }

    /** What the preprocessor warned about (an import_file that found no file). */
    public java.util.List<String> warnings() {
        return warnings;
    }

    void warnings(java.util.List<String> w) {
        this.warnings = java.util.List.copyOf(w);
    }

    private java.util.List<String> warnings = java.util.List.of();

    public String source() {
        return source;
    }

    /** Global parameters as written ({@code children}, {@code listen} …); repeated ones joined by newlines. */
    public Map<String, String> globals() {
        return globals;
    }

    /** Custom cfg variables ({@code group.name = value desc "…"}) and their defaults. */
    Map<String, Object> cfgVars() {
        return cfgVars;
    }

    Script cfgVars(Map<String, Object> vars) {
        this.cfgVars = Map.copyOf(vars);
        return this;
    }

    private Map<String, Object> cfgVars = Map.of();

    /** Modules named by {@code loadmodule} or owning a function the script calls. */
    public Set<String> modules() {
        return modules;
    }

    /** {@code modparam("module", "name", value)} in order: module, name, value. */
    public List<String[]> modparams() {
        return modparams;
    }
}
