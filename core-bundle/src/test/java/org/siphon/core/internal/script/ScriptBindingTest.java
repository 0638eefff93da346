package org.siphon.core.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.pv.PseudoVariableExport;

/**
 * Issue 18: reloads racing module updates and removals. Two threads, one swapping in freshly
 * compiled scripts, one replacing and withdrawing a module's exports, run a random number of
 * steps each round; when both stop, every call and pseudo-variable of the running script is bound
 * to exactly the export the registry shows, or unbound when it shows none.
 */
class ScriptBindingTest extends ScriptTestSupport {

    static final String SCRIPT = "loadmodule \"hello.so\"\nrequest_route {\n hello(\"a\");\n $var(x) = $hello;\n hello(\"b\");\n}\n";

    static FunctionExport function(int version) {
        return FunctionExport.builder("hello", "hello").args(1).description("v" + version).handler((ctx, a) -> 1).build();
    }

    static PseudoVariableExport pv(int version) {
        return PseudoVariableExport.builder("hello", "hello").getter((r, n) -> "v" + version).build();
    }

    /** An engine that takes module hello as installed: a compile while its exports are away binds it later. */
    final ScriptEngine live = new ScriptEngine(functions, pvs, (req, reason) -> replies.add("503 " + reason), m -> true);

    @Test
    void reloadsRacingUpdatesAndRemovalsLeaveEveryCallBoundToTheVisibleExport() throws Exception {
        ScriptBinding binding = new ScriptBinding(functions, pvs, () -> { }, () -> false);
        functions.addListener(binding.functionListener);
        pvs.addListener(binding.pvListener);
        AtomicReference<FunctionExport> fn = new AtomicReference<>(function(0));
        AtomicReference<PseudoVariableExport> var = new AtomicReference<>(pv(0));
        functions.add(List.of(fn.get()));
        pvs.add(List.of(var.get()));
        binding.swap(live.load("live.cfg", SCRIPT, Map.of()));

        int rounds = 3000;
        CyclicBarrier start = new CyclicBarrier(3);
        CyclicBarrier done = new CyclicBarrier(3);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger swaps = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        Thread reloader = new Thread(() -> loop(rounds, start, done, failure, () -> {
            try {
                binding.swap(live.load("live.cfg", SCRIPT, Map.of()));
                swaps.incrementAndGet();
            } catch (ScriptException e) {
                refused.incrementAndGet(); // as cfg.reload refuses it: the old script keeps running
            }
        }), "reloader");
        int[] version = { 0 };
        Thread updater = new Thread(() -> loop(rounds, start, done, failure, () -> {
            FunctionExport oldF = fn.get();
            PseudoVariableExport oldP = var.get();
            int v = ++version[0];
            if (ThreadLocalRandom.current().nextInt(4) == 0 && oldF != null) { // removal, or reinstall after one
                functions.remove(List.of(oldF));
                pvs.remove(List.of(oldP));
                fn.set(null);
                var.set(null);
            } else { // update: the new version beside the old, then the old goes
                FunctionExport f = function(v);
                PseudoVariableExport p = pv(v);
                functions.add(List.of(f));
                pvs.add(List.of(p));
                if (oldF != null) {
                    functions.remove(List.of(oldF));
                    pvs.remove(List.of(oldP));
                }
                fn.set(f);
                var.set(p);
            }
        }), "updater");
        reloader.start();
        updater.start();
        for (int round = 0; round < rounds; round++) {
            start.await(10, TimeUnit.SECONDS);
            done.await(10, TimeUnit.SECONDS);
            if (failure.get() != null) {
                throw new AssertionError("round " + round, failure.get());
            }
            Script s = binding.script();
            FunctionExport visible = functions.find("hello").orElse(null);
            assertSame(fn.get(), visible);
            assertEquals(2, s.calls.stream().filter(c -> c.name.equals("hello")).count());
            for (FunctionCall c : s.calls) {
                if (c.name.equals("hello")) {
                    assertSame(visible, c.export(), "round " + round + ": " + c.site());
                }
            }
            PseudoVariableExport visiblePv = pvs.find("hello").orElse(null);
            for (Pv p : s.modulePvs) {
                assertSame(visiblePv, p.export(), "round " + round + ": " + p);
            }
        }
        reloader.join(10_000);
        updater.join(10_000);
        assertNotNull(binding.script());
        assertTrue(swaps.get() > rounds / 2, swaps + " reloads swapped in, " + refused + " refused");
    }

    /** Runs {@code step} 0–3 times per round, between the two barriers. */
    private static void loop(int rounds, CyclicBarrier start, CyclicBarrier done, AtomicReference<Throwable> failure,
            Runnable step) {
        try {
            for (int i = 0; i < rounds; i++) {
                start.await(10, TimeUnit.SECONDS);
                try {
                    for (int n = ThreadLocalRandom.current().nextInt(4); n > 0; n--) {
                        step.run();
                    }
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
                done.await(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }
}
