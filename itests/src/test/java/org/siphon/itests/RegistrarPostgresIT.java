package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Siphon nodes on different ports sharing one PostgreSQL (registrar db_mode 3) see each
 * other's registrations. Needs {@code SIPHON_PG_URL} ({@code .ci/run} starts Debian's PostgreSQL
 * and sets it).
 */
@EnabledIfEnvironmentVariable(named = "SIPHON_PG_URL", matches = ".+")
class RegistrarPostgresIT {

    @TempDir
    Path dir;

    private SiphonServer node(String name, Path cfg, int sipPort) throws Exception {
        SiphonServer s = SiphonServer.start(dir.resolve(name), home -> {
            try {
                Files.writeString(home.resolve("config/org.siphon.db.cfg"), "db_url=" + System.getenv("SIPHON_PG_URL") + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return s.log().contains("db_mode 3") && s.rpc.call("ul.stats") != null;
            } catch (Exception e) {
                return false;
            }
        }), "node " + name + " up with db_mode 3");
        Thread.sleep(500);
        return s;
    }

    @Test
    void nodesSharingPostgresSeeEachOthersRegistrations() throws Exception {
        Path cfg = dir.resolve("shared.cfg");
        Files.createDirectories(dir);
        String defaults = Files.readString(SiphonServer.distribution().resolve("config/siphon.cfg"));
        Files.writeString(cfg, defaults.replace("####### Routing logic #########",
                "modparam(\"registrar\", \"db_mode\", 3)\n\n####### Routing logic #########"));
        int portA = SiphonServer.freePort();
        int portB = SiphonServer.freePort();
        String user = "frank" + System.nanoTime();
        try (SiphonServer a = node("a", cfg, portA); SiphonServer b = node("b", cfg, portB);
                UdpPeer ua = new UdpPeer(); UdpPeer caller = new UdpPeer()) {
            ua.send(UdpPeer.request("REGISTER", "sip:127.0.0.1:" + portA, ua.port(), "pg-1", 1, "z9hG4bKpg1", "")
                    .replace("<sip:127.0.0.1:" + portA + ">", "<sip:" + user + "@127.0.0.1>"), portA);
            String ok = ua.receive("SIP/2.0", 3000);
            assertTrue(ok != null && ok.startsWith("SIP/2.0 200"), String.valueOf(ok));

            List<?> seenByB = (List<?>) ((Map<?, ?>) b.rpc.call("ul.lookup", "location", user)).get("Contacts");
            assertEquals(1, seenByB.size(), "node B sees what registered at node A");

            String ruri = "sip:" + user + "@127.0.0.1:" + portB;
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "pg-call", 1, "z9hG4bKpg2", ""), portB);
            String in = ua.receive("INVITE", 10_000); // node B's first call: cold script and DB lookup, slow on a loaded CI box
            assertNotNull(in, "a call through node B reaches the user registered at node A");
            ua.reply(in, 486, "Busy Here", "u", portB);
            String busy = caller.receive("SIP/2.0 486", 10_000);
            assertNotNull(busy);
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "pg-call", 1, "z9hG4bKpg2", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(busy, "To")), portB);

            b.rpc.call("ul.rm", "location", user);
            assertThrows(RpcClient.RpcError.class, () -> a.rpc.call("ul.lookup", "location", user),
                    "a removal at node B is seen at node A");
        }
    }
}
