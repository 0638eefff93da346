package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registrations kept in the embedded H2 database (registrar db_mode 1, write-through) survive a
 * clean restart and a {@code kill -9} of the server.
 */
class RegistrarDbIT {

    @TempDir
    Path dir;

    private SiphonServer start(Path cfg, int sipPort) throws Exception {
        SiphonServer s = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        return s.awaitSettled();
    }

    private static List<?> contacts(SiphonServer s, String aor) throws Exception {
        return (List<?>) ((Map<?, ?>) s.rpc.call("ul.lookup", "location", aor)).get("Contacts");
    }

    @Test
    void writeThroughRegistrationsSurviveRestartAndKill() throws Exception {
        Path cfg = dir.resolve("registrar-db.cfg");
        String defaults = Files.readString(SiphonServer.distribution().resolve("config/siphon.cfg"));
        Files.writeString(cfg, defaults.replace("####### Routing logic #########",
                "modparam(\"registrar\", \"db_mode\", 1)\n\n####### Routing logic #########"));
        int sipPort = SiphonServer.freePort();
        SiphonServer first = start(cfg, sipPort);
        try (UdpPeer ua = new UdpPeer()) {
            ua.send(UdpPeer.request("REGISTER", "sip:127.0.0.1:" + sipPort, ua.port(), "db-1", 1, "z9hG4bKdb1", "")
                    .replace("<sip:127.0.0.1:" + sipPort + ">", "<sip:dave@127.0.0.1>"), sipPort);
            String ok = ua.receive("SIP/2.0", 3000);
            assertTrue(ok != null && ok.startsWith("SIP/2.0 200"), String.valueOf(ok));
        }
        assertEquals(1, contacts(first, "dave").size());
        first.stop(30_000); // SIGTERM: a clean stop

        SiphonServer second = start(cfg, sipPort);
        Files.writeString(Path.of("target/registrar-db.log"), second.log());
        assertEquals(1, contacts(second, "dave").size(), "loaded from data/ after a clean restart");
        second.kill();

        SiphonServer third = start(cfg, sipPort);
        try {
            assertEquals(1, contacts(third, "dave").size(), "and after kill -9: it was written before the 200");
            assertTrue(Files.exists(third.home.resolve("data/siphon.mv.db")));
        } finally {
            third.close();
        }
    }
}
