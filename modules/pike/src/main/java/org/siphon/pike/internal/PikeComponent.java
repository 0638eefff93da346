package org.siphon.pike.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.module.SiphonModule;
import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.rpc.RpcCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Module {@code pike}: {@code pike_check_req()} counts requests per source address and says when
 * one floods; RPC {@code pike.top}. Parameters as Kamailio's (seconds).
 */
@Component(immediate = true, configurationPid = "org.siphon.pike", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PikeComponent.Config.class)
public class PikeComponent implements SiphonModule {

    static final String MODULE = "pike";
    private static final Logger LOG = LoggerFactory.getLogger(PikeComponent.class);

    @ObjectClassDefinition(name = "Siphon module pike")
    public @interface Config {
        @AttributeDefinition(description = "Length of one sampling unit, seconds (default 2)")
        int sampling__time__unit() default 2;

        @AttributeDefinition(description = "Requests per unit above which a source floods (default 30)")
        int reqs__density__per__unit() default 30;

        @AttributeDefinition(description = "Seconds a source stays known after its last request (default 120)")
        int remove__latency() default 120;
    }

    @Reference
    private StatefulCore timers;
    private volatile FloodTable table;
    private volatile Cancellable sweep;
    /** The current sweep chain; an older chain stops at its next run. */
    private int sweeps;
    private Config config;

    @Activate
    void activate(Config c) {
        config = c;
        table = table(c);
        if (timers != null) {
            scheduleSweep(Math.max(1000L, c.remove__latency() * 500L));
        }
    }

    /**
     * {@code cfg.reload} with changed parameters: they apply at once, to a fresh table (the counts
     * of the old one were taken with the old unit and density); unchanged parameters keep the table.
     */
    @Modified
    synchronized void modified(Config c) {
        Config old = config;
        config = c;
        if (old.sampling__time__unit() == c.sampling__time__unit() && old.reqs__density__per__unit() == c.reqs__density__per__unit()
                && old.remove__latency() == c.remove__latency()) {
            return;
        }
        table = table(c);
        LOG.info("pike: sampling_time_unit={} reqs_density_per_unit={} remove_latency={} apply from now on",
                c.sampling__time__unit(), c.reqs__density__per__unit(), c.remove__latency());
        if (timers != null) {
            deactivate();
            scheduleSweep(Math.max(1000L, c.remove__latency() * 500L));
        }
    }

    private static FloodTable table(Config c) {
        return new FloodTable(c.sampling__time__unit() * 1000L, c.reqs__density__per__unit(), c.remove__latency() * 1000L,
                System::currentTimeMillis);
    }

    /** For tests: a component over a given table. */
    PikeComponent(FloodTable table) {
        this.table = table;
    }

    public PikeComponent() {
    }

    /** Sweeps every {@code every} ms until the sweep chain is replaced ({@code cfg.reload}) or stopped. */
    private synchronized void scheduleSweep(long every) {
        int chain = ++sweeps;
        sweep = timers.schedule("pike", every, () -> sweepThenReschedule(every, chain));
    }

    private synchronized void sweepThenReschedule(long every, int chain) {
        int gone = table.expire();
        if (gone > 0) {
            LOG.debug("pike forgot {} idle source addresses", gone);
        }
        if (sweep != null && chain == sweeps) {
            scheduleSweep(every);
        }
    }

    @Deactivate
    void deactivate() {
        Cancellable s = sweep;
        sweep = null;
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public String name() {
        return MODULE;
    }

    @Override
    public List<FunctionExport> functions() {
        return List.of(FunctionExport.builder("pike_check_req", MODULE).args(0).routes(RouteType.REQUEST)
                .description("1 when the source address is within the allowed density; -1 when it floods.")
                .handler((ctx, a) -> check(ctx)).build());
    }

    int check(ActionContext ctx) {
        var src = ctx.message().source();
        if (src == null || src.remote() == null) {
            return 1;
        }
        String ip = src.remote().getAddress().getHostAddress();
        if (table.hit(ip)) {
            LOG.debug("pike: {} floods", ip);
            return -1;
        }
        return 1;
    }

    @Override
    public List<RpcCommand> rpcCommands() {
        return List.of(new RpcCommand("pike.top", MODULE, "[ALL|HOT]",
                "Source addresses pike knows, busiest first (HOT: only those flooding now).", p -> {
                    boolean hotOnly = "HOT".equalsIgnoreCase(p.string(0, "ALL"));
                    List<Object> out = new ArrayList<>();
                    for (FloodTable.Row r : table.top(hotOnly)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("ip", r.ip());
                        m.put("leaf_hits", List.of(r.previous(), r.current()));
                        m.put("status", r.hot() ? "HOT" : "WARM");
                        m.put("idle_ms", r.idleMillis());
                        out.add(m);
                    }
                    return out;
                }));
    }
}
