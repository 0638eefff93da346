package org.siphon.core.internal.proxy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.UriParser;

/**
 * The SIP core's exports: the {@code forward} function and the RPC commands about sockets and
 * statistics, under Kamailio's names ({@code corex.list_sockets}, {@code corex.list_aliases},
 * {@code stats.get_statistics}).
 */
@Component(immediate = true)
public class SipCoreExports implements SiphonModule {

    @Reference
    private SipCoreComponent core;

    /** Where the modules are looked up when statistics are asked for (not a DS reference: this component is a module too). */
    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    @Override
    public Map<String, Object> statistics() {
        return core.stats().snapshot();
    }

    /** Counters reset by {@code stats.reset_statistics}, per module instance. */
    private final Statistics statistics = new Statistics();

    /** Every module's statistics as they read now, the core's first; a module whose statistics fail is logged and skipped. */
    List<Statistics.Source> statisticSources() {
        List<Statistics.Source> sources = new java.util.ArrayList<>();
        sources.add(new Statistics.Source(-1, statistics()));
        try {
            for (ServiceReference<SiphonModule> ref : context.getServiceReferences(SiphonModule.class, null)) {
                SiphonModule m = context.getService(ref);
                if (m == null || m == this) {
                    continue;
                }
                try {
                    sources.add(new Statistics.Source((Long) ref.getProperty(org.osgi.framework.Constants.SERVICE_ID),
                            m.statistics()));
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(SipCoreExports.class).warn("statistics of module {}: {}", m.name(), e.toString());
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return sources;
    }

    /** Every module's statistics, sorted by group then name, counters since their last reset. */
    Map<String, Object> allStatistics() {
        return statistics.read(statisticSources());
    }

    @Override
    public String name() {
        return "core";
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("forward", name())
                .args(0, 2)
                .routes(RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH)
                .description("Forwards the request statelessly to host[:port], else to $du, else to the R-URI.")
                .fixup(args -> args.isEmpty() ? new Object[] { null } : new Object[] { target(args) })
                .handler((ctx, args) -> core.forward(ctx, (SipUri) args[0]))
                .build());
    }

    /** {@code forward("sip:...")}, {@code forward("host")}, {@code forward("host", "port")}. */
    static SipUri target(List<String> args) {
        String host = args.get(0);
        if (host.startsWith("sip:") || host.startsWith("sips:")) {
            return UriParser.parseSip(host);
        }
        int port = -1;
        if (args.size() > 1) {
            try {
                port = Integer.parseInt(args.get(1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("forward: port must be a number, not \"" + args.get(1) + "\"");
            }
        }
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return SipUri.of(false, null, h, port, Parameters.NONE);
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(
                new RpcCommand("corex.list_sockets", name(), "", "The listening sockets.",
                        p -> core.sockets().describe()),
                new RpcCommand("corex.list_aliases", name(), "", "The names and addresses that match 'myself'.",
                        p -> core.sockets().aliases()),
                new RpcCommand("core.ps", name(), "", "The SIP workers and I/O threads, as Kamailio lists its processes.",
                        p -> core.processes()),
                new RpcCommand("log.level", name(), "[logger [level]]", "Log levels at runtime: none, every level set "
                        + "(and the default, *); a logger or module (registrar, core, org.siphon.tm.internal …) alone, its "
                        + "level; with trace|debug|info|warn|error, sets it for that logger and those below it.", this::logLevel),
                new RpcCommand("corex.debug", name(), "[level]", "Kamailio's debug level (-5..3+): without a value the "
                        + "default log level; with one, sets it (as debug= does).", this::debugLevel),
                new RpcCommand("stats.get_statistics", name(), "[all|group:|name ...]",
                        "Statistics of the core and every module: all, a group (core:, usrloc:), or names.", this::statistics),
                new RpcCommand("stats.reset_statistics", name(), "all|group:|name ...",
                        "Sets counters back to 0: all, a group (core:, tmx:), or names; levels (gauges such as "
                        + "usrloc:registered_users) are not reset.", p -> {
                            resetStatistics(p);
                            return "ok";
                        }),
                new RpcCommand("stats.clear_statistics", name(), "all|group:|name ...",
                        "Returns statistics as get_statistics does and resets those that are counters, in one command.",
                        this::resetStatistics));
    }

    private Object logLevel(RpcParams p) throws RpcException {
        p.expect(0, 2, "[logger [level]]");
        Map<String, String> levels = org.siphon.core.internal.log.LogLevels.levels();
        if (p.size() == 0) {
            return levels;
        }
        String logger = org.siphon.core.internal.log.LogLevels.loggerOf(p.string(0));
        if (p.size() == 1) {
            for (String n = logger; !n.isEmpty(); n = n.lastIndexOf('.') < 0 ? "" : n.substring(0, n.lastIndexOf('.'))) {
                if (levels.containsKey(n)) {
                    return Map.of("logger", logger, "level", levels.get(n), "from", n);
                }
            }
            return Map.of("logger", logger, "level", levels.get("*"), "from", "*");
        }
        String level = p.string(1).toLowerCase(java.util.Locale.ROOT);
        if (!List.of("trace", "debug", "info", "warn", "error").contains(level)) {
            throw new RpcException(400, "level must be trace, debug, info, warn or error, not " + p.string(1));
        }
        if (!logger.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
            throw new RpcException(400, "not a logger name: " + p.string(0));
        }
        String unknown = unknownSiphonLogger(logger);
        if (unknown != null) {
            throw new RpcException(404, "no module " + unknown + " is installed (module.list shows them); a logger "
                    + "is a module name, core, or a full name such as org.siphon.tm.internal or io.netty");
        }
        String problem = org.siphon.core.internal.log.LogLevels.setLevel(logger, level);
        if (problem != null) {
            throw new RpcException(500, problem);
        }
        org.slf4j.LoggerFactory.getLogger(SipCoreExports.class).info("log level of {} set to {}", logger, level);
        return Map.of("logger", logger, "level", level);
    }

    /** For {@code org.siphon.X...}: X when it is neither the core nor an installed module, else null. */
    private String unknownSiphonLogger(String logger) {
        if (!logger.startsWith("org.siphon.") || context == null) {
            return null;
        }
        String rest = logger.substring("org.siphon.".length());
        String first = rest.indexOf('.') < 0 ? rest : rest.substring(0, rest.indexOf('.'));
        if (first.equals("core") || first.equals("itests")) {
            return null;
        }
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            String module = b.getHeaders("").get("Siphon-Module");
            String bsn = b.getSymbolicName();
            if (first.equals(module) || bsn != null && (bsn.equals("org.siphon." + first) || bsn.startsWith("org.siphon." + first + "."))) {
                return null;
            }
        }
        return first;
    }

    private Object debugLevel(RpcParams p) throws RpcException {
        p.expect(0, 1, "[level]");
        if (p.size() == 0) {
            return org.siphon.core.internal.log.LogLevels.levels().get("*");
        }
        String level = org.siphon.core.internal.log.LogLevels.levelOf((int) p.integer(0));
        String problem = org.siphon.core.internal.log.LogLevels.setDefault(level);
        if (problem != null) {
            throw new RpcException(500, problem);
        }
        return level;
    }

    private Object statistics(RpcParams p) throws RpcException {
        Map<String, Object> all = allStatistics();
        if (p.size() == 0 || "all".equals(p.string(0))) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object o : p.values()) {
            String want = String.valueOf(o);
            all.forEach((k, v) -> {
                if (Statistics.matches(want, k)) {
                    out.put(k, v);
                }
            });
        }
        if (out.isEmpty()) {
            throw RpcException.notFound("no statistics match " + p.values());
        }
        return out;
    }

    /** {@code stats.clear_statistics}: the selected statistics before the reset; {@code stats.reset_statistics} drops them. */
    private Map<String, Object> resetStatistics(RpcParams p) throws RpcException {
        if (p.size() == 0) {
            throw RpcException.invalidParams("which statistics: all, a group (core:) or names");
        }
        List<String> wants = p.values().stream().map(String::valueOf).toList();
        Map<String, Object> before = statistics.reset(statisticSources(),
                k -> wants.stream().anyMatch(w -> Statistics.matches(w, k)));
        if (before.isEmpty()) {
            throw RpcException.notFound("no statistics match " + p.values());
        }
        org.slf4j.LoggerFactory.getLogger(SipCoreExports.class).info("statistics reset: {}", String.join(" ", wants));
        return before;
    }
}
