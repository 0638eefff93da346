package org.siphon.test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.jar.JarFile;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.siphon.core.internal.jsonrpc.Json;

/**
 * A Siphon server inside the test's JVM: an OSGi framework (the first {@link FrameworkFactory} on
 * the class path, e.g. {@code org.apache.felix.framework}) with a distribution's boot set
 * ({@code bundle/}) and the module jars under test, a routing script of the test's own, UDP on
 * 127.0.0.1 and JSON-RPC on 127.0.0.1 (free ports). {@link Builder#start()} returns once the script
 * is loaded and every call in it is bound, or fails saying why; every wait is bounded.
 *
 * <p>The test talks to it from outside, as a phone and an operator would: SIP to {@link #sipPort()}
 * (e.g. with {@link LoopbackPeer}) and {@link #rpc}. The bundles' classes are not the test's (two
 * class spaces): do not pass objects between them. The SSH console and its SSH server are left out
 * unless {@link Builder#withSshConsole()}. One test thread; {@link #close()} stops the framework.
 */
public final class EmbeddedSiphon implements AutoCloseable {

    /** The distribution to take the boot set from, when the builder is not given one. */
    public static final String DISTRIBUTION_PROPERTY = "siphon.distribution";

    private static final Set<String> SSH_BUNDLES = Set.of("org.siphon.shell.ssh", "org.apache.sshd.osgi");

    /** An error answer of JSON-RPC: its code (Kamailio's, e.g. -32601 for an unknown method) and message. */
    public static final class RpcError extends Exception {
        private static final long serialVersionUID = 1L;
        private final long code;

        RpcError(long code, String message) {
            super(code + " " + message);
            this.code = code;
        }

        /** The JSON-RPC error code. */
        public long code() {
            return code;
        }
    }

    /** How to boot: the distribution, module jars, the script, more framework properties. */
    public static final class Builder {
        private final Path distribution;
        private final List<Path> modules = new ArrayList<>();
        private final Map<String, String> properties = new HashMap<>();
        private Path workDir;
        private String script;
        private boolean ssh;
        private Duration timeout = Duration.ofSeconds(30);

        private Builder(Path distribution) {
            this.distribution = distribution;
        }

        /** A module bundle (a jar, or a folder with {@code META-INF/MANIFEST.MF}) installed with the boot set. */
        public Builder module(Path jar) {
            modules.add(jar.toAbsolutePath());
            return this;
        }

        /** The routing script's text (default: the distribution's {@code config/siphon.cfg}). */
        public Builder script(String text) {
            this.script = text;
            return this;
        }

        /** The server's home (database under {@code data/}, {@code deploy/}, the framework cache); default a new temporary folder. */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        /** A framework property (e.g. {@code siphon.define.WITH_AUTH}); overrides this class's own. */
        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        /** Installs the SSH console too (it listens on 127.0.0.1:8101 unless configured). */
        public Builder withSshConsole() {
            this.ssh = true;
            return this;
        }

        /** How long {@link #start()} waits for RPC and a settled script (default 30 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Boots and waits until the script is loaded and bound; throws with the reason if not within the timeout. */
        public EmbeddedSiphon start() throws Exception {
            return EmbeddedSiphon.start(this);
        }
    }

    private final Framework framework;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI rpcUri;
    private final int sipPort;
    private final Path home;

    private EmbeddedSiphon(Framework framework, int rpcPort, int sipPort, Path home) {
        this.framework = framework;
        this.rpcUri = URI.create("http://127.0.0.1:" + rpcPort + "/RPC");
        this.sipPort = sipPort;
        this.home = home;
    }

    /** Boots the distribution in {@code dist} (its root: {@code bundle/}, {@code config/}). */
    public static Builder distribution(Path dist) {
        return new Builder(dist);
    }

    /** Boots the distribution named by system property {@value #DISTRIBUTION_PROPERTY}. */
    public static Builder distribution() {
        String d = System.getProperty(DISTRIBUTION_PROPERTY);
        if (d == null || d.isBlank()) {
            throw new IllegalStateException("system property " + DISTRIBUTION_PROPERTY + " names no distribution (the unpacked org.siphon:distribution tar.gz)");
        }
        return new Builder(Paths.get(d));
    }

