package org.siphon.core.internal.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.apache.felix.service.command.annotations.GogoCommand;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcRegistry;

/**
 * The {@code sip:} commands of the Gogo shell. Each is a thin front to an RPC command, so the
 * shell, JSON-RPC and {@code bin/siphon-ctl} give the same answers; they return that data, which
 * the shell prints as Karaf-style tables ({@link Shown}, {@link Table}).
 */
@Component(service = SipCommands.class)
@GogoCommand(scope = "sip", function = { "modules", "install", "uninstall", "stop", "start", "update", "exports", "rpc", "reload", "status", "log" })
public class SipCommands {

    @Reference
    private RpcRegistry rpc;
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /**
     * A bundle id typed where a module name goes: Gogo resolves an unscoped {@code stop 42} to
     * {@code sip:stop} or {@code felix:stop}, whichever it meets first, so both must understand an
     * id. The id of a module bundle becomes its module name; that of another bundle is returned
     * (Felix's command then acts on it); null when {@code arg} is a name.
     */
    private Bundle bundleById(String arg) {
        if (context == null || !arg.matches("\\d+")) {
            return null;
        }
        return context.getBundle(Long.parseLong(arg));
    }

    private static String moduleOf(Bundle b) {
        return FelixBundleCommands.module(b);
    }

    /** The module name {@code arg} stands for: itself, or the module of bundle id {@code arg}. */
    private String module(String arg) {
        Bundle b = bundleById(arg);
        return b == null || moduleOf(b) == null ? arg : moduleOf(b);
    }

    /** Bundle id {@code arg} when it is not a module's (Felix's commands act on those). */
    private Bundle plain(String arg) {
        Bundle b = bundleById(arg);
        return b != null && moduleOf(b) == null ? b : null;
    }

    /** {@code sip:modules}' columns (module.list has the location too). */
    static final List<Table.Column> MODULE_COLUMNS = List.of(Table.Column.of("ID", "bundle_id"),
            Table.Column.of("Name", "name"), Table.Column.of("Version", "version"), Table.Column.of("State", "state"),
            new Table.Column("Exporting", m -> Boolean.TRUE.equals(m.get("exporting")) ? "yes" : "no"),
            Table.Column.of("Functions", "functions"), Table.Column.of("PVs", "pseudo_variables"),
            Table.Column.of("RPC", "rpc_commands"));

    /** An answer as the shell shows it: the data, printed by {@link Table#render}. */
    private static Object shown(Object data) {
        return Shown.of(data, Table::render);
    }

    /** {@code log.level}'s answers: every level set, or one logger's. */
    static String logTable(Object data) {
        Map<?, ?> m = (Map<?, ?>) data;
        if (m.containsKey("logger") && m.containsKey("level")) {
            Table t = m.containsKey("from") ? new Table("Logger", "Level", "Set on") : new Table("Logger", "Level");
            return (m.containsKey("from") ? t.row(m.get("logger"), m.get("level"), m.get("from"))
                    : t.row(m.get("logger"), m.get("level"))).toString();
        }
        Table t = new Table("Logger", "Level");
        m.forEach((k, v) -> t.row("*".equals(k) ? "* (default)" : k, v));
        return t.toString();
    }

    @Descriptor("list the core and every installed module with its state")
    public Object modules() throws RpcException {
        return Shown.of(rpc.call("module.list", List.of()), d -> Table.of((List<?>) d, MODULE_COLUMNS).toString());
    }

    @Descriptor("install and start a module bundle")
    public Object install(@Descriptor("path or URL of the module jar") String location) throws RpcException {
        return shown(rpc.call("module.install", List.of(location)));
    }

    @Descriptor("stop and remove a module")
    public Object uninstall(
            @Descriptor("remove it even if the routing script uses it") @Parameter(names = { "-f", "--force" },
                    presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("module name (or bundle id)") String name) throws RpcException, BundleException {
        Bundle b = plain(name);
        if (b != null) {
            b.uninstall();
            return null;
        }
        return shown(rpc.call("module.uninstall", List.of(module(name), force)));
    }

    @Descriptor("stop a module and keep it installed")
    public Object stop(
            @Descriptor("stop it even if the routing script uses it") @Parameter(names = { "-f", "--force" },
                    presentValue = "true", absentValue = "false") boolean force,
            @Descriptor("module name (or bundle id)") String name) throws RpcException, BundleException {
        Bundle b = plain(name);
        if (b != null) {
            b.stop();
            return null;
        }
        return shown(rpc.call("module.stop", List.of(module(name), force)));
    }

    @Descriptor("start a stopped module")
    public Object start(@Descriptor("module name (or bundle id)") String name) throws RpcException, BundleException {
        Bundle b = plain(name);
        if (b != null) {
            b.start();
            return null;
        }
        return shown(rpc.call("module.start", List.of(module(name))));
    }

    @Descriptor("reload a module from where it was installed")
    public Object update(@Descriptor("module name (or bundle id)") String name) throws RpcException, BundleException {
        Bundle b = plain(name);
        if (b != null) {
            b.update();
            return null;
        }
        return shown(rpc.call("module.update", List.of(module(name))));
    }

    @Descriptor("replace a module with another jar")
    public Object update(@Descriptor("module name (or bundle id)") String name,
            @Descriptor("path or URL of the new jar") String location) throws RpcException {
        return shown(rpc.call("module.update", List.of(module(name), location)));
    }

    @Descriptor("list the functions, pseudo-variables and RPC commands of a module")
    public Object exports(@Descriptor("module name") String name) throws RpcException {
        return shown(rpc.call("module.exports", List.of(name)));
    }

    @Descriptor("compile the routing script again and swap it in (the running one stays on errors)")
    public Object reload() throws RpcException {
        return shown(rpc.call("cfg.reload", List.of()));
    }

    @Descriptor("the routing script's file, load time and unbound calls; each module's version and state")
    public Object status() throws RpcException {
        return shown(rpc.call("cfg.status", List.of()));
    }

    @Descriptor("log levels: none lists them, a logger or module shows its level, a level sets it "
            + "(trace, debug, info, warn, error)")
    public Object log(@Descriptor("[logger or module [level]]") String... args) throws RpcException {
        return Shown.of(rpc.call("log.level", new ArrayList<>(List.of(args))), SipCommands::logTable);
    }

    @Descriptor("call an RPC method, as siphon-ctl does")
    public Object rpc(@Descriptor("method, e.g. core.version") String method,
            @Descriptor("parameters") String... params) throws RpcException {
        List<Object> values = new ArrayList<>(List.of(params));
        return shown(rpc.call(method, values));
    }
}
