package org.siphon.core.internal.module;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.module.ModuleInfo;
import org.siphon.core.module.ModuleService;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.rpc.RpcRegistry;

/** The {@code core.*} and {@code system.*} RPC commands, named and shaped as Kamailio's. */
final class CoreRpc {

    private final String version;
    private final Instant started;
    private final ModuleService modules;
    private final RpcRegistry rpc;

    CoreRpc(String version, Instant started, ModuleService modules, RpcRegistry rpc) {
        this.version = version;
        this.started = started;
        this.modules = modules;
        this.rpc = rpc;
    }

    List<RpcCommand> commands(String module) {
        return List.of(
                new RpcCommand("core.version", module, "", "The server's name and version.",
                        p -> versionString(p.expect(0, 0, "no parameters"))),
                new RpcCommand("core.uptime", module, "", "When the server started and for how many seconds it has run.",
                        p -> uptime(p.expect(0, 0, "no parameters"))),
                new RpcCommand("core.modules", module, "", "The names of the modules whose exports are active.",
                        p -> activeModules(p.expect(0, 0, "no parameters"))),
                new RpcCommand("system.listMethods", module, "", "Every RPC method, sorted.",
                        p -> rpc.all().stream().map(RpcCommand::name).toList()),
                new RpcCommand("system.methodHelp", module, "method", "The usage and description of one RPC method.",
                        this::methodHelp));
    }

    private Object versionString(RpcParams p) {
        return "siphon " + version + " (java " + System.getProperty("java.version") + "/"
                + System.getProperty("os.name").toLowerCase() + ")";
    }

    private Object uptime(RpcParams p) {
        Instant now = Instant.now();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now", now.toString());
        m.put("up_since", started.toString());
        m.put("uptime", now.getEpochSecond() - started.getEpochSecond());
        return m;
    }

    private Object activeModules(RpcParams p) {
        return modules.list().stream().filter(ModuleInfo::exporting).map(ModuleInfo::name).distinct().toList();
    }

    private Object methodHelp(RpcParams p) throws RpcException {
        String method = p.expect(1, 1, "a method name").string(0);
        RpcCommand c = rpc.find(method).orElseThrow(() -> new RpcException(RpcException.METHOD_NOT_FOUND,
                "method not found: " + method));
        return (c.usage().isEmpty() ? method : method + " " + c.usage()) + ": " + c.description();
    }
}
