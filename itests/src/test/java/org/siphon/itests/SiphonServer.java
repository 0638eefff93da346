package org.siphon.itests;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The real distribution run as a process by its own {@code bin/siphon}, from a private copy so
 * that tests cannot disturb each other or the build's copy. Started without a terminal, it runs
 * as a daemon and logs to {@code logs/siphon.log}.
 */
final class SiphonServer implements AutoCloseable {

    /** What a command printed and how it ended. */
    record Run(int exitCode, String out, String err) {
    }

    final Path home;
    final int rpcPort;
    final RpcClient rpc;
    final long startupMillis;
    private final Process process;

    private SiphonServer(Path home, int rpcPort, Process process, long startupMillis) {
        this.home = home;
        this.rpcPort = rpcPort;
        this.rpc = new RpcClient(rpcPort);
        this.process = process;
        this.startupMillis = startupMillis;
    }

    /** The built distribution, {@code distribution/target/siphon}. */
    static Path distribution() {
        Path dist = Paths.get(System.getProperty("siphon.dist", "../distribution/target/siphon"));
        if (!Files.isExecutable(dist.resolve("bin/siphon"))) {
            throw new IllegalStateException("no distribution at " + dist.toAbsolutePath() + ": run mvn verify from the top");
        }
        return dist;
    }

    static Path helloJar() {
        return Paths.get(System.getProperty("siphon.hello.jar"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Copies the distribution under {@code dir} and starts it; returns once RPC answers. */
    static SiphonServer start(Path dir, String... extraArgs) throws Exception {
        return start(dir, home -> { }, extraArgs);
    }

    /** As above; {@code prepare} may write files into the home (e.g. {@code config/*.cfg}) before it starts. */
    static SiphonServer start(Path dir, java.util.function.Consumer<Path> prepare, String... extraArgs) throws Exception {
        Path home = dir.resolve("siphon");
        copyTree(distribution(), home);
        // several test servers run at once (and an operator's may run here too): no SSH console unless a test asks
        Files.writeString(home.resolve("config/org.siphon.shell.ssh.cfg"), "port = 0\n");
        prepare.accept(home);
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/siphon").toString(), "--rpc", "127.0.0.1:" + port));
        cmd.addAll(List.of(extraArgs));
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // bin/siphon turns Netty's leak detector off (the server as shipped); tests keep it on
        pb.environment().merge("JAVA_OPTS", "-Dio.netty.leakDetection.level=simple", (a, b) -> a + " " + b);
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(home.resolve("launcher.out").toFile()).start();
        SiphonServer server = new SiphonServer(home, port, p, 0);
        if (!waitFor(30_000, () -> !p.isAlive() || server.rpc.answers()) || !p.isAlive()) {
            String log = server.log();
            p.destroyForcibly();
            throw new IllegalStateException("siphon did not come up; log:\n" + log);
        }
        return new SiphonServer(home, port, p, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * cfg.status says the routing script is loaded, every call in it is bound to an active export
     * and no module is draining an old version: ready for traffic. (A module the script does not
     * use may still be starting, e.g. one that exports nothing until it is configured.)
     */
    boolean settled() {
        try {
            Map<?, ?> status = (Map<?, ?>) rpc.call("cfg.status");
            return Boolean.TRUE.equals(status.get("loaded")) && ((List<?>) status.get("unbound_calls")).isEmpty()
                    && ((List<?>) status.get("modules")).stream().noneMatch(m -> "draining".equals(((Map<?, ?>) m).get("state")));
        } catch (Exception e) {
            return false;
        }
    }

    /** Waits until {@link #settled()}; fails with the log if that takes more than 20 s. */
    SiphonServer awaitSettled() throws Exception {
        if (!waitFor(20_000, this::settled)) {
            throw new AssertionError("not settled within 20 s: " + rpc.call("cfg.status") + "\n" + log());
        }
        return this;
    }

    /** The bundle id of the active copy of {@code module} in cfg.status (null if none is active). */
    Object activeBundle(String module) throws Exception {
        for (Object m : (List<?>) ((Map<?, ?>) rpc.call("cfg.status")).get("modules")) {
            Map<?, ?> info = (Map<?, ?>) m;
            if (module.equals(info.get("name")) && "active".equals(info.get("state"))) {
                return info.get("bundle_id");
            }
        }
        return null;
    }

    /**
     * Waits after a module.update until a new copy of {@code module} (not bundle {@code oldBundle})
     * is active and exporting and every call of the script is bound again; the old copy may still
     * be draining.
     */
    void awaitUpdated(String module, Object oldBundle) throws Exception {
        boolean done = waitFor(20_000, () -> {
            try {
                Object now = activeBundle(module);
                return now != null && !now.equals(oldBundle)
                        && ((List<?>) ((Map<?, ?>) rpc.call("cfg.status")).get("unbound_calls")).isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        if (!done) {
            throw new AssertionError(module + " not updated within 20 s: " + rpc.call("cfg.status"));
        }
    }

    /** Runs {@code bin/siphon-ctl} against this server. */
    Run ctl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/siphon-ctl").toString(), "-s", "127.0.0.1:" + rpcPort));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " hung");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    String log() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("launcher.out", "logs/siphon.log")) {
            Path p = home.resolve(f);
            if (Files.exists(p)) {
                sb.append(Files.readString(p));
            }
        }
        return sb.toString();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL ({@code kill -9}): no shutdown code runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits; returns the exit code. */
    int stop(long timeoutMillis) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("siphon did not stop within " + timeoutMillis + " ms of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code millis} pass. */
    static boolean waitFor(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path src : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(src);
                // data/ is the server's own (framework cache, databases): a restart in the same home keeps it
                if ((rel.startsWith("data") || rel.startsWith("logs") || rel.startsWith("deploy")) && Files.isRegularFile(src)) {
                    continue;
                }
                Path dst = to.resolve(rel.toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
