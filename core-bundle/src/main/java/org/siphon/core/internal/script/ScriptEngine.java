package org.siphon.core.internal.script;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.sip.SipMessage;

/**
 * Loads routing scripts (preprocess, compile against the registries) and runs them. The core's
 * own pseudo-variables are always available; module ones come from the registry. Thread-safe:
 * compiled scripts are immutable and every run has its own state.
 */
public final class ScriptEngine {

    private final FunctionRegistry functions;
    private final PseudoVariableRegistry pvs;
    private final Map<String, PseudoVariableExport> corePvs = new HashMap<>();
    private final FunctionCall.Replier replier;
    private final Predicate<String> moduleActive;
    private volatile ScriptCompiler.ModparamCheck modparamCheck = ScriptCompiler.ModparamCheck.NONE;

    /**
     * @param replier      how a call of a missing module's function answers its request (request, reason)
     * @param moduleActive whether a module named by {@code loadmodule} is active
     */
    public ScriptEngine(FunctionRegistry functions, PseudoVariableRegistry pvs,
            java.util.function.BiConsumer<org.siphon.core.sip.SipRequest, String> replier,
            Predicate<String> moduleActive) {
        this.functions = functions;
        this.pvs = pvs;
        this.replier = replier::accept;
        this.moduleActive = moduleActive;
        for (PseudoVariableExport e : CorePseudoVariables.all()) {
            corePvs.put(e.name(), e);
        }
    }

    /** Sets how modparam statements are checked against the modules' declared parameters. */
    void modparamCheck(ScriptCompiler.ModparamCheck check) {
        this.modparamCheck = check;
    }

    /** The core's pseudo-variables, for publishing in the registry. */
    public static List<PseudoVariableExport> corePseudoVariables() {
        return CorePseudoVariables.all();
    }

    /** Preprocesses and compiles the script in {@code file} with the command line's defines. */
    public Script load(Path file, Map<String, String> defines) throws ScriptException {
        Preprocessor.Result text = new Preprocessor(defines).run(file);
        return compile(file.toString(), text);
    }

    /** The script's global parameters and modparams only (see {@link ScriptCompiler#parameters}). */
    static Script parameters(Path file, Map<String, String> defines) throws ScriptException {
        Preprocessor.Result text = new Preprocessor(defines).run(file);
        return new ScriptCompiler(text, null, name -> Optional.empty(), (req, reason) -> { }, module -> true,
                (module, name, value) -> null).parameters(file.toString());
    }

    /** Compiles script text (for tests and {@code cfg.reload} of an edited file). */
    public Script load(String name, String text, Map<String, String> defines) throws ScriptException {
        return compile(name, new Preprocessor(defines).run(name, text, null));
    }

    private Script compile(String name, Preprocessor.Result text) throws ScriptException {
        Script s = new ScriptCompiler(text, functions, this::findPv, replier, moduleActive, modparamCheck).compile(name);
        s.pseudoVariables(this::findPv);
        s.warnings(text.warnings());
        return s;
    }

    private Optional<PseudoVariableExport> findPv(String name) {
        PseudoVariableExport e = corePvs.get(name);
        return e != null ? Optional.of(e) : pvs.find(name);
    }

    /** Runs {@code request_route} (or another block) for a message; returns the run's state. */
    public static ScriptRun run(Script script, SipCore core, SipMessage message, String route, RouteType type)
            throws Exception {
        ScriptRun r = new ScriptRun(script, core, message, type);
        if (script.hasRoute(route)) {
            r.retcode = script.route(route).run(r);
        }
        return r;
    }
}
