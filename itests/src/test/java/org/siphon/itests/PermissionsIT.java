package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio 5.6's stock {@code kamailio.cfg} with {@code WITH_MYSQL WITH_AUTH WITH_IPAUTH} on a sqlite
 * database made by {@code sqlite3} from Kamailio's own schema files: a request from an address of
 * the {@code address} table (group 1) passes route[AUTH] without authentication
 * ({@code allow_source_address()}); once the row is deleted and {@code permissions.addressReload}
 * has read the table again, the same request is challenged 407.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIf("schemaInstalled")
class PermissionsIT {

    @TempDir
    static Path dir;
    private SiphonServer server;
    private int sipPort;

    static boolean schemaInstalled() {
        return KamailioSqliteIT.schemaInstalled();
    }

    private Path file() {
        return dir.resolve("kam.db");
    }

    private List<String> query(String sql) throws Exception {
        return KamailioDatabase.lines(SiphonServer.run(new ArrayList<>(List.of("/usr/bin/sqlite3", "-bail", "-cmd",
                ".timeout 5000", file().toString(), sql))), sql);
    }

    @BeforeAll
    void start() throws Exception {
        for (String t : List.of("standard", "auth_db", "permissions")) {
            query(Files.readString(KamailioSqliteIT.SCHEMA.resolve(t + "-create.sql")));
        }
        // as kamctl address add 1 127.0.0.1 32 0 does it
        query("INSERT INTO address (grp, ip_addr, mask, port) VALUES (1, '127.0.0.1', 32, 0)");
        Path cfg = dir.resolve("kamailio.cfg");
        Files.copy(KamailioConfigIT.stock(), cfg);
        sipPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort, "-A", "WITH_MYSQL",
                "-A", "WITH_AUTH", "-A", "WITH_IPAUTH", "-A", "DBURL=\"sqlite://" + file() + "\"");
        SiphonServer s = server;
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((Map<?, ?>) s.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the stock config loads: " + s.log());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private List<?> addressDump() {
        try {
            return (List<?>) server.rpc.call("permissions.addressDump");
        } catch (Exception e) {
            return null;
        }
    }

    /** An INVITE from {@code from} to a user nobody registered; the status of the final answer. */
    private int invite(UdpPeer peer, String from, String callId) throws Exception {
        peer.send(UdpPeer.request("INVITE", "sip:nobody@127.0.0.1:" + sipPort, peer.port(), callId, 1, "z9hG4bK" + callId, "")
                .replaceFirst("From: [^\r]*\r\n", "From: <" + from + ">;tag=" + callId + "\r\n"), sipPort);
        String answer;
        do {
            answer = peer.receive("SIP/2.0", 5000);
            assertNotNull(answer, "an answer to " + callId + ": " + server.log());
        } while (UdpPeer.status(answer) < 200);
        if (UdpPeer.status(answer) >= 300) { // the ACK of a negative reply, so tm stops retransmitting it
            peer.send(UdpPeer.request("ACK", "sip:nobody@127.0.0.1:" + sipPort, peer.port(), callId, 1, "z9hG4bK" + callId, "")
                    .replaceFirst("From: [^\r]*\r\n", "From: <" + from + ">;tag=" + callId + "\r\n")
                    .replaceFirst("To: [^\r]*\r\n", "To: " + UdpPeer.header(answer, "To") + "\r\n"), sipPort);
        }
        return UdpPeer.status(answer);
    }

    @Test
    void sourceAddressSkipsAuthUntilTheRowIsGone() throws Exception {
        assertTrue(SiphonServer.waitFor(10_000, () -> {
            List<?> d = addressDump();
            return d != null && d.size() == 1;
        }), "the address row is cached: " + addressDump() + "; log: " + server.log());
        assertEquals("127.0.0.1", ((Map<?, ?>) addressDump().get(0)).get("ip"));
        try (UdpPeer peer = new UdpPeer()) {
            assertEquals(404, invite(peer, "sip:carol@example.net", "perm-foreign"),
                    "a trusted source is routed without a challenge: no such user");
            assertEquals(404, invite(peer, "sip:alice@127.0.0.1:" + sipPort, "perm-local"),
                    "a local-domain caller from a trusted source is not challenged either");

            query("DELETE FROM address");
            assertEquals("Reload OK", server.rpc.call("permissions.addressReload"));
            assertEquals(List.of(), addressDump(), "the cache is empty after the reload");

            assertEquals(407, invite(peer, "sip:alice@127.0.0.1:" + sipPort, "perm-challenged"),
                    "without the address row a local-domain caller must authenticate: " + server.log());
        }
        String log = server.log();
        assertTrue(!log.contains(" ERROR "), "no ERROR: " + log.lines().filter(l -> l.contains(" ERROR ")).toList());
    }
}
