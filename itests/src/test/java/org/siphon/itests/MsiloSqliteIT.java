package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * msilo on Kamailio's own silo table (sqlite, made by sqlite3 from Kamailio's msilo-create.sql):
 * a MESSAGE for an offline user is a row Kamailio would read, the server is killed (kill -9, no
 * shutdown code), a new one on the same database delivers it on REGISTER and deletes the row after
 * the 200.
 */
@EnabledIf("schemaInstalled")
class MsiloSqliteIT {

    static final Path SCHEMA = Path.of("/usr/share/kamailio/db_sqlite");

    @TempDir
    static Path dir;

    static boolean schemaInstalled() {
        return Files.isReadable(SCHEMA.resolve("msilo-create.sql")) && Files.isExecutable(Path.of("/usr/bin/sqlite3"));
    }

    static Path db() {
        return dir.resolve("kamailio.db");
    }

    static List<String> sql(String query) throws Exception {
        SiphonServer.Run r = SiphonServer.run(new ArrayList<>(List.of("/usr/bin/sqlite3", "-bail", "-cmd", ".timeout 5000",
                db().toString(), query)));
        assertEquals(0, r.exitCode(), r.err() + r.out());
        return r.out().isBlank() ? List.of() : List.of(r.out().strip().split("\n"));
    }

    static SiphonServer start(Path home, int port) throws Exception {
        Path cfg = home.resolve("msilo.cfg");
        Files.createDirectories(home);
        Files.writeString(cfg, MsiloIT.SCRIPT.replace("EXPIRE", "3600").replace("modparam(\"msilo\", \"expire_time\", 3600)",
                "modparam(\"msilo\", \"expire_time\", 3600)\nmodparam(\"msilo\", \"db_url\", \"sqlite://" + db() + "\")"));
        return SiphonServer.start(home, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + port).awaitSettled();
    }

    @Test
    void aStoredMessageSurvivesKillMinusNineInKamailiosTable() throws Exception {
        sql(Files.readString(SCHEMA.resolve("standard-create.sql")) + Files.readString(SCHEMA.resolve("msilo-create.sql")));
        int port = SiphonServer.freePort();
        SiphonServer first = start(dir.resolve("first"), port);
        try (UdpPeer alice = new UdpPeer()) {
            String text = "see you at 5 ✓";
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            alice.send("MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + alice.port()
                    + ";branch=z9hG4bKsq1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=aq1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: sq-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain;charset=UTF-8\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n" + text, port);
            String accepted = alice.receive("SIP/2.0", 3000);
            assertNotNull(accepted);
            assertEquals(202, UdpPeer.status(accepted), accepted);
        } finally {
            first.kill();
        }
        List<String> rows = sql("SELECT src_addr, dst_addr, username, domain, ctype FROM silo");
        assertEquals(1, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("sip:alice@127.0.0.1|sip:bob@127.0.0.1|bob|127.0.0.1|text/plain"), rows.toString());

        SiphonServer second = start(dir.resolve("second"), port);
        try (UdpPeer bob = new UdpPeer()) {
            bob.send("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port() + ";branch=z9hG4bKsqr;rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=bq1\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: sq-r\r\n"
                    + "CSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:" + bob.port() + ">\r\nExpires: 600\r\n"
                    + "Content-Length: 0\r\n\r\n", port);
            assertEquals(200, UdpPeer.status(bob.receive("SIP/2.0", 3000)));
            String delivered = bob.receive("MESSAGE", 5000);
            assertNotNull(delivered, "the message stored before kill -9 is delivered by the new server");
            assertTrue(delivered.endsWith("see you at 5 ✓"), delivered);
            bob.reply(delivered, 200, "OK", "bq2", port);
            assertTrue(SiphonServer.waitFor(5_000, () -> {
                try {
                    return sql("SELECT count(*) FROM silo").equals(List.of("0"));
                } catch (Exception e) {
                    return false;
                }
            }), "the row goes after the 200");
        } finally {
            second.close();
        }
    }
}