    private static EmbeddedSiphon start(Builder b) throws Exception {
        Path dist = b.distribution.toAbsolutePath().normalize();
        Path bundles = dist.resolve("bundle");
        if (!Files.isDirectory(bundles)) {
            throw new IllegalStateException("no distribution at " + dist + " (no bundle/ folder)");
        }
        Path home = (b.workDir != null ? b.workDir : Files.createTempDirectory("siphon-embedded")).toAbsolutePath();
        Files.createDirectories(home.resolve("deploy"));
        Path cfg = dist.resolve("config/siphon.cfg");
        if (b.script != null) {
            cfg = home.resolve("siphon.cfg");
            Files.writeString(cfg, b.script);
        }
        int rpcPort = freePort();
        int sipPort = freePort();
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, home.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("org.osgi.framework.bsnversion", "multiple");
        config.put("siphon.rpc", "127.0.0.1:" + rpcPort);
        config.put("siphon.listen.0", "udp:127.0.0.1:" + sipPort);
        config.put("siphon.cfg", cfg.toString());
        config.put("siphon.home", home.toString());
        config.put("siphon.deploy.dir", home.resolve("deploy").toString());
        config.put("gosh.args", "--nointeractive");
        config.putAll(b.properties);
        System.setProperty("gosh.home", dist.toString());
        System.setProperty("org.jline.terminal.dumb", "true");

        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (add org.apache.felix:org.apache.felix.framework, test scope)"));
        Framework fw = factory.newFramework(config);
        // the boot set is installed and marked for start before the framework starts, as the launcher does:
        // the script then loads once, when every module is there (not first without them)
        fw.init();
        EmbeddedSiphon siphon = new EmbeddedSiphon(fw, rpcPort, sipPort, home);
        try {
            List<Path> jars = new ArrayList<>();
            try (var list = Files.list(bundles)) {
                list.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(jars::add);
            }
            jars.addAll(b.modules);
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : jars) {
                if (b.ssh || !SSH_BUNDLES.contains(symbolicName(jar))) {
                    installed.add(ctx.installBundle(location(jar)));
                }
            }
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            fw.start();
            long deadline = System.nanoTime() + b.timeout.toNanos();
            if (!waitUntil(deadline, siphon::answers)) {
                throw new IllegalStateException("JSON-RPC on 127.0.0.1:" + rpcPort + " did not answer within " + b.timeout);
            }
            if (!waitUntil(deadline, siphon::settled)) {
                throw new IllegalStateException("the script did not load and bind within " + b.timeout + ": " + siphon.rpc("cfg.status"));
            }
            return siphon;
        } catch (Exception | Error e) {
            siphon.close();
            throw e;
        }
    }

    private static String location(Path jar) {
        // a folder (target/classes with the bnd manifest) is installed in place
        return Files.isDirectory(jar) ? "reference:" + jar.toUri() : jar.toUri().toString();
    }

    private static String symbolicName(Path jar) throws IOException {
        if (Files.isDirectory(jar)) {
            return "";
        }
        try (JarFile f = new JarFile(jar.toFile())) {
            String bsn = f.getManifest() == null ? null : f.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            return bsn == null ? "" : bsn.split(";")[0].trim();
        }
    }

    /** A free TCP port on this host (also free for UDP in practice; the framework binds it a moment later). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls {@code condition} every 50 ms until it holds or the time is over; whether it held. */
    public static boolean waitFor(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        return waitUntil(System.nanoTime() + timeout.toNanos(), condition);
    }

    private static boolean waitUntil(long deadline, BooleanSupplier condition) throws InterruptedException {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(50);
        }
    }

    /** The UDP port the server listens on, at 127.0.0.1. */
    public int sipPort() {
        return sipPort;
    }

    /** The server's home folder (its {@code data/}, {@code deploy/}). */
    public Path home() {
        return home;
    }

    /** The framework, for a test that must look inside (bundle states); its services are not the test's classes. */
    public Framework framework() {
        return framework;
    }

    /**
     * Calls an RPC command over JSON-RPC 2.0 and returns its result as JSON values: {@code Map},
     * {@code List}, {@code String}, {@code Long}/{@code Double}, {@code Boolean} or null.
     *
     * @throws RpcError the command's error answer
     * @throws IOException no answer, or not HTTP 200, within 30 s
     */
    public Object rpc(String method, Object... params) throws Exception {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("jsonrpc", "2.0");
        request.put("id", 1);
        request.put("method", method);
        request.put("params", List.of(params));
        HttpRequest post = HttpRequest.newBuilder(rpcUri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request))).build();
        HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + ": " + response.body());
        }
        Map<?, ?> answer = (Map<?, ?>) Json.parse(response.body());
        if (answer.get("error") instanceof Map<?, ?> error) {
            throw new RpcError(((Number) error.get("code")).longValue(), String.valueOf(error.get("message")));
        }
        return answer.get("result");
    }

    private boolean answers() {
        try {
            rpc("core.version");
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** cfg.status: the script loaded, every call bound, no module draining. */
    public boolean settled() {
        try {
            Map<?, ?> status = (Map<?, ?>) rpc("cfg.status");
            return Boolean.TRUE.equals(status.get("loaded")) && ((List<?>) status.get("unbound_calls")).isEmpty()
                    && ((List<?>) status.get("modules")).stream().noneMatch(m -> "draining".equals(((Map<?, ?>) m).get("state")));
        } catch (Exception e) {
            return false;
        }
    }

    /** Stops the framework (every module deactivates) and waits up to 20 s for it. */
    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(20_000);
    }
}
