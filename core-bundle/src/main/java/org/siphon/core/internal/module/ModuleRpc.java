package org.siphon.core.internal.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.FunctionRegistry;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.ModuleException;
import org.siphon.core.module.ModuleInfo;
import org.siphon.core.module.ModuleService;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.rpc.RpcRegistry;

/** The {@code module.*} RPC commands: list, inspect, install, remove and update modules. */
final class ModuleRpc {

    private final ModuleService modules;
    private final FunctionRegistry functions;
    private final PseudoVariableRegistry pseudoVariables;
    private final RpcRegistry rpc;

    ModuleRpc(ModuleService modules, FunctionRegistry functions, PseudoVariableRegistry pseudoVariables, RpcRegistry rpc) {
        this.modules = modules;
        this.functions = functions;
        this.pseudoVariables = pseudoVariables;
        this.rpc = rpc;
    }

    List<RpcCommand> commands(String module) {
        return List.of(
                new RpcCommand("module.list", module, "", "Lists the core and every installed module with its state.",
                        p -> list(p.expect(0, 0, "no parameters"))),
                new RpcCommand("module.exports", module, "name",
                        "Lists the functions, pseudo-variables and RPC commands a module exports.", this::exports),
                new RpcCommand("module.install", module, "path",
                        "Installs and starts a module bundle from a jar path or URL (not kept across restarts; use deploy/ for that).",
                        p -> guarded(() -> modules.install(p.expect(1, 1, "a jar path").string(0)))),
                new RpcCommand("module.uninstall", module, "name [force]",
                        "Stops and removes a module; refused while the routing script uses it, unless force is 1.",
                        p -> guarded(() -> modules.uninstall(p.expect(1, 2, "name [force]").string(0), p.flag(1, false)))),
                new RpcCommand("module.stop", module, "name [force]",
                        "Stops a module and keeps it installed; refused while the routing script uses it, unless force is 1.",
                        p -> guarded(() -> modules.stop(p.expect(1, 2, "name [force]").string(0), p.flag(1, false)))),
                new RpcCommand("module.start", module, "name",
                        "Starts a stopped module; answers once its exports are published.",
                        p -> guarded(() -> modules.start(p.expect(1, 1, "a module name").string(0)))),
                new RpcCommand("module.update", module, "name [path]",
                        "Replaces a module with the bundle at path, or reloads it from where it was installed.",
                        p -> guarded(() -> modules.update(p.expect(1, 2, "name [path]").string(0), p.string(1, null)))));
    }

    private Object list(RpcParams params) {
        return modules.list().stream().map(ModuleInfo::toMap).toList();
    }

    private Object exports(RpcParams params) throws RpcException {
        String name = params.expect(1, 1, "a module name").string(0);
        ModuleInfo info = modules.find(name).orElseThrow(() -> RpcException.notFound("no module named " + name
                + " is installed"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", info.name());
        out.put("state", info.state());
        out.put("functions", functions.ofModule(name).stream().map(ModuleRpc::describe).toList());
        out.put("pseudo_variables", pseudoVariables.ofModule(name).stream().map(ModuleRpc::describe).toList());
        out.put("rpc_commands", rpc.ofModule(name).stream().map(ModuleRpc::describe).toList());
        return out;
    }

    static Map<String, Object> describe(FunctionExport f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.name());
        m.put("min_args", f.minArgs());
        m.put("max_args", f.maxArgs());
        List<String> routes = new ArrayList<>();
        for (RouteType t : f.routeTypes()) {
            routes.add(t.kamailioName());
        }
        m.put("routes", routes);
        m.put("description", f.description());
        return m;
    }

    static Map<String, Object> describe(PseudoVariableExport pv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "$" + pv.name());
        m.put("inner_name", pv.innerName().name().toLowerCase());
        m.put("writable", pv.writable());
        m.put("description", pv.description());
        return m;
    }

    static Map<String, Object> describe(RpcCommand c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("usage", c.usage());
        m.put("description", c.description());
        return m;
    }

    /** One module-changing call, its {@link ModuleException} mapped to an RPC fault. */
    private interface ModuleCall {
        ModuleInfo run() throws ModuleException, RpcException;
    }

    private static Object guarded(ModuleCall call) throws RpcException {
        try {
            return call.run().toMap();
        } catch (ModuleException e) {
            int code = switch (e.reason()) {
                case NOT_FOUND -> RpcException.NOT_FOUND;
                case CONFLICT, IN_USE -> RpcException.CONFLICT;
                case BAD_BUNDLE -> RpcException.INVALID_PARAMS;
                case FAILED -> RpcException.FAILED;
            };
            throw new RpcException(code, e.getMessage(), e);
        }
    }
}
