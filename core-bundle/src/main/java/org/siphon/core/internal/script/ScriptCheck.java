package org.siphon.core.internal.script;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.siphon.core.module.ModuleService;

/**
 * {@code bin/siphon -c}: compiles the routing script with the modules of {@code bundle/} and
 * {@code deploy/}, writes the result (warnings, errors, a summary line) to the given stream, the
 * command's standard output, and returns the exit code: 0 fine, 1 errors, 2 interrupted. It waits
 * on the framework's state, never on a clock: first until every jar in {@code deploy/} is an
 * installed bundle and every active module exports (15 s at most, so a module that is merely slow
 * is not reported beside a real error), then, while the only problem is modules that are installed
 * but not exporting yet, compiles again as they come (60 s at most). Runs on its own thread.
 */
final class ScriptCheck {

    private static final long SETTLE_NANOS = 15_000_000_000L;
    private static final long STARTING_NANOS = 60_000_000_000L;

    private final ScriptEngine engine;
    private final ModuleService modules;
    private final BundleContext context;
    private final Path file;
    private final Map<String, String> defines;
    private final PrintStream out;

    ScriptCheck(ScriptEngine engine, ModuleService modules, BundleContext context, Path file, Map<String, String> defines,
            PrintStream out) {
        this.engine = engine;
        this.modules = modules;
        this.context = context;
        this.file = file;
        this.defines = defines;
        this.out = out;
    }

    int run() {
        try {
            long t0 = System.nanoTime();
            waitUntil(t0 + SETTLE_NANOS, () -> deployInstalled() && modulesSettled());
            while (true) {
                try {
                    Script s = engine.load(file, defines);
                    s.warnings().forEach(w -> out.println("warning: " + w));
                    out.println(file + ": OK (" + s.modules().size() + " module(s): " + s.modules() + ")");
                    return 0;
                } catch (ScriptException e) {
                    if (!startingModulesOnly(e) || System.nanoTime() - t0 > STARTING_NANOS) {
                        e.problems().forEach(out::println);
                        out.println(file + ": " + e.problems().size() + " error(s)");
                        return 1;
                    }
                    waitUntil(System.nanoTime() + 1_000_000_000L, () -> !startingModulesOnly(e) || modulesSettled());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code deadline} (System.nanoTime) passes. */
    private static void waitUntil(long deadline, BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** Every jar of {@code deploy/} is installed (FileInstall has read the folder). */
    private boolean deployInstalled() {
        Path deploy = Path.of("deploy");
        if (!Files.isDirectory(deploy)) {
            return true;
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(deploy, "*.jar")) {
            jars.forEach(j -> names.add(j.getFileName().toString()));
        } catch (IOException e) {
            return true;
        }
        for (Bundle b : context.getBundles()) {
            String location = b.getLocation();
            names.removeIf(n -> location.endsWith("/" + n) || location.endsWith("\\" + n));
        }
        return names.isEmpty();
    }

    /** Every module that is active exports already. */
    private boolean modulesSettled() {
        return modules.list().stream().allMatch(m -> m.exporting() || !"active".equals(m.state()));
    }

    /** Whether the script is fine but for modules it needs that are installed but not exporting yet. */
    private boolean startingModulesOnly(ScriptException e) {
        return !e.waitingFor().isEmpty() && e.waitingFor().stream().allMatch(name -> modules.find(name).isPresent());
    }
}
