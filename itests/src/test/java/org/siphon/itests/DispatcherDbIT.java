package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * dispatcher's {@code db_url}: the sets come from Kamailio's {@code dispatcher} table in a sqlite
 * database made by Kamailio's own schema files; a row added later is taken by
 * {@code dispatcher.reload}, and requests go to the table's destination.
 */
@EnabledIf("schemaInstalled")
class DispatcherDbIT {

    static boolean schemaInstalled() {
        return KamailioSqliteIT.schemaInstalled();
    }

    @TempDir
    Path dir;

    List<String> sql(Path db, String statement) throws Exception {
        return KamailioDatabase.lines(SiphonServer.run(new ArrayList<>(List.of("/usr/bin/sqlite3", "-bail", "-cmd",
                ".timeout 5000", db.toString(), statement))), statement);
    }

    @Test
    void setsFromKamailiosTable() throws Exception {
        Path db = dir.resolve("kamailio.db");
        for (String t : List.of("standard", "dispatcher")) {
            sql(db, Files.readString(KamailioSqliteIT.SCHEMA.resolve(t + "-create.sql")));
        }
        try (UdpPeer dest = new UdpPeer(); UdpPeer caller = new UdpPeer()) {
            sql(db, "INSERT INTO dispatcher (setid, destination, flags, priority, attrs, description) VALUES (1, "
                    + "'sip:127.0.0.1:" + dest.port() + "', 0, 0, 'weight=50', 'first')");
            int sipPort = SiphonServer.freePort();
            Path cfg = dir.resolve("ds.cfg");
            Files.writeString(cfg, """
                    loadmodule "sl.so"
                    loadmodule "tm.so"
                    loadmodule "dispatcher.so"
                    modparam("dispatcher", "db_url", "sqlite://%s")
                    modparam("dispatcher", "ds_ping_interval", 0)
                    request_route {
                        if (!ds_select_dst("1", "4")) {
                            sl_send_reply("404", "No Destination");
                            exit;
                        }
                        t_relay();
                    }
                    """.formatted(db));
            try (SiphonServer server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort)) {
                assertTrue(SiphonServer.waitFor(20_000, () -> {
                    try {
                        return Boolean.TRUE.equals(((Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
                    } catch (Exception e) {
                        return false;
                    }
                }), server.log());
                String listed = String.valueOf(server.rpc.call("dispatcher.list"));
                assertTrue(listed.contains("sip:127.0.0.1:" + dest.port()), "the table's destination: " + listed);

                caller.send(UdpPeer.request("OPTIONS", "sip:svc@127.0.0.1:" + sipPort, caller.port(), "dsdb-1", 1,
                        "z9hG4bKdsdb1", ""), sipPort);
                String got = dest.receive("OPTIONS", 3000);
                assertNotNull(got, "the request went to the table's destination");
                dest.reply(got, 200, "OK", "d", sipPort);
                assertNotNull(caller.receive("SIP/2.0 200", 3000));

                sql(db, "INSERT INTO dispatcher (setid, destination) VALUES (2, 'sip:127.0.0.1:5999')");
                server.rpc.call("dispatcher.reload");
                assertTrue(SiphonServer.waitFor(5000, () -> {
                    try {
                        return String.valueOf(server.rpc.call("dispatcher.list")).contains("sip:127.0.0.1:5999");
                    } catch (Exception e) {
                        return false;
                    }
                }), "the new row after dispatcher.reload");
                assertEquals(List.of("dispatcher|4"), sql(db, "SELECT table_name, table_version FROM version "
                        + "WHERE table_name = 'dispatcher'"));
                assertTrue(!server.log().contains(" ERROR "), server.log());
            }
        }
    }
}
