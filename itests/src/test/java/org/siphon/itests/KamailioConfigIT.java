package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio 5.6's stock {@code kamailio.cfg}, as Debian's {@code kamailio} package installs it
 * ({@code /etc/kamailio/kamailio.cfg}; {@code .ci/run} installs the package; another file with
 * {@code -Dkamailio.cfg=PATH}), unchanged: {@code siphon -c} accepts it plain and with the
 * database switches, and the server runs it: a REGISTER, a call answered (acc logs the INVITE and
 * the BYE) and a call refused (acc logs a missed call).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("stockConfigInstalled")
class KamailioConfigIT {

    static Path stock() {
        return Path.of(System.getProperty("kamailio.cfg", "/etc/kamailio/kamailio.cfg"));
    }

    static boolean stockConfigInstalled() {
        return Files.isReadable(stock());
    }

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;
    static int tcpPort;
    static Path cfg;

    @BeforeAll
    static void start() throws Exception {
        cfg = dir.resolve("kamailio.cfg");
        Files.copy(stock(), cfg);
        sipPort = SiphonServer.freePort();
        tcpPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-A", "WITH_JSONRPC", "-l", "udp:127.0.0.1:" + sipPort,
                "-l", "tcp:127.0.0.1:" + tcpPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((java.util.Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the stock config loads: " + server.log());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static SiphonServer.Run check(String... defines) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(server.home.resolve("bin/siphon").toString(), "-c", "-f", cfg.toString()));
        for (String d : defines) {
            cmd.addAll(List.of("-A", d));
        }
        return SiphonServer.run(cmd);
    }

    @Test
    void siphonChecksTheStockConfigAsItIs() throws Exception {
        SiphonServer.Run plain = check();
        assertEquals(0, plain.exitCode(), plain.out());
        assertTrue(plain.out().contains("import_file") && plain.out().contains("kamailio-local.cfg not found, skipped"),
                "the missing kamailio-local.cfg is a warning: " + plain.out());
        assertTrue(plain.out().contains(": OK ("), plain.out());
    }

    @Test
    void withJsonrpcItsHttpRouteServesRpcOnTheSipPort() throws Exception {
        String body = "{\"jsonrpc\": \"2.0\", \"method\": \"core.version\", \"id\": 1}";
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", tcpPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /RPC HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String answer = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200 OK"), answer);
            assertTrue(answer.contains("\"result\"") && answer.contains("siphon"), answer);
            // readAllBytes returned: set_reply_close() in the stock route closed the connection
        }
    }

    @Test
    void andWithItsDatabaseSwitches() throws Exception {
        SiphonServer.Run db = check("WITH_MYSQL", "WITH_AUTH", "WITH_USRLOCDB", "WITH_ANTIFLOOD", "WITH_ACCDB");
        assertEquals(0, db.exitCode(), db.out());
        assertTrue(db.out().contains("db_mysql") && db.out().contains("acc"), db.out());
    }

    @Test
    void aRegistrationACallAndAMissedCallAreAccounted() throws Exception {
        try (UdpPeer bob = new UdpPeer(); UdpPeer alice = new UdpPeer()) {
            bob.send("REGISTER sip:127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKst1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=b1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: stock-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:"
                    + bob.port() + ">\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n", sipPort);
            assertNotNull(bob.receive("SIP/2.0 200", 3000), "REGISTER answered 200 by the stock config");

            alice.send(UdpPeer.request("INVITE", "sip:bob@127.0.0.1:" + sipPort, alice.port(), "stock-call", 1,
                    "z9hG4bKst2", ""), sipPort);
            String invite = bob.receive("INVITE", 3000);
            assertNotNull(invite, "the INVITE reached bob's contact");
            bob.reply(invite, 200, "OK", "bt", sipPort);
            String ok = alice.receive("SIP/2.0 200", 3000);
            assertNotNull(ok, "alice got bob's 200");
            String route = UdpPeer.header(ok, "Record-Route");
            assertNotNull(route, "the stock config record-routes: " + ok);
            String toTag = "bt";
            String inDialog = "Route: " + route + "\r\n";
            alice.send(UdpPeer.request("ACK", "sip:bob@127.0.0.1:" + bob.port(), alice.port(), "stock-call", 1,
                    "z9hG4bKst3", inDialog).replace("To: <sip:bob@127.0.0.1:" + bob.port() + ">",
                    "To: <sip:bob@127.0.0.1:" + bob.port() + ">;tag=" + toTag), sipPort);
            assertNotNull(bob.receive("ACK", 3000));
            alice.send(UdpPeer.request("BYE", "sip:bob@127.0.0.1:" + bob.port(), alice.port(), "stock-call", 2,
                    "z9hG4bKst4", inDialog).replace("To: <sip:bob@127.0.0.1:" + bob.port() + ">",
                    "To: <sip:bob@127.0.0.1:" + bob.port() + ">;tag=" + toTag), sipPort);
            String bye = bob.receive("BYE", 3000);
            assertNotNull(bye, "the BYE reached bob");
            bob.reply(bye, 200, "OK", "bt", sipPort);
            assertNotNull(alice.receive("SIP/2.0 200", 3000), "the BYE's 200 came back");

            alice.send(UdpPeer.request("INVITE", "sip:bob@127.0.0.1:" + sipPort, alice.port(), "stock-busy", 1,
                    "z9hG4bKst5", ""), sipPort);
            String second = bob.receive("INVITE", 3000);
            assertNotNull(second);
            bob.reply(second, 486, "Busy Here", "bt2", sipPort);
            assertNotNull(alice.receive("SIP/2.0 486", 3000), "the 486 came back (no voicemail in the stock config)");
        }
        assertTrue(SiphonServer.waitFor(5000, () -> accLines().size() >= 3), "three acc lines: " + accLines());
        List<String> acc = accLines();
        assertTrue(acc.stream().anyMatch(l -> l.contains("ACC: transaction answered:") && l.contains("method=INVITE")
                && l.contains("call_id=stock-call") && l.contains("code=200") && l.contains("to_tag=bt")
                && l.contains("src_user=alice") && l.contains("dst_user=bob") && l.contains("src_ip=127.0.0.1")), acc.toString());
        assertTrue(acc.stream().anyMatch(l -> l.contains("ACC: transaction answered:") && l.contains("method=BYE")
                && l.contains("call_id=stock-call")), "the BYE ends the call: " + acc);
        assertTrue(acc.stream().anyMatch(l -> l.contains("ACC: call missed:") && l.contains("call_id=stock-busy")
                && l.contains("code=486") && l.contains("reason=Busy Here")), acc.toString());
        String log = server.log();
        assertTrue(log.contains("modparam(\"registrar\", \"timer_procs\", 1) has no effect in Siphon"),
                "usrloc's timer_procs is explained once");
        assertTrue(!log.contains(" ERROR "), "no ERROR: " + log.lines().filter(l -> l.contains(" ERROR ")).toList());
    }

    static List<String> accLines() {
        try {
            return server.log().lines().filter(l -> l.contains("ACC: ")).toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
    }
}
