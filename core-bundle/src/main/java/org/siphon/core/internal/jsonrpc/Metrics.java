package org.siphon.core.internal.jsonrpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.siphon.core.internal.proxy.WorkerLoad;
import org.siphon.core.module.ModuleInfo;

/**
 * {@code GET /metrics}: the Prometheus text format (0.0.4) of every statistic
 * ({@code stats.get_statistics all}: Kamailio's {@code group:name} becomes
 * {@code siphon_group_name}; counters get {@code _total}), the SIP workers' queues
 * ({@code siphon_sip_worker_*}) and the RPC pool's, every module's state and exports
 * ({@code siphon_module_*}) and the JVM's metrics (memory, GC, threads, class loading), written by
 * the official Prometheus Java client. Every value is read at the scrape. Thread-safe.
 */
final class Metrics {

    /** The states {@code siphon_module_state} always lists (0 or the number of the module's bundles in it). */
    static final List<String> MODULE_STATES = List.of("installed", "resolved", "starting", "active", "stopping", "draining");

    private final PrometheusRegistry registry = new PrometheusRegistry();

    Metrics(Supplier<Map<String, Object>> statistics) {
        this(statistics, List::of, List::of, null);
    }

    /**
     * @param statistics {@code stats.get_statistics all}
     * @param workers    the SIP workers' load (empty while the core is not there)
     * @param modules    {@code module.list} (empty while the module service is not there)
     * @param rpc        the RPC call pool, or null
     */
    Metrics(Supplier<Map<String, Object>> statistics, Supplier<List<WorkerLoad>> workers,
            Supplier<List<ModuleInfo>> modules, ThreadPoolExecutor rpc) {
        JvmMetrics.builder().register(registry);
        registry.register((MultiCollector) () -> snapshots(statistics.get()));
        registry.register((MultiCollector) () -> workers(workers.get(), rpc));
        registry.register((MultiCollector) () -> modules(modules.get()));
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(labels)).build();
    }

    /** {@code siphon_sip_workers}, per worker {@code siphon_sip_worker_queue_length/_capacity/_busy}; the RPC pool's. */
    static MetricSnapshots workers(List<WorkerLoad> load, ThreadPoolExecutor rpc) {
        GaugeSnapshot.Builder queued = GaugeSnapshot.builder().name("siphon_sip_worker_queue_length")
                .help("SIP messages waiting for their worker");
        GaugeSnapshot.Builder capacity = GaugeSnapshot.builder().name("siphon_sip_worker_queue_capacity")
                .help("SIP messages a worker's queue holds before the server answers 503");
        GaugeSnapshot.Builder busy = GaugeSnapshot.builder().name("siphon_sip_worker_busy")
                .help("1 while the SIP worker runs a message");
        for (WorkerLoad w : load) {
            String n = Integer.toString(w.worker());
            queued.dataPoint(point(w.queued(), "worker", n));
            capacity.dataPoint(point(w.capacity(), "worker", n));
            busy.dataPoint(point(w.busy() ? 1 : 0, "worker", n));
        }
        MetricSnapshots.Builder out = MetricSnapshots.builder()
                .metricSnapshot(GaugeSnapshot.builder().name("siphon_sip_workers").help("SIP workers (children)")
                        .dataPoint(point(load.size())).build());
        if (!load.isEmpty()) {
            out.metricSnapshot(queued.build()).metricSnapshot(capacity.build()).metricSnapshot(busy.build());
        }
        if (rpc != null) {
            out.metricSnapshot(GaugeSnapshot.builder().name("siphon_rpc_workers_busy").help("RPC calls running")
                    .dataPoint(point(rpc.getActiveCount())).build());
            out.metricSnapshot(GaugeSnapshot.builder().name("siphon_rpc_queue_length")
                    .help("RPC calls waiting for a worker").dataPoint(point(rpc.getQueue().size())).build());
        }
        return out.build();
    }

    /**
     * {@code siphon_module_state{module,state}}: how many of the module's bundles are in each state
     * (two while an old version drains); {@code siphon_module_exporting{module}};
     * {@code siphon_module_exports{module,kind}} for functions, pseudo_variables, rpc_commands.
     */
    static MetricSnapshots modules(List<ModuleInfo> modules) {
        Map<String, List<ModuleInfo>> byName = new TreeMap<>();
        for (ModuleInfo m : modules) {
            byName.computeIfAbsent(m.name(), k -> new java.util.ArrayList<>()).add(m);
        }
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("siphon_module_state")
                .help("Bundles of the module in each state (" + String.join(", ", MODULE_STATES) + ")");
        GaugeSnapshot.Builder exporting = GaugeSnapshot.builder().name("siphon_module_exporting")
                .help("1 while the module's exports are in the registries");
        GaugeSnapshot.Builder exports = GaugeSnapshot.builder().name("siphon_module_exports")
                .help("The module's exports by kind: functions, pseudo_variables, rpc_commands");
        byName.forEach((name, bundles) -> {
            java.util.Set<String> states = new java.util.LinkedHashSet<>(MODULE_STATES);
            bundles.forEach(b -> states.add(b.state()));
            for (String s : states) {
                state.dataPoint(point(bundles.stream().filter(b -> b.state().equals(s)).count(), "module", name, "state", s));
            }
            exporting.dataPoint(point(bundles.stream().anyMatch(ModuleInfo::exporting) ? 1 : 0, "module", name));
            exports.dataPoint(point(bundles.stream().mapToInt(ModuleInfo::functions).max().orElse(0),
                    "kind", "functions", "module", name));
            exports.dataPoint(point(bundles.stream().mapToInt(ModuleInfo::pseudoVariables).max().orElse(0),
                    "kind", "pseudo_variables", "module", name));
            exports.dataPoint(point(bundles.stream().mapToInt(ModuleInfo::rpcCommands).max().orElse(0),
                    "kind", "rpc_commands", "module", name));
        });
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        if (!byName.isEmpty()) {
            out.metricSnapshot(state.build()).metricSnapshot(exporting.build()).metricSnapshot(exports.build());
        }
        return out.build();
    }

    /** A Prometheus metric name for a statistic: {@code siphon_usrloc_location_contacts}. */
    static String name(String statistic) {
        return ("siphon_" + statistic.replace(':', '_')).replaceAll("[^A-Za-z0-9_]", "_");
    }

    static boolean isGauge(String statistic) {
        return org.siphon.core.internal.proxy.Statistics.isGauge(statistic);
    }

    static MetricSnapshots snapshots(Map<String, Object> statistics) {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        statistics.forEach((k, v) -> {
            if (!(v instanceof Number n)) {
                return;
            }
            String help = "Siphon statistic " + k;
            if (isGauge(k)) {
                out.metricSnapshot(GaugeSnapshot.builder().name(name(k)).help(help)
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(n.doubleValue()).build()).build());
            } else {
                out.metricSnapshot(CounterSnapshot.builder().name(name(k)).help(help)
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(n.doubleValue()).build()).build());
            }
        });
        return out.build();
    }

    /** The exposition now. */
    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toByteArray();
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }
}
