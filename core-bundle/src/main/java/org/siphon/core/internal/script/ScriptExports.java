package org.siphon.core.internal.script;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.module.ModuleInfo;
import org.siphon.core.module.ModuleService;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;

/** The script engine's exports: the core pseudo-variables and the {@code cfg.reload} / {@code cfg.check} commands. */
@Component(immediate = true)
public class ScriptExports implements SiphonModule {

    @Reference
    private ScriptComponent scripts;
    @Reference
    private ModuleService modules;

    @Override
    public String name() {
        return "core";
    }

    @Override
    public List<PseudoVariableExport> pseudoVariables() {
        return ScriptEngine.corePseudoVariables();
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(
                new RpcCommand("cfg.reload", name(), "", "Compiles the routing script again and swaps it in; "
                        + "on errors the running one stays and the errors come back.", this::reload),
                new RpcCommand("cfg.check", name(), "[file]", "Compiles the routing script (or another file) "
                        + "without loading it.", this::check),
                new RpcCommand("cfg.status", name(), "", "The routing script (file, load time, calls whose module "
                        + "is not active) and each module's version and state (active, draining, stopped).", this::status),
                new RpcCommand("cfg.get", name(), "group name", "The value of a custom cfg variable "
                        + "(group.name = value in the script; $sel(cfg_get.group.name)).", p -> {
                            p.expect(2, 2, "group name");
                            Object v = CfgVars.get(p.string(0) + "." + p.string(1));
                            if (v == null) {
                                throw new RpcException(404, "no cfg variable " + p.string(0) + "." + p.string(1));
                            }
                            return v;
                        }),
                new RpcCommand("cfg.list", name(), "", "Every custom cfg variable and its value.", p -> {
                    p.expect(0, 0, "no parameters");
                    return CfgVars.all();
                }),
                cfgSet("cfg.set"), cfgSet("cfg.seti"), cfgSet("cfg.sets"), cfgSet("cfg.set_now_int"),
                cfgSet("cfg.set_now_string"));
    }

    /** cfg_rpc's setters: all take effect at once (Kamailio's delayed commits have no meaning here). */
    private RpcCommand cfgSet(String method) {
        return new RpcCommand(method, name(), "group name value", "Sets a custom cfg variable now (until the next start, "
                + "or a cfg.reload that changes its default).", p -> {
                    p.expect(3, 3, "group name value");
                    try {
                        return CfgVars.set(p.string(0) + "." + p.string(1), p.values().get(2));
                    } catch (IllegalArgumentException e) {
                        throw new RpcException(400, e.getMessage());
                    }
                });
    }

    private Object status(RpcParams p) throws RpcException {
        p.expect(0, 0, "no parameters");
        Map<String, Object> out = new java.util.LinkedHashMap<>(scripts.status());
        out.put("modules", modules.list().stream().map(ScriptExports::moduleState).toList());
        return out;
    }

    private static Map<String, Object> moduleState(ModuleInfo m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", m.name());
        out.put("version", m.version());
        out.put("bundle_id", m.bundleId());
        out.put("state", switch (m.state()) {
            case "active" -> m.exporting() ? "active" : "starting";
            case "draining" -> "draining";
            default -> "stopped";
        });
        return out;
    }

    private Object reload(RpcParams p) throws RpcException {
        p.expect(0, 0, "no parameters");
        try {
            return scripts.reload();
        } catch (ScriptException e) {
            throw new RpcException(RpcException.FAILED, "the script does not load, the running one stays: "
                    + String.join("; ", e.problems().stream().map(Object::toString).toList()));
        }
    }

    private Object check(RpcParams p) throws RpcException {
        String f = p.expect(0, 1, "[file]").string(0, null);
        try {
            Script s = scripts.check(f == null ? null : Path.of(f));
            return Map.of("file", f == null ? scripts.file().toString() : f, "modules", List.copyOf(s.modules()));
        } catch (ScriptException e) {
            throw new RpcException(RpcException.FAILED, String.join("; ", e.problems().stream().map(Object::toString).toList()));
        }
    }
}
