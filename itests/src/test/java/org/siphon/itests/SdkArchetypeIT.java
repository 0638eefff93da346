package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 end to end, as a module author outside this repository: the SDK artifacts of this build
 * are installed in the local Maven repository, {@code archetype:generate} makes the greeter module in
 * a temporary folder, {@code mvn -o package} builds it there (its unit test included), its jar dropped
 * in a running distribution's {@code deploy/} exports greeter(), $greeter and greeter.hello, a script
 * using greeter() answers, and removing the jar takes the exports away.
 */
class SdkArchetypeIT {

    private static final String VERSION = System.getProperty("siphon.version", "0.1.0-SNAPSHOT");

    @TempDir
    static Path dir;

    private static final Path ROOT = Paths.get(System.getProperty("siphon.root", "..")).toAbsolutePath().normalize();

    /** mvn with the build's local repository, offline; fails with its output unless it ends with 0 within 3 minutes. */
    private static void mvn(Path in, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-o", "-q"));
        String repo = System.getProperty("siphon.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "mvn", ".out");
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " still running after 180 s:\n" + Files.readString(out));
        }
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + Files.readString(out));
    }

    /** Installs what this build made of the SDK (mvn verify does not install): parent pom, core, API, test support, archetype. */
    private static void installSdk() throws Exception {
        mvn(ROOT, "install:install-file", "-Dfile=pom.xml", "-DpomFile=pom.xml", "-Dpackaging=pom");
        for (String[] a : new String[][] {
                { "core-bundle", "core-bundle" }, { "api", "siphon-api" }, { "test-support", "siphon-test" },
                { "archetype", "siphon-module-archetype" } }) {
            Path jar = ROOT.resolve(a[0] + "/target/" + a[1] + "-" + VERSION + ".jar");
            assertTrue(Files.isRegularFile(jar), jar + " not built: run mvn verify from the top");
            mvn(ROOT, "install:install-file", "-Dfile=" + jar, "-DpomFile=" + a[0] + "/pom.xml", "-Dpackaging=jar");
        }
    }

    @Test
    void aGeneratedModuleBuildsOutsideTheReactorAndRunsFromDeploy() throws Exception {
        long t0 = System.nanoTime();
        installSdk();
        Path work = Files.createDirectories(dir.resolve("work"));
        mvn(work, "org.apache.maven.plugins:maven-archetype-plugin:3.2.1:generate",
                "-DarchetypeGroupId=org.siphon", "-DarchetypeArtifactId=siphon-module-archetype", "-DarchetypeVersion=" + VERSION,
                "-DgroupId=com.example", "-DartifactId=greeter", "-Dversion=1.0.0", "-Dmodule=greeter");
        Path project = work.resolve("greeter");
        assertTrue(Files.readString(project.resolve("README.md")).contains("## Functions"));
        mvn(project, "package");
        Path jar = project.resolve("target/greeter-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar);
        System.out.println("[SdkArchetypeIT] install, generate, package: " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        int sip = SiphonServer.freePort();
        Path cfg = dir.resolve("greeter.cfg");
        Files.writeString(cfg, script(false));
        try (SiphonServer server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sip).awaitSettled();
                UdpPeer peer = new UdpPeer()) {
            Files.copy(jar, server.home.resolve("deploy/greeter-1.0.0.jar"));
            assertTrue(SiphonServer.waitFor(10_000, () -> has(server, "greeter.hello")), "greeter.hello not there 10 s after deploy");
            Map<?, ?> hello = (Map<?, ?>) server.rpc.call("greeter.hello");
            assertEquals("Hello from greeter", hello.get("greeting"));
            Map<?, ?> exports = (Map<?, ?>) server.rpc.call("module.exports", "greeter");
            assertTrue(exports.toString().contains("$greeter"), exports.toString());

            Files.writeString(cfg, script(true));
            server.rpc.call("cfg.reload");
            server.awaitSettled();
            peer.send(options(peer.port(), sip), sip);
            String reply = peer.receive("SIP/2.0", 5_000);
            assertTrue(reply != null && reply.startsWith("SIP/2.0 200 Hello from greeter"), "reply: " + reply);
            assertTrue(SiphonServer.waitFor(5_000, () -> logHas(server, "Hello from greeter")), "greeter() logged nothing");

            Files.delete(server.home.resolve("deploy/greeter-1.0.0.jar"));
            assertTrue(SiphonServer.waitFor(10_000, () -> !has(server, "greeter.hello")), "greeter.hello still there 10 s after removal");
            assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("greeter.hello"));
            System.out.println("[SdkArchetypeIT] total: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    private static String script(boolean withGreeter) {
        return "loadmodule \"sl\"\n" + (withGreeter ? "loadmodule \"greeter\"\n" : "")
                + "request_route {\n"
                + (withGreeter ? "    if (greeter()) {\n        sl_send_reply(\"200\", \"$greeter\");\n        exit;\n    }\n" : "")
                + "    sl_send_reply(\"404\", \"Not here\");\n}\n";
    }

    private static String options(int from, int to) {
        return "OPTIONS sip:greeter@127.0.0.1:" + to + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + from + ";branch=z9hG4bK-sdk1\r\n"
                + "From: <sip:it@127.0.0.1>;tag=s1\r\nTo: <sip:greeter@127.0.0.1>\r\n"
                + "Call-ID: sdk-archetype-1\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    }

    private static boolean has(SiphonServer server, String rpc) {
        try {
            return server.rpc.call("system.listMethods").toString().contains(rpc);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean logHas(SiphonServer server, String text) {
        try {
            return server.log().contains(text);
        } catch (Exception e) {
            return false;
        }
    }
}
