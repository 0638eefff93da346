package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM options {@code bin/siphon} starts the server with, as {@code --print-java-opts} shows them:
 * the tuned defaults of docs/benchmarks.md ("JVM settings"), the heap sized from Kamailio's memory
 * settings (-m/-M, shm_mem_size/pkg_mem_size), JAVA_OPTS after them; and the installed JVM accepts them.
 */
class JavaOptionsIT {

    @TempDir
    Path dir;

    private record Out(int exitCode, List<String> lines, String err) {
    }

    private static Out siphon(String javaOpts, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SiphonServer.distribution().resolve("bin/siphon").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            pb.environment().put("JAVA_OPTS", javaOpts);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " hung");
        }
        return new Out(p.exitValue(), out.isBlank() ? List.of() : List.of(out.strip().split("\n")), err);
    }

    private static boolean thpOffered() throws Exception {
        Path f = Paths.get("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(f) && Files.readString(f).matches("(?s).*\\[(madvise|always)\\].*");
    }

    /** The tuned defaults for a heap of {@code heapMb}, in bin/siphon's order. */
    private static List<String> tuned(int heapMb) throws Exception {
        List<String> o = new ArrayList<>(List.of("-Xms" + heapMb + "m", "-Xmx" + heapMb + "m", "-XX:+AlwaysPreTouch"));
        if (thpOffered()) {
            o.add("-XX:+UseTransparentHugePages");
        }
        o.addAll(List.of("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=5", "-XX:MaxTenuringThreshold=0",
                "-XX:-ClassUnloadingWithConcurrentMark", "-Xmn16m", "-XX:MetaspaceSize=64m", "-Dio.netty.leakDetection.level=disabled"));
        return o;
    }

    @Test
    void theDefaultConfigGivesTheTunedSettingsWithA320MiBHeap() throws Exception {
        // config/siphon.cfg: shm_mem_size=256, pkg_mem_size=64
        Out r = siphon(null, "--print-java-opts");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(tuned(320), r.lines());
    }

    @Test
    void aScriptWithoutMemorySettingsGetsKamailioLikeDefaultsOf256And64() throws Exception {
        Path cfg = Files.writeString(dir.resolve("plain.cfg"), "request_route {\n  drop;\n}\n");
        assertEquals(tuned(320), siphon(null, "-f", cfg.toString(), "--print-java-opts").lines());
    }

    @Test
    void theHeapIsSharedPlusPrivateMemoryFromTheScriptOrFromMinusMAndMinusCapitalM() throws Exception {
        Path cfg = Files.writeString(dir.resolve("mem.cfg"),
                "#!KAMAILIO\nshm_mem_size = 128   # shared\npkg_mem_size=32\nrequest_route {\n  drop;\n}\n");
        assertEquals(tuned(160), siphon(null, "-f", cfg.toString(), "--print-java-opts").lines());
        // the options win over the script, each on its own
        assertEquals(tuned(232), siphon(null, "-f", cfg.toString(), "-m", "200", "--print-java-opts").lines());
        assertEquals(tuned(72), siphon(null, "-f", cfg.toString(), "-m", "64", "-M", "8", "--print-java-opts").lines());
    }

    @Test
    void javaOptsComeLastAndTheirOwnHeapOrCollectorReplacesTheDefaults() throws Exception {
        List<String> leak = siphon("-Dio.netty.leakDetection.level=paranoid", "--print-java-opts").lines();
        List<String> expected = new ArrayList<>(tuned(320));
        expected.add("-Dio.netty.leakDetection.level=paranoid");
        assertEquals(expected, leak);

        List<String> own = siphon("-Xmx1g -XX:+UseZGC", "-m", "512", "--print-java-opts").lines();
        List<String> kept = new ArrayList<>(List.of("-XX:+AlwaysPreTouch"));
        if (thpOffered()) {
            kept.add("-XX:+UseTransparentHugePages");
        }
        kept.addAll(List.of("-XX:MetaspaceSize=64m", "-Dio.netty.leakDetection.level=disabled", "-Xmx1g", "-XX:+UseZGC"));
        assertEquals(kept, own);
    }

    @Test
    void badOrTooSmallMemoryIsRefusedWithExitCode2() throws Exception {
        Out small = siphon(null, "-m", "32", "-M", "8", "--print-java-opts");
        assertEquals(2, small.exitCode());
        assertTrue(small.err().contains("40 MiB") && small.err().contains("at least 64 MiB"), small.err());
        assertEquals(List.of(), small.lines());
        Out bad = siphon(null, "-m", "1g", "--print-java-opts");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("sizes in MiB"), bad.err());
        assertEquals(2, siphon(null, "-M").exitCode());
    }

    @Test
    void theInstalledJvmAcceptsTheDefaults() throws Exception {
        List<String> cmd = new ArrayList<>();
        String home = System.getenv("JAVA_HOME");
        cmd.add(home != null && Files.isExecutable(Paths.get(home, "bin/java")) ? Paths.get(home, "bin/java").toString() : "java");
        cmd.addAll(tuned(72));
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "java -version hung");
        assertEquals(0, p.exitValue(), out);
        assertTrue(!out.contains("warning") && !out.contains("Unrecognized"), out);
    }
}
