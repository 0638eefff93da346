package org.siphon.core.internal.script;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.ModuleInfo;
import org.siphon.core.module.ModuleService;
import org.siphon.core.module.ModuleUsage;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.function.EventRoutes;
import org.siphon.core.proxy.SipRouting;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.registry.RegistryListener;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing script of the running server: loads {@code config/siphon.cfg} (or {@code -f FILE})
 * at start, runs it for every message, reloads it atomically on {@code cfg.reload} (a script that
 * does not compile is refused and the old one keeps running), re-binds module functions when
 * their module goes and comes back, tells {@code module.uninstall} which modules it uses, and
 * hands its global parameters and {@code modparam}s to ConfigAdmin ({@link ScriptParameters},
 * checked by {@link Modparams}). In check mode ({@code bin/siphon -c}) {@link ScriptCheck}
 * compiles, reports and ends the process. Re-binding is {@link ScriptBinding}'s.
 */
@Component(immediate = true, service = { SipRouting.class, ModuleUsage.class, EventRoutes.class, ScriptComponent.class })
public class ScriptComponent implements SipRouting, ModuleUsage, EventRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptComponent.class);

    @Reference
    private FunctionRegistry functions;
    @Reference
    private PseudoVariableRegistry pvs;
    @Reference
    private SipCore core;
    @Reference
    private ModuleService modules;
    @Reference
    private ScriptParameters parameters;
    /** For the parameters a module cannot change live ({@link SiphonModule#restartParameters()}). */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<SiphonModule> moduleServices = List.of();

    private ScriptEngine engine;
    private ScriptBinding binding;
    private volatile long loadedAt;
    private Path file;
    private final Map<String, String> defines = new LinkedHashMap<>();

    private BundleContext bundleContext;

    @Activate
    void activate(BundleContext context) {
        bundleContext = context;
        file = ScriptParameters.file(context);
        defines.putAll(ScriptParameters.defines(context));
        engine = new ScriptEngine(functions, pvs, (req, reason) -> core.reply(req, 503, reason,
                List.of(org.siphon.core.sip.SipHeader.of("Retry-After", "5"))),
                name -> modules.find(name).map(ModuleInfo::exporting).orElse(false));
        engine.modparamCheck((module, name, value) -> Modparams.problem(modules, parameters, module, name, value));
        if ("true".equals(context.getProperty("siphon.check"))) {
            ScriptCheck check = new ScriptCheck(engine, modules, context, file, defines, System.out);
            Thread t = new Thread(() -> System.exit(check.run()), "siphon-script-check");
            t.start();
            return;
        }
        binding = new ScriptBinding(functions, pvs, this::loadWhenAble,
                () -> context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING);
        functions.addListener(binding.functionListener);
        pvs.addListener(binding.pvListener);
        org.osgi.framework.Bundle system = context.getBundle(0);
        if (system.getState() == org.osgi.framework.Bundle.ACTIVE) {
            firstLoad(true);
        } else {
            startedListener = event -> {
                if (event.getType() == org.osgi.framework.FrameworkEvent.STARTED) {
                    firstLoad(true);
                }
            };
            context.addFrameworkListener(startedListener);
            this.context = context;
        }
    }

    private org.osgi.framework.FrameworkListener startedListener;
    private BundleContext context;

    /**
     * Loads the script the first time: once the boot set has started (the modules it loads are
     * bundles too), and again whenever a module's exports appear while it has not loaded.
     */
    private synchronized void firstLoad(boolean report) {
        if (binding.script() != null) {
            return;
        }
        try {
            Script s = engine.load(file, defines);
            binding.swap(s);
            loadedAt = System.currentTimeMillis();
            parameters.apply(s);
            s.warnings().forEach(w -> LOG.warn("routing script: {}", w));
            LOG.info("routing script {} loaded: {} module(s) used {}", file, s.modules().size(), s.modules());
        } catch (ScriptException e) {
            if (!report) {
                return;
            }
            if (!e.waitingFor().isEmpty()) {
                LOG.warn("the routing script {} waits for module(s) {}, not installed or not active: requests are "
                        + "answered 500 until they come (deploy/ or module.install); it loads by itself then",
                        file, e.waitingFor());
                e.problems().forEach(p -> LOG.info("routing script: {}", p));
                return;
            }
            e.problems().forEach(p -> LOG.error("routing script: {}", p));
            if ("true".equals(bundleContext.getProperty("siphon.exit.on.bad.script"))) {
                LOG.error("the routing script {} has errors: stopping (exit 1), as kamailio does", file);
                new Thread(() -> System.exit(1), "siphon-bad-script").start();
                return;
            }
            LOG.error("the routing script {} does not load: every request is answered 500 until it does "
                    + "(it is tried again when a module appears, and on cfg.reload)", file);
        }
    }

    /** A module export appeared while no script is loaded: try again, once the boot set has started. */
    private void loadWhenAble() {
        if (startedListener == null || context != null && context.getBundle(0).getState() == org.osgi.framework.Bundle.ACTIVE) {
            firstLoad(false);
        }
    }

    @Deactivate
    void deactivate() {
        if (startedListener != null && context != null) {
            context.removeFrameworkListener(startedListener);
        }
        if (binding != null) {
            functions.removeListener(binding.functionListener);
            pvs.removeListener(binding.pvListener);
        }
    }

    @Override
    public boolean has(String name) {
        Script s = binding == null ? null : binding.script();
        return s != null && s.hasRoute("event_route[" + name + "]");
    }

    @Override
    public org.siphon.core.function.ActionContext run(String name, org.siphon.core.sip.SipMessage message,
            Map<String, Object> attributes) {
        Script s = binding == null ? null : binding.script();
        String block = "event_route[" + name + "]";
        if (s == null || !s.hasRoute(block)) {
            return null;
        }
        ScriptRun r = new ScriptRun(s, core, message, org.siphon.core.function.RouteType.EVENT);
        attributes.forEach(r::attribute);
        try {
            r.retcode = s.route(block).run(r);
        } catch (Exception e) {
            LOG.error("{}: {}", block, e.toString());
        }
        return r;
    }

    /**
     * Compiles the script file again and swaps it in; the old one stays on error. Load, reload and
     * re-binding hold this component's lock, so a module change during the compile is applied to
     * the new script once it is in place; the swap then checks every binding against the registry.
     */
    public synchronized Map<String, Object> reload() throws ScriptException {
        Script s = engine.load(file, defines);
        s.warnings().forEach(w -> LOG.warn("cfg.reload: {}", w));
        Script old = binding.swap(s);
        loadedAt = System.currentTimeMillis();
        parameters.apply(s);
        if (old != null && !old.globals().equals(s.globals())) {
            String debug = s.globals().get("debug");
            if (debug != null && !debug.equals(old.globals().get("debug"))) {
                ScriptParameters.debug(debug);
            }
            LOG.warn("cfg.reload: global parameters changed; listen/children changes take effect after a restart");
        }
        LOG.info("routing script {} reloaded", file);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("modules", List.copyOf(s.modules()));
        List<String> later = old == null ? List.of() : Modparams.notLive(old, s, moduleServices);
        later.forEach(n -> LOG.warn("cfg.reload: {}", n));
        out.put("not_applied", later);
        return out;
    }

    /** Compiles without swapping, for {@code cfg.check}. */
    public Script check(Path other) throws ScriptException {
        return engine.load(other == null ? file : other, defines);
    }

    /** The script's state for {@code cfg.status}: file, load time, calls whose module is not active. */
    public Map<String, Object> status() {
        Script s = binding == null ? null : binding.script();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        out.put("loaded", s != null);
        out.put("loaded_at", s == null ? null : java.time.Instant.ofEpochMilli(loadedAt).toString());
        out.put("unbound_calls", s == null ? List.of()
                : s.calls.stream().filter(c -> c.export() == null).map(FunctionCall::site).distinct().toList());
        return out;
    }

    @Override
    public void request(SipRequest request, ActionContext ctx) throws Exception {
        Script s = binding == null ? null : binding.script();
        if (s == null) {
            throw new org.siphon.core.internal.proxy.NoRoutingScript(); // the core answers it
        }
        ScriptEngine.run(s, core, request, "0", RouteType.REQUEST);
    }

    @Override
    public boolean response(SipResponse response, ActionContext ctx) throws Exception {
        Script s = binding == null ? null : binding.script();
        if (s == null || !s.hasRoute("reply_route")) {
            return true;
        }
        return !ScriptEngine.run(s, core, response, "reply_route", RouteType.ONREPLY).isDropped();
    }

    @Override
    public Set<String> modulesInUse() {
        Script s = binding == null ? null : binding.script();
        return s == null ? Set.of() : s.modules();
    }

    @Override
    public List<String> usesOf(String module) {
        Script s = binding == null ? null : binding.script();
        if (s == null) {
            return List.of();
        }
        return s.calls.stream().filter(c -> module.equals(c.module)).map(FunctionCall::site).distinct().toList();
    }

    @Override
    public String reason() {
        return "the active routing script " + file;
    }

    /** The script file in use. */
    public Path file() {
        return file;
    }
}
