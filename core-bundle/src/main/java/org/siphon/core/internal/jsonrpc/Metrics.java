package org.siphon.core.internal.jsonrpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * {@code GET /metrics}: the Prometheus text format (0.0.4) of every statistic
 * ({@code stats.get_statistics all}: Kamailio's {@code group:name} becomes
 * {@code siphon_group_name}; counters get {@code _total}) and the JVM's metrics (memory, GC,
 * threads, class loading), written by the official Prometheus Java client. Thread-safe.
 */
final class Metrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();

    Metrics(Supplier<Map<String, Object>> statistics) {
        JvmMetrics.builder().register(registry);
        registry.register((MultiCollector) () -> snapshots(statistics.get()));
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
