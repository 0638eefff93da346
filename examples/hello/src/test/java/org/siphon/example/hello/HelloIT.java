package org.siphon.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.sip.SipResponse;
import org.siphon.test.EmbeddedSiphon;
import org.siphon.test.LoopbackPeer;

/**
 * The module's jar in an embedded server (the distribution's boot set, unpacked by the build into
 * {@code target/}), driven from outside: SIP through a script that calls {@code hello()} and
 * reads {@code $hello}, and RPC. Run by failsafe in {@code mvn verify}, after the jar is built.
 */
class HelloIT {

    private static final String SCRIPT = "loadmodule \"sl\"\n"
            + "loadmodule \"hello\"\n"
            + "modparam(\"hello\", \"greeting\", \"Good morning\")\n"
            + "request_route {\n"
            + "    if ($rU == \"hello\") {\n"
            + "        hello();\n"
            + "        sl_send_reply(\"200\", \"$hello\");\n"
            + "        exit;\n"
            + "    }\n"
            + "    sl_send_reply(\"404\", \"Not Here\");\n"
            + "}\n";

    @TempDir
    static Path dir;
    static EmbeddedSiphon siphon;

    @BeforeAll
    static void boot() throws Exception {
        long t0 = System.nanoTime();
        siphon = EmbeddedSiphon.distribution()
                .module(Paths.get(System.getProperty("module.jar")))
                .script(SCRIPT)
                .workDir(dir)
                .start();
        // the modparam reaches the component through ConfigAdmin, a moment after the script loads
        assertTrue(EmbeddedSiphon.waitFor(Duration.ofSeconds(10), () -> {
            try {
                return "Good morning".equals(hello().get("greeting"));
            } catch (Exception e) {
                return false;
            }
        }), "the greeting parameter did not arrive");
        System.out.println("[HelloIT] embedded server up in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    @AfterAll
    static void stop() throws Exception {
        if (siphon != null) {
            siphon.close();
        }
    }

    private static Map<?, ?> hello(Object... name) throws Exception {
        return (Map<?, ?>) siphon.rpc("hello.hello", name);
    }

    private static SipResponse options(LoopbackPeer peer, String user, String callId) throws Exception {
        String request = "OPTIONS sip:" + user + "@127.0.0.1:" + siphon.sipPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP " + peer.hostPort() + ";branch=z9hG4bK-" + callId + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\nTo: <sip:" + user + "@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        SipResponse reply = (SipResponse) peer.request(request, siphon.sipPort(), Duration.ofSeconds(5));
        assertNotNull(reply, "no reply to " + callId + " within 5 s");
        return reply;
    }

    @Test
    void theScriptCallsTheFunctionAndAnswersWithThePseudoVariable() throws Exception {
        long before = ((Number) hello().get("count")).longValue();
        try (LoopbackPeer peer = new LoopbackPeer()) {
            SipResponse reply = options(peer, "hello", "it-1");
            assertEquals(200, reply.status());
            assertEquals("Good morning", reply.reason());
        }
        // hello() and $hello each made a greeting, and this call one more
        assertEquals(before + 3, ((Number) hello().get("count")).longValue());
    }

    @Test
    void otherRequestsDoNotGreet() throws Exception {
        long before = ((Number) hello().get("count")).longValue();
        try (LoopbackPeer peer = new LoopbackPeer()) {
            SipResponse reply = options(peer, "nobody", "it-2");
            assertEquals(404, reply.status());
        }
        assertEquals(before + 1, ((Number) hello().get("count")).longValue(), "only the RPC call greeted");
    }

    @Test
    void theRpcCommandAnswersAndRefusesBadParameters() throws Exception {
        assertEquals("Good morning, eve", hello("eve").get("greeting"));
        EmbeddedSiphon.RpcError e = assertThrows(EmbeddedSiphon.RpcError.class, () -> hello("a", "b"));
        assertEquals(-32602, e.code());
        Map<?, ?> exports = (Map<?, ?>) siphon.rpc("module.exports", "hello");
        assertTrue(exports.toString().contains("$hello") && exports.toString().contains("hello.hello"), exports.toString());
    }
}
