package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A config that does not load at start, as Kamailio treats one: syntax errors stop the server
 * with exit 1 and the errors; a config that only waits for modules not installed yet starts on
 * its own {@code listen=} socket, says which modules it waits for, and loads by itself when they
 * come (here: through {@code deploy/}).
 */
class StartupIT {

    @TempDir
    Path dir;

    @Test
    void aSyntaxErrorStopsTheServerWithExit1() throws Exception {
        Path home = dir.resolve("siphon");
        SiphonServer.copyTree(SiphonServer.distribution(), home);
        Path cfg = dir.resolve("broken.cfg");
        Files.writeString(cfg, "loadmodule \"sl.so\"\nrequest_route {\n  sl_send_reply(\"200\", \"OK\"\n}\n");
        Process p = new ProcessBuilder(home.resolve("bin/siphon").toString(), "-f", cfg.toString(), "--rpc",
                "127.0.0.1:" + SiphonServer.freePort(), "-l", "udp:127.0.0.1:" + SiphonServer.freePort())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true)
                .redirectOutput(home.resolve("launcher.out").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the server kept running on a broken script");
        }
        assertEquals(1, p.exitValue());
        String log = Files.readString(home.resolve("logs/siphon.log"));
        assertTrue(log.contains("broken.cfg:4:1: unexpected") && log.contains("stopping (exit 1)"), log);
    }

    @Test
    void aScriptWaitingForAModuleListensOnItsOwnSocketAndLoadsWhenTheModuleComes() throws Exception {
        int sip = SiphonServer.freePort();
        Path cfg = dir.resolve("waits.cfg");
        Files.writeString(cfg, "listen=udp:127.0.0.1:" + sip + "\nloadmodule \"sl.so\"\nloadmodule \"hello.so\"\n"
                + "modparam(\"hello\", \"greeting\", \"hi\")\n"
                + "request_route {\n  hello(\"caller\");\n  sl_send_reply(\"200\", \"Hello There\");\n}\n");
        try (SiphonServer server = SiphonServer.start(dir, "-f", cfg.toString()); UdpPeer ua = new UdpPeer()) {
            assertTrue(SiphonServer.waitFor(10_000, () -> logHas(server, "waits for module(s) [hello]")), server.log());
            ua.send(UdpPeer.request("OPTIONS", "sip:x@127.0.0.1:" + sip, ua.port(), "w-1", 1, "z9hG4bKw1", ""), sip);
            String reply = ua.receive("SIP/2.0", 3000);
            assertNotNull(reply, "the config's own listen= socket answers");
            assertEquals(500, UdpPeer.status(reply), reply);
            Files.copy(SiphonServer.helloJar(), server.home.resolve("deploy/hello.jar"));
            assertTrue(SiphonServer.waitFor(15_000, () -> {
                try {
                    return Boolean.TRUE.equals(((Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
                } catch (Exception e) {
                    return false;
                }
            }), "the script loaded once hello came: " + server.log());
            ua.send(UdpPeer.request("OPTIONS", "sip:x@127.0.0.1:" + sip, ua.port(), "w-2", 1, "z9hG4bKw2", ""), sip);
            assertNotNull(ua.receive("SIP/2.0 200 Hello There", 3000));
            assertTrue(server.log().lines().noneMatch(l -> l.contains(" ERROR ")),
                    "waiting is not an error: " + List.of(server.log().lines().filter(l -> l.contains(" ERROR ")).toArray()));
        }
    }

    static boolean logHas(SiphonServer server, String text) {
        try {
            return server.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
