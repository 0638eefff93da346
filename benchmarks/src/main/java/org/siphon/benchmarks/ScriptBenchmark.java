package org.siphon.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.registry.FunctionRegistryImpl;
import org.siphon.core.internal.registry.PseudoVariableRegistryImpl;
import org.siphon.core.internal.script.Script;
import org.siphon.core.internal.script.ScriptEngine;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;

/**
 * The cost of the script engine itself: a 200-line routing script in the style of Kamailio's
 * default one (method checks, header tests, string comparisons, $var arithmetic, sub-routes)
 * whose module functions do nothing, run for one INVITE. What is measured is the engine's
 * overhead per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScriptBenchmark {

    private Script script;
    private SipCore core;
    private SipMessageImpl message;

    /** The benchmark script: about 200 lines. */
    static String script() {
        StringBuilder sb = new StringBuilder("""
                request_route {
                    route(REQINIT);
                    if (is_method("CANCEL")) { if (t_check_trans()) { route(RELAY); } exit; }
                    if (!is_method("ACK")) { if (t_precheck_trans()) { t_check_trans(); exit; } t_check_trans(); }
                    route(WITHINDLG);
                    if (is_method("INVITE|SUBSCRIBE")) { record_route(); }
                    route(CHECKS);
                    if ($rU == $null) { sl_send_reply("484", "Address Incomplete"); exit; }
                    route(LOCATION);
                }
                route[REQINIT] {
                    if ($ua =~ "friendly-scanner|sipcli|VaxSIPUserAgent") { sl_send_reply("200", "OK"); exit; }
                    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                    if (is_method("OPTIONS") && uri == myself && $rU == $null) { sl_send_reply("200", "Keepalive"); exit; }
                    if (!sanity_check("17895", "7")) { exit; }
                }
                route[WITHINDLG] {
                    if (!has_totag()) { return; }
                    if (loose_route()) { route(RELAY); exit; }
                    if (is_method("ACK")) { if (t_check_trans()) { route(RELAY); exit; } else { exit; } }
                    sl_send_reply("404", "Not here");
                    exit;
                }
                route[RELAY] {
                    if (!t_relay()) { sl_reply_error(); }
                    exit;
                }
                route[LOCATION] {
                    $var(i) = 0;
                    while ($var(i) < 3) { $var(i) = $var(i) + 1; }
                    if (!lookup("location")) { $var(rc) = $rc; }
                    route(RELAY);
                }
                route[CHECKS] {
                """);
        for (int i = 0; i < 40; i++) {
            sb.append("    if ($hdr(X-Check-").append(i).append(") == \"v").append(i).append("\" || $rm eq \"NOTIFY\") {\n")
              .append("        $var(c) = $var(c) + ").append(i).append(";\n")
              .append("    }\n");
            if (i % 10 == 0) {
                sb.append("    if ($fd == \"example").append(i).append(".com\") { $var(d) = 1; }\n");
            }
        }
        sb.append("    if ($var(c) > 1000) { $var(big) = 1; }\n}\n");
        return sb.toString();
    }

    @Setup
    public void setup() throws Exception {
        FunctionRegistryImpl functions = new FunctionRegistryImpl();
        for (String f : List.of("is_method", "t_check_trans", "t_precheck_trans", "record_route", "sl_send_reply",
                "mf_process_maxfwd_header", "sanity_check", "has_totag", "loose_route", "t_relay", "sl_reply_error",
                "lookup")) {
            boolean negative = f.equals("has_totag") || f.equals("t_precheck_trans") || f.equals("loose_route")
                    || f.equals("t_check_trans");
            int rc = negative ? -1 : 1;
            functions.add(List.of(FunctionExport.builder(f, "bench").args(0, 2).routes(RouteType.any())
                    .handler((ctx, args) -> f.equals("is_method") ? (((SipRequest) ctx.message()).method().equals(args[0]) ? 1 : -1) : rc)
                    .build()));
        }
        ScriptEngine engine = new ScriptEngine(functions, new PseudoVariableRegistryImpl(), (req, reason) -> { }, m -> true);
        script = engine.load("bench.cfg", script(), Map.of());
        message = SipMessageParser.DEFAULT.parse(MessageBenchmark.INVITE, true);
        core = new SipCore() {
            @Override public int forward(ActionContext ctx, Uri target) { return 1; }
            @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) { }
            @Override public Destination resolve(Uri uri) { return null; }
            @Override public CompletableFuture<Void> send(byte[] bytes, Destination destination) { return null; }
            @Override public String via(Destination destination, String branch) { return null; }
            @Override public boolean isMyself(String host, int port) { return false; }
        };
    }

    @Benchmark
    public Object runTwoHundredLineScript() throws Exception {
        return ScriptEngine.run(script, core, message, "0", RouteType.REQUEST);
    }
}
