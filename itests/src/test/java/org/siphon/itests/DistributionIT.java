package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.internal.jsonrpc.Json;

/**
 * The distribution as an operator runs it: {@code bin/siphon} without a terminal, administered with
 * {@code bin/siphon-ctl}, JSON-RPC and the {@code deploy/} folder, stopped with SIGTERM.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DistributionIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;

    @BeforeAll
    static void start() throws Exception {
        sipPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-l", "udp:127.0.0.1:" + sipPort, "-l", "tcp:127.0.0.1:" + sipPort);
        System.out.println("[DistributionIT] bin/siphon to first RPC answer: " + server.startupMillis + " ms");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            try {
                if (server.alive()) {
                    stopsCleanlyAfterEverything();
                }
            } finally {
                server.close();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> modules() throws Exception {
        return (List<Map<String, Object>>) server.rpc.call("module.list");
    }

    private static Map<String, Object> module(String name) throws Exception {
        return modules().stream().filter(m -> name.equals(m.get("name"))).findFirst().orElse(null);
    }

    @Test
    @Order(1)
    void siphonCtlAnswersCoreVersion() throws Exception {
        SiphonServer.Run r = server.ctl("core.version");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("siphon 0.1.0"), r.out());
    }

    @Test
    @Order(2)
    void moduleListShowsTheCoreActiveWithItsCommands() throws Exception {
        SiphonServer.Run r = server.ctl("module.list");
        assertEquals(0, r.exitCode(), r.err());
        List<?> list = (List<?>) Json.parse(r.out());
        Map<?, ?> core = (Map<?, ?>) list.stream().filter(m -> "core".equals(((Map<?, ?>) m).get("name"))).findFirst()
                .orElseThrow();
        assertEquals("core", core.get("name"));
        assertEquals("active", core.get("state"));
        assertEquals(true, core.get("exporting"));
        assertEquals(30L, core.get("rpc_commands"));
        assertEquals(1L, core.get("functions"));
        assertEquals(List.of("acc", "auth", "core", "dispatcher", "htable", "jsonrpcs", "maxfwd", "msilo", "nathelper", "permissions",
                "pike", "presence", "presence_xml", "registrar", "rr", "sanity", "siputils", "sl", "textops", "tls", "tm",
                "websocket", "xcap_server", "xhttp"),
                server.rpc.call("core.modules"));
        assertTrue(((List<?>) server.rpc.call("system.listMethods")).containsAll(List.of("core.version", "core.uptime",
                "core.modules", "system.listMethods", "module.list", "module.exports", "module.install",
                "module.uninstall", "module.update")));
        Map<?, ?> uptime = (Map<?, ?>) server.rpc.call("core.uptime");
        assertNotNull(uptime.get("up_since"));
    }

    @Test
    @Order(3)
    void aJarDroppedIntoDeployAppearsWithItsExportsAndLeavesWithThem() throws Exception {
        Path jar = server.home.resolve("deploy/hello.jar");
        Files.copy(SiphonServer.helloJar(), jar, StandardCopyOption.REPLACE_EXISTING);
        long t0 = System.nanoTime();
        // the module's service is visible a moment before the whiteboard has filled the registries
        // (functions, pseudo-variables, then RPC commands): wait for the last of them
        assertTrue(SiphonServer.waitFor(5_000, () -> exportingWith("hello", "rpc_commands", 1)),
                "hello not active with its exports within 5 s of deploy");
        System.out.println("[DistributionIT] deploy/ to exports: " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        Map<String, Object> hello = module("hello");
        assertEquals("active", hello.get("state"));
        assertEquals(1L, hello.get("functions"));
        assertEquals(1L, hello.get("pseudo_variables"));
        assertEquals(1L, hello.get("rpc_commands"));
        Map<?, ?> exports = (Map<?, ?>) server.rpc.call("module.exports", "hello");
        assertTrue(names(exports.get("functions")).contains("hello"), exports.toString());
        assertTrue(names(exports.get("pseudo_variables")).contains("$hello"), exports.toString());
        assertTrue(names(exports.get("rpc_commands")).contains("hello.hello"), exports.toString());
        String alice = server.ctl("hello.hello", "alice").out();
        assertTrue(alice.contains("Hello from hello, alice"), alice);
        assertTrue(((List<?>) server.rpc.call("core.modules")).contains("hello"));

        Files.delete(jar);
        t0 = System.nanoTime();
        assertTrue(SiphonServer.waitFor(5_000, () -> absent("hello")), "hello still listed 5 s after removal");
        System.out.println("[DistributionIT] removal from deploy/ to gone: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        RpcClient.RpcError gone = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("hello.hello"));
        assertEquals(-32601, gone.code);
        SiphonServer.Run r = server.ctl("module.exports", "hello");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no module named hello"), r.err());
    }

    /** The {@code name} of each entry of a module.exports list. */
    private static List<Object> names(Object exports) {
        return ((List<?>) exports).stream().<Object>map(e -> ((Map<?, ?>) e).get("name")).toList();
    }

    private static boolean exporting(String name) {
        try {
            Map<String, Object> m = module(name);
            return m != null && Boolean.TRUE.equals(m.get("exporting"));
        } catch (Exception e) {
            return false;
        }
    }

    /** Whether {@code name} is exporting and module.list shows {@code count} in {@code field}. */
    private static boolean exportingWith(String name, String field, long count) {
        try {
            Map<String, Object> m = module(name);
            return m != null && Boolean.TRUE.equals(m.get("exporting")) && Long.valueOf(count).equals(m.get(field));
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean absent(String name) {
        try {
            return module(name) == null;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    @Order(4)
    void moduleInstallAndUninstallThroughRpc() throws Exception {
        Map<?, ?> installed = (Map<?, ?>) server.rpc.call("module.install", SiphonServer.helloJar().toString());
        assertEquals("active", installed.get("state"));
        assertEquals(1L, installed.get("rpc_commands"));
        RpcClient.RpcError twice = assertThrows(RpcClient.RpcError.class,
                () -> server.rpc.call("module.install", SiphonServer.helloJar().toString()));
        assertEquals(409, twice.code);
        Map<?, ?> updated = (Map<?, ?>) server.rpc.call("module.update", "hello");
        assertEquals("active", updated.get("state"));
        assertEquals("Hello from hello, bob", ((Map<?, ?>) server.rpc.call("hello.hello", "bob")).get("greeting"));
        Map<?, ?> removed = (Map<?, ?>) server.rpc.call("module.uninstall", "hello");
        assertEquals("uninstalled", removed.get("state"));
        assertTrue(absent("hello"));
        assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("hello.hello"));
    }

    @Test
    @Order(5)
    void badCallsGetCleanErrorsAndSiphonCtlExitsNonZero() throws Exception {
        SiphonServer.Run unknown = server.ctl("no.such.method");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("-32601") && unknown.err().contains("no.such.method"), unknown.err());

        SiphonServer.Run wrongArgs = server.ctl("module.exports");
        assertEquals(1, wrongArgs.exitCode());
        assertTrue(wrongArgs.err().contains("-32602"), wrongArgs.err());

        SiphonServer.Run notAJar = server.ctl("module.install", server.home.resolve("etc/config.properties").toString());
        assertEquals(1, notAJar.exitCode());
        assertTrue(notAJar.err().contains("not an OSGi bundle"), notAJar.err());

        SiphonServer.Run missing = server.ctl("module.uninstall", "nosuchmodule");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("404"), missing.err());

        SiphonServer.Run core = server.ctl("module.uninstall", "core", "1");
        assertEquals(1, core.exitCode());

        HttpResponse<String> garbage = server.rpc.post("{\"jsonrpc\":\"2.0\",", "POST");
        assertEquals(200, garbage.statusCode());
        assertTrue(garbage.body().contains("-32700"), garbage.body());
        assertEquals(405, server.rpc.post("", "GET").statusCode());
        HttpResponse<String> notification = server.rpc.post("{\"jsonrpc\":\"2.0\",\"method\":\"core.version\"}", "POST");
        assertEquals(204, notification.statusCode());

        SiphonServer.Run usage = server.ctl();
        assertEquals(2, usage.exitCode());
        assertTrue(server.alive());
    }

    @Test
    @Order(6)
    void siphonCtlSaysSoWhenTheServerIsNotThere() throws Exception {
        SiphonServer.Run r = SiphonServer.run(List.of(server.home.resolve("bin/siphon-ctl").toString(), "-s",
                "127.0.0.1:" + SiphonServer.freePort(), "core.version"));
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("cannot reach siphon"), r.err());
    }

    @Test
    @Order(7)
    void bundleFolderHoldsOnlyBundles() throws Exception {
        try (var jars = Files.list(server.home.resolve("bundle"))) {
            for (Path jar : (Iterable<Path>) jars::iterator) {
                try (var in = new java.util.jar.JarFile(jar.toFile())) {
                    assertNotNull(in.getManifest().getMainAttributes().getValue("Bundle-SymbolicName"),
                            jar + " is not a bundle");
                }
                assertFalse(jar.getFileName().toString().contains("test"), jar + " is a test jar");
            }
        }
    }

    /** Runs {@code calls} SIPp calls through the server to a SIPp UAS; returns how many requests it forwarded. */
    /** Requests relayed: statelessly forwarded ones (the 2xx ACKs) plus tm's transactions (INVITE, BYE). */
    private static long relayed() throws Exception {
        long stateless = ((Number) ((Map<?, ?>) server.rpc.call("stats.get_statistics", "core:fwd_requests"))
                .get("core:fwd_requests")).longValue();
        return stateless + ((Number) ((Map<?, ?>) server.rpc.call("tm.stats")).get("tmx:UAS_transactions")).longValue();
    }

    private static long callThrough(int calls) throws Exception {
        long before = relayed();
        Path work = java.nio.file.Files.createTempDirectory(dir, "call");
        Path scenario = Sipp.scenario(work, "uac_via_proxy.xml");
        int uasPort = SiphonServer.freePort();
        Sipp.Running uas = Sipp.uas(work, "127.0.0.1", uasPort, "u1", calls);
        try {
            uas.awaitListening(uasPort, "u1");
            Sipp.Running uac = Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(), "127.0.0.1:" + sipPort,
                    "uas@127.0.0.1:" + uasPort, "u1", calls);
            assertEquals(0, uac.await(60), "UAC:\n" + uac.log() + "\nUAS:\n" + uas.log());
            assertEquals(0, uas.await(30), uas.log());
        } finally {
            uas.stop();
        }
        return relayed() - before;
    }

    @Test
    @Order(8)
    void callsGoThroughTheDefaultScriptStatefully() throws Exception {
        assertEquals(9L, callThrough(3), "INVITE, ACK and BYE of 3 calls relayed once each");
    }

    @Test
    @Order(8)
    void theDefaultScriptAnswersRequestsForTheServerItself() throws Exception {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(5000);
            String keepalive = exchange(s, "OPTIONS sip:127.0.0.1:" + sipPort, "OPTIONS", "");
            assertTrue(keepalive.startsWith("SIP/2.0 200 Keepalive\r\n"), keepalive);
            String other = exchange(s, "INFO sip:nobody@127.0.0.1:" + sipPort, "INFO", "");
            assertTrue(other.startsWith("SIP/2.0 404 Not Found\r\n"), other);
            String hops = exchange(s, "OPTIONS sip:x@127.0.0.1:9", "OPTIONS", "Max-Forwards: 0\r\n");
            assertTrue(hops.startsWith("SIP/2.0 483 Too Many Hops\r\n"), hops);
        }
        Map<?, ?> sl = (Map<?, ?>) server.rpc.call("sl.stats");
        assertEquals(1L, sl.get("404_replies"));
        assertEquals(1L, sl.get("483_replies"));
    }

    private static String exchange(java.net.DatagramSocket s, String requestLine, String method, String extra) throws Exception {
        String msg = requestLine + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK"
                + System.nanoTime() + ";rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: own-" + System.nanoTime()
                + "\r\nCSeq: 1 " + method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
        byte[] out = msg.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.send(new java.net.DatagramPacket(out, out.length, java.net.InetAddress.getByName("127.0.0.1"), sipPort));
        java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
        s.receive(in);
        return new String(in.getData(), 0, in.getLength(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    @Order(8)
    void theDefaultScriptRecordRoutesDialogsAndLooseRoutesInsideThem() throws Exception {
        try (java.net.DatagramSocket caller = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0));
                java.net.DatagramSocket callee = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            callee.setSoTimeout(5000);
            String target = "sip:bob@127.0.0.1:" + callee.getLocalPort();
            sendTo(caller, "INVITE " + target, "INVITE", "To: <" + target + ">\r\n", "");
            String invite = receive(callee);
            assertTrue(invite.contains("\r\nRecord-Route: <sip:127.0.0.1:" + sipPort + ";lr>\r\n"), invite);
            sendTo(caller, "BYE " + target, "BYE", "To: <" + target + ">;tag=b1\r\n",
                    "Route: <sip:127.0.0.1:" + sipPort + ";lr>\r\n");
            String bye = receive(callee);
            assertTrue(bye.startsWith("BYE " + target + " SIP/2.0\r\n") && !bye.contains("\r\nRoute:"), bye);
            assertTrue(!bye.contains("Record-Route"), "in-dialog requests are not record-routed again: " + bye);
        }
    }

    private static void sendTo(java.net.DatagramSocket s, String requestLine, String method, String to, String extra)
            throws Exception {
        String msg = requestLine + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK"
                + System.nanoTime() + ";rport\r\nFrom: <sip:alice@x>;tag=a1\r\n" + to + "Call-ID: rr-1\r\nCSeq: 1 "
                + method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
        byte[] out = msg.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.send(new java.net.DatagramPacket(out, out.length, java.net.InetAddress.getByName("127.0.0.1"), sipPort));
    }

    private static String receive(java.net.DatagramSocket s) throws Exception {
        java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
        s.receive(in);
        return new String(in.getData(), 0, in.getLength(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    @Order(9)
    void aBrokenScriptIsRefusedOnReloadAndTheRunningOneStays() throws Exception {
        Path cfg = server.home.resolve("config/siphon.cfg");
        String good = java.nio.file.Files.readString(cfg);
        java.nio.file.Files.writeString(cfg, good.replace("t_relay()) {", "t_relay(;) {"));
        RpcClient.RpcError refused = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("cfg.reload"));
        assertTrue(refused.getMessage().contains("siphon.cfg:") && refused.getMessage().contains("the running one stays"),
                refused.getMessage());
        SiphonServer.Run check = SiphonServer.run(List.of(server.home.resolve("bin/siphon").toString(), "-c"));
        assertEquals(1, check.exitCode(), check.out());
        assertTrue(check.out().contains("siphon.cfg:"), check.out());
        java.nio.file.Files.writeString(cfg, good);
        Map<?, ?> reloaded = (Map<?, ?>) server.rpc.call("cfg.reload");
        assertTrue(reloaded.get("file").toString().endsWith("siphon.cfg"));
        SiphonServer.Run ok = SiphonServer.run(List.of(server.home.resolve("bin/siphon").toString(), "-c"));
        assertEquals(0, ok.exitCode(), ok.out());
        SiphonServer.Run switches = SiphonServer.run(List.of(server.home.resolve("bin/siphon").toString(), "-c", "-A", "WITH_AUTH",
                "-A", "WITH_USRLOCDB", "-A", "WITH_ANTIFLOOD"));
        assertEquals(0, switches.exitCode(), "every WITH_* switch of the default script compiles: " + switches.out());
        assertEquals(3L, callThrough(1), "the reloaded script forwards");
    }

    /** Sends an OPTIONS for {@code callee} through the server; returns what came back or reached the callee. */
    private static String optionsVia(java.net.DatagramSocket caller, java.net.DatagramSocket callee) throws Exception {
        String msg = "OPTIONS sip:callee@127.0.0.1:" + callee.getLocalPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                + caller.getLocalPort() + ";branch=z9hG4bK" + System.nanoTime() + ";rport\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:callee@x>\r\nCall-ID: hot-" + System.nanoTime() + "\r\nCSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        byte[] out = msg.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        caller.send(new java.net.DatagramPacket(out, out.length, java.net.InetAddress.getByName("127.0.0.1"), sipPort));
        for (java.net.DatagramSocket s : List.of(callee, caller)) {
            java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
            try {
                s.setSoTimeout(1500);
                s.receive(in);
                return (s == callee ? "callee: " : "caller: ")
                        + new String(in.getData(), 0, in.getLength(), java.nio.charset.StandardCharsets.UTF_8);
            } catch (java.net.SocketTimeoutException e) {
                // try the other
            }
        }
        return "nothing";
    }

    @Test
    @Order(10)
    void aModuleTheScriptUsesCanGoAndComeBackWhileTheServerRuns() throws Exception {
        Path cfg = server.home.resolve("config/siphon.cfg");
        String original = java.nio.file.Files.readString(cfg);
        Path jar = server.home.resolve("deploy/hello.jar");
        try (java.net.DatagramSocket caller = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0));
                java.net.DatagramSocket callee = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.1", 0))) {
            Files.copy(SiphonServer.helloJar(), jar, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(SiphonServer.waitFor(5_000, () -> exporting("hello")));
            java.nio.file.Files.writeString(cfg, "loadmodule \"hello.so\"\nmodparam(\"hello\", \"greeting\", \"hi\")\n"
                    + "request_route {\n    hello(\"$rU\");\n    forward();\n}\n");
            server.rpc.call("cfg.reload");
            assertTrue(SiphonServer.waitFor(5_000, () -> {
                try {
                    return "hi".equals(((Map<?, ?>) server.rpc.call("hello.hello")).get("greeting"));
                } catch (Exception e) {
                    return false;
                }
            }), "modparam reached the module through ConfigAdmin");
            assertTrue(optionsVia(caller, callee).startsWith("callee: OPTIONS sip:callee@"));

            RpcClient.RpcError inUse = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("module.uninstall", "hello"));
            assertEquals(409, inUse.code);
            assertTrue(inUse.getMessage().contains("used by the active routing script"), inUse.getMessage());

            Files.delete(jar);
            assertTrue(SiphonServer.waitFor(5_000, () -> absent("hello")));
            String unavailable = optionsVia(caller, callee);
            assertTrue(unavailable.startsWith("caller: SIP/2.0 503 Module hello Unavailable\r\n"), unavailable);

            Files.copy(SiphonServer.helloJar(), jar, StandardCopyOption.REPLACE_EXISTING);
            assertTrue(SiphonServer.waitFor(5_000, () -> exporting("hello")));
            String back = optionsVia(caller, callee);
            assertTrue(back.startsWith("callee: OPTIONS sip:callee@"), "the script re-bound hello(): " + back + "\n" + server.log());
            assertTrue(server.log().contains("hello() re-bound to module hello"), server.log());

            // a newer jar over the one in deploy/: updated beside the old one, no call finds hello missing
            Object before = module("hello").get("bundle_id");
            Files.copy(SiphonServer.helloJar(), jar, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
            int calls = 0;
            long end = System.currentTimeMillis() + 15_000;
            while (System.currentTimeMillis() < end && before.equals(module("hello").get("bundle_id"))) {
                String r = optionsVia(caller, callee);
                assertTrue(r.startsWith("callee: OPTIONS sip:callee@"), "call " + calls + ": " + r);
                calls++;
            }
            assertTrue(SiphonServer.waitFor(10_000, () -> {
                try {
                    return server.log().contains("deploy: hello.jar replaced, module hello updated");
                } catch (java.io.IOException e) {
                    return false;
                }
            }));
            for (int i = 0; i < 20; i++, calls++) {
                String r = optionsVia(caller, callee);
                assertTrue(r.startsWith("callee: OPTIONS sip:callee@"), "call " + calls + ": " + r);
            }
            assertTrue(!before.equals(module("hello").get("bundle_id")), "a new bundle runs hello");
            assertTrue(calls > 20, "calls were made while the update ran: " + calls);
        } finally {
            java.nio.file.Files.writeString(cfg, original);
            server.rpc.call("cfg.reload");
            Files.deleteIfExists(jar);
        }
    }

    @Test
    @Order(11)
    void reloadingTheScriptWhileCallsFlowLosesNoCall() throws Exception {
        Path work = java.nio.file.Files.createTempDirectory(dir, "reload");
        Path scenario = Sipp.scenario(work, "uac_via_proxy.xml");
        int uasPort = SiphonServer.freePort();
        int calls = 40;
        Sipp.Running uas = Sipp.uas(work, "127.0.0.1", uasPort, "u1", calls);
        try {
            uas.awaitListening(uasPort, "u1");
            Sipp.Running uac = Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(), "127.0.0.1:" + sipPort,
                    "uas@127.0.0.1:" + uasPort, "u1", calls);
            int reloads = 0;
            while (uac.process().isAlive() && reloads < 20) {
                server.rpc.call("cfg.reload");
                reloads++;
                // the next reload once the calls have moved on (a request relayed since this one)
                long relayed = relayed();
                SiphonServer.waitFor(5_000, () -> {
                    try {
                        return !uac.process().isAlive() || relayed() > relayed;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            assertEquals(0, uac.await(60), "UAC:\n" + uac.log());
            assertTrue(reloads >= 5, "only " + reloads + " reloads happened during the calls");
            assertEquals(0, uas.await(30), uas.log());
        } finally {
            uas.stop();
        }
    }

    /** A server of its own: SIGTERM after a request stops it with exit 0 (or 143), its modules withdrawn, no error logged. */
    @Test
    void sigtermStopsTheServerCleanly() throws Exception {
        Path own = java.nio.file.Files.createDirectories(dir.resolve("sigterm"));
        int port = SiphonServer.freePort();
        try (SiphonServer s = SiphonServer.start(own, "-l", "udp:127.0.0.1:" + port); UdpPeer ua = new UdpPeer()) {
            s.awaitSettled();
            ua.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + port, ua.port(), "term-1", 1, "z9hG4bKterm1", ""), port);
            assertNotNull(ua.receive("SIP/2.0 200", 3000), "the server answers before it is stopped");
            int rc = s.stop(20_000);
            String log = s.log();
            assertTrue(rc == 0 || rc == 143, "exit code " + rc);
            assertTrue(log.contains("module core withdrew its exports") && log.contains("module tm withdrew its exports"), log);
            assertFalse(log.contains("Exception"), log);
            assertEquals(List.of(), log.lines().filter(l -> l.contains("ERROR")).toList());
        }
    }

    /** After every test: the shared server stops cleanly too, having logged only the hot-module test's expected error. */
    static void stopsCleanlyAfterEverything() throws Exception {
        int rc = server.stop(20_000);
        String log = server.log();
        assertTrue(rc == 0 || rc == 143, "exit code " + rc);
        assertTrue(log.contains("module core withdrew its exports"), log);
        assertFalse(log.contains("Exception"), log);
        String unexpected = log.lines().filter(l -> l.contains("ERROR"))
                .filter(l -> !l.contains("hello() needs module hello, which is not active")).reduce("", (a, b) -> a + b + "\n");
        assertEquals("", unexpected, "only the expected error of the hot-module test");
    }

    /** GET /metrics on the RPC port: Prometheus text format, the request counter moves with traffic; other methods 405. */
    @Test
    @Order(12)
    void prometheusMetrics() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + server.rpcPort + "/metrics");
        java.util.function.Supplier<Double> requests = () -> {
            try {
                var r = http.send(java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                for (String line : r.body().split("\n")) {
                    assertTrue(line.startsWith("#") || line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? \\S+"),
                            "a sample line: " + line);
                    if (line.startsWith("siphon_core_rcv_requests_total ")) {
                        return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
                    }
                }
                throw new AssertionError("no siphon_core_rcv_requests_total in " + r.body());
            } catch (java.io.IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };
        double before = requests.get();
        try (UdpPeer ua = new UdpPeer()) {
            ua.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + sipPort, ua.port(), "metrics-1", 1, "z9hG4bKmet1", ""),
                    sipPort);
            assertNotNull(ua.receive("SIP/2.0", 3000));
        }
        assertTrue(SiphonServer.waitFor(3000, () -> requests.get() > before), "the counter moved");
        var post = http.send(java.net.http.HttpRequest.newBuilder(uri).POST(java.net.http.HttpRequest.BodyPublishers.ofString("x"))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));

        String text = http.send(java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#")) {
                samples.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        List<?> ps = (List<?>) server.rpc.call("core.ps");
        long workers = ps.stream().filter(p -> String.valueOf(((Map<?, ?>) p).get("DSC")).startsWith("SIP worker")).count();
        assertTrue(workers > 0);
        assertEquals((double) workers, samples.get("siphon_sip_workers"), "as many workers as core.ps lists");
        for (int w = 1; w <= workers; w++) {
            assertNotNull(samples.get("siphon_sip_worker_queue_length{worker=\"" + w + "\"}"), "queue of worker " + w);
            assertTrue(samples.get("siphon_sip_worker_queue_capacity{worker=\"" + w + "\"}") >= 16, "capacity of worker " + w);
            assertNotNull(samples.get("siphon_sip_worker_busy{worker=\"" + w + "\"}"));
        }
        assertEquals(1.0, samples.get("siphon_rpc_workers_busy"), "the scrape itself runs on an RPC worker");
        assertNotNull(samples.get("siphon_rpc_queue_length"));
        for (Map<String, Object> m : modules()) {
            if ("draining".equals(m.get("state"))) {
                continue;
            }
            String name = (String) m.get("name");
            assertEquals(1.0, samples.get("siphon_module_state{module=\"" + name + "\",state=\"" + m.get("state") + "\"}"),
                    name + " is " + m.get("state"));
            assertEquals(0.0, samples.get("siphon_module_state{module=\"" + name + "\",state=\"stopping\"}"), name);
            assertEquals(Boolean.TRUE.equals(m.get("exporting")) ? 1.0 : 0.0,
                    samples.get("siphon_module_exporting{module=\"" + name + "\"}"), name);
            for (String kind : List.of("functions", "pseudo_variables", "rpc_commands")) {
                assertEquals(((Number) m.get(kind)).doubleValue(),
                        samples.get("siphon_module_exports{kind=\"" + kind + "\",module=\"" + name + "\"}"), name + " " + kind);
            }
        }
        assertEquals(1.0, samples.get("siphon_module_state{module=\"tm\",state=\"active\"}"), "tm is active");
    }

    /** stats.reset_statistics and stats.clear_statistics as Kamailio's: counters back to 0, selected like get_statistics. */
    @Test
    @Order(13)
    void resetAndClearStatistics() throws Exception {
        java.util.function.Supplier<Long> requests = () -> {
            try {
                return ((Number) ((Map<?, ?>) server.rpc.call("stats.get_statistics", "core:rcv_requests"))
                        .get("core:rcv_requests")).longValue();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        try (UdpPeer ua = new UdpPeer()) {
            ua.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + sipPort, ua.port(), "reset-1", 1, "z9hG4bKrst1", ""),
                    sipPort);
            assertNotNull(ua.receive("SIP/2.0", 3000));
            assertTrue(requests.get() >= 1);
            Map<?, ?> before = (Map<?, ?>) server.rpc.call("stats.get_statistics", "core:");
            assertEquals("ok", server.rpc.call("stats.reset_statistics", "rcv_requests"));
            assertEquals(0L, requests.get());
            Map<?, ?> others = (Map<?, ?>) server.rpc.call("stats.get_statistics", "core:");
            before.forEach((k, v) -> assertTrue(k.equals("core:rcv_requests")
                    || ((Number) others.get(k)).longValue() >= ((Number) v).longValue(), "only the named counter was reset: " + k));

            ua.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + sipPort, ua.port(), "reset-2", 1, "z9hG4bKrst2", ""),
                    sipPort);
            assertNotNull(ua.receive("SIP/2.0", 3000));
            assertTrue(SiphonServer.waitFor(3000, () -> requests.get() == 1), "counts from 0 again");
        }
        Map<?, ?> cleared = (Map<?, ?>) server.rpc.call("stats.clear_statistics", "core:");
        assertEquals(1L, cleared.get("core:rcv_requests"), "clear answers the values before the reset: " + cleared);
        assertTrue(cleared.keySet().stream().allMatch(k -> String.valueOf(k).startsWith("core:")), cleared.toString());
        Map<?, ?> after = (Map<?, ?>) server.rpc.call("stats.get_statistics", "core:");
        assertTrue(after.values().stream().allMatch(v -> ((Number) v).longValue() == 0), "every core counter is 0: " + after);

        var metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.rpcPort + "/metrics")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("\nsiphon_core_rcv_requests_total 0.0\n"), "/metrics shows the reset too");

        RpcClient.RpcError none = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("stats.reset_statistics"));
        assertEquals(-32602, none.code, none.getMessage());
        RpcClient.RpcError unknown = assertThrows(RpcClient.RpcError.class,
                () -> server.rpc.call("stats.clear_statistics", "nosuch:"));
        assertEquals(404, unknown.code, unknown.getMessage());
        assertTrue(unknown.getMessage().contains("no statistics match"), unknown.getMessage());
    }
}
