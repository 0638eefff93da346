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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20 end to end, as a module author outside this repository: the SDK artifacts of this build
 * (parent pom, core, siphon-api, siphon-test, the archetype, the distribution's tar.gz) are installed
 * in the local Maven repository and {@code archetype:generate} makes the greeter module in a
 * temporary folder (one Maven run); {@code mvn verify} builds it there, its unit test and its
 * embedded-server test ({@code GreeterIT}) included; its jar dropped in a running distribution's
 * {@code deploy/} exports greeter(), $greeter and greeter.hello, a script using greeter() answers,
 * and removing the jar takes the exports away. And {@code examples/hello} is exactly what the
 * archetype makes for module hello, so the two cannot drift.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SdkArchetypeIT {

    private static final String VERSION = System.getProperty("siphon.version", "0.1.0-SNAPSHOT");
    private static final String ARCHETYPE = "org.apache.maven.plugins:maven-archetype-plugin:3.2.1:generate";

    @TempDir
    static Path dir;

    private static final Path ROOT = Paths.get(System.getProperty("siphon.root", "..")).toAbsolutePath().normalize();

    /**
     * mvn with the build's local repository, offline when the build is; fails with its output unless
     * it ends with 0 within 3 minutes.
     */
    private static void mvn(Path in, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mvn", "-B", "-q"));
        if (!System.getProperty("siphon.mvn.offline", "offline=true").endsWith("=false")) {
            cmd.add("-o");
        }
        String repo = System.getProperty("siphon.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "mvn", ".out");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(cmd + " still running after 180 s:\n" + Files.readString(out));
        }
        assertEquals(0, p.exitValue(), cmd + " failed:\n" + Files.readString(out));
        System.out.println("[SdkArchetypeIT] " + String.join(" ", args).replaceAll("(\\S{60})\\S+", "$1...") + ": "
                + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** {@code archetype:generate} arguments for a module project. */
    private static List<String> generate(Path into, String groupId, String artifactId, String version, String module, String... more) {
        List<String> a = new ArrayList<>(List.of(ARCHETYPE, "-DoutputDirectory=" + into,
                "-DarchetypeGroupId=org.siphon", "-DarchetypeArtifactId=siphon-module-archetype", "-DarchetypeVersion=" + VERSION,
                "-DgroupId=" + groupId, "-DartifactId=" + artifactId, "-Dversion=" + version, "-Dmodule=" + module));
        a.addAll(List.of(more));
        return a;
    }

    /**
     * A pom whose {@code validate} installs what this build made of the SDK (mvn verify does not
     * install): one install-file execution per artifact, every coordinate explicit (the command
     * line's -DgroupId is the generated module's).
     */
    private static Path sdkInstallPom() throws Exception {
        StringBuilder executions = new StringBuilder();
        String[][] artifacts = {
                { "parent", "pom.xml", "pom.xml", "siphon-parent", "pom" },
                { "core", "core-bundle/target/core-bundle-" + VERSION + ".jar", "core-bundle/pom.xml", "core-bundle", "jar" },
                { "api", "api/target/siphon-api-" + VERSION + ".jar", "api/pom.xml", "siphon-api", "jar" },
                { "test", "test-support/target/siphon-test-" + VERSION + ".jar", "test-support/pom.xml", "siphon-test", "jar" },
                { "archetype", "archetype/target/siphon-module-archetype-" + VERSION + ".jar", "archetype/pom.xml", "siphon-module-archetype", "jar" },
                { "distribution", "distribution/target/siphon-" + VERSION + ".tar.gz", "distribution/pom.xml", "distribution", "tar.gz" } };
        for (String[] a : artifacts) {
            Path file = ROOT.resolve(a[1]);
            assertTrue(Files.isRegularFile(file), file + " not built: run mvn verify from the top");
            executions.append("<execution><id>").append(a[0]).append("</id><phase>validate</phase><goals><goal>install-file</goal></goals>")
                    .append("<configuration><file>").append(file).append("</file><pomFile>").append(ROOT.resolve(a[2]))
                    .append("</pomFile><groupId>org.siphon</groupId><artifactId>").append(a[3]).append("</artifactId><version>")
                    .append(VERSION).append("</version><packaging>").append(a[4]).append("</packaging></configuration></execution>\n");
        }
        Path pom = Files.createDirectories(dir.resolve("sdk")).resolve("pom.xml");
        Files.writeString(pom, "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
                + "<groupId>org.siphon.itests</groupId><artifactId>sdk-install</artifactId><version>1</version><packaging>pom</packaging>"
                + "<build><plugins><plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId>"
                + "<version>3.1.3</version><executions>\n" + executions + "</executions></plugin></plugins></build></project>\n");
        return pom;
    }

    @Test
    @Order(1)
    void aGeneratedModuleBuildsOutsideTheReactorAndRunsFromDeploy() throws Exception {
        long t0 = System.nanoTime();
        Path work = Files.createDirectories(dir.resolve("work"));
        List<String> installAndGenerate = new ArrayList<>(List.of("-f", sdkInstallPom().toString(), "validate"));
        installAndGenerate.addAll(generate(work, "com.example", "greeter", "1.0.0", "greeter"));
        mvn(dir, installAndGenerate.toArray(String[]::new));
        Path project = work.resolve("greeter");
        assertTrue(Files.readString(project.resolve("README.md")).contains("## Functions"));
        assertTrue(Files.isRegularFile(project.resolve(".gitignore")));
        mvn(project, "verify");
        Path jar = project.resolve("target/greeter-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar), "no " + jar);
        for (String report : List.of("surefire-reports/TEST-com.example.greeter.GreeterComponentTest.xml",
                "failsafe-reports/TEST-com.example.greeter.GreeterIT.xml")) {
            String xml = Files.readString(project.resolve("target").resolve(report));
            assertTrue(xml.contains("failures=\"0\"") && xml.contains("errors=\"0\"") && !xml.contains("tests=\"0\""), report + ":\n" + xml);
        }
        System.out.println("[SdkArchetypeIT] install, generate, verify: " + (System.nanoTime() - t0) / 1_000_000 + " ms");

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

    /**
     * examples/hello is the archetype's output for module hello, file by file (its target/ aside):
     * a change to the archetype must come with examples/hello regenerated, and the other way round.
     */
    @Test
    @Order(2)
    void examplesHelloIsWhatTheArchetypeMakes() throws Exception {
        Path out = Files.createDirectories(dir.resolve("hello"));
        mvn(out, generate(out, "org.siphon", "example-hello", VERSION, "hello", "-Dpackage=org.siphon.example.hello").toArray(String[]::new));
        Path generated = out.resolve("example-hello");
        Path example = ROOT.resolve("examples/hello");
        String regenerate = "regenerate it: cd $(mktemp -d) && mvn " + ARCHETYPE + " -DarchetypeGroupId=org.siphon"
                + " -DarchetypeArtifactId=siphon-module-archetype -DarchetypeVersion=" + VERSION + " -DgroupId=org.siphon"
                + " -DartifactId=example-hello -Dversion=" + VERSION + " -Dmodule=hello -Dpackage=org.siphon.example.hello"
                + " && rm -r " + example + "/{pom.xml,README.md,.gitignore,src} && cp -r example-hello/. " + example;
        Map<String, String> want = files(generated);
        Map<String, String> have = files(example);
        assertEquals(want.keySet(), have.keySet(), "examples/hello has other files than the archetype makes; " + regenerate);
        for (Map.Entry<String, String> f : want.entrySet()) {
            assertEquals(f.getValue(), have.get(f.getKey()), "examples/hello/" + f.getKey() + " is not what the archetype makes; " + regenerate);
        }
    }

    /** Every file under {@code root} but target/, by relative path, with its text. */
    private static Map<String, String> files(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith("target/")) {
                    files.put(rel, Files.readString(p));
                }
            }
        }
        return files;
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
