package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
 * Two Siphon nodes on one PostgreSQL with {@code subs_db_mode=3} and {@code publ_cache=0}: a
 * watcher that subscribed at node B hears, in its dialog, of a PUBLISH received by node A, with the
 * dialog's next CSeq; node A refreshes the dialog node B made and lists B's subscription. Needs
 * {@code SIPHON_PG_URL} ({@code .ci/run} starts Debian's PostgreSQL and sets it).
 */
@EnabledIfEnvironmentVariable(named = "SIPHON_PG_URL", matches = ".+")
class PresencePostgresIT {

    @TempDir
    Path dir;

    static final String SCRIPT = PresenceIT.SCRIPT.replace("modparam(\"presence\", \"subs_db_mode\", 2)",
            "modparam(\"presence\", \"subs_db_mode\", 3)\nmodparam(\"presence\", \"publ_cache\", 0)");

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
                return Boolean.TRUE.equals(((Map<?, ?>) s.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "node " + name + " runs the script: " + s.log());
        return s;
    }

    @Test
    void nodesSharingPostgresNotifyEachOthersWatchers() throws Exception {
        Path cfg = dir.resolve("shared.cfg");
        Files.createDirectories(dir);
        Files.writeString(cfg, SCRIPT);
        int portA = SiphonServer.freePort();
        int portB = SiphonServer.freePort();
        long run = System.nanoTime();
        try (SiphonServer a = node("a", cfg, portA); SiphonServer b = node("b", cfg, portB);
                PresenceUa watcher = new PresenceUa("w" + run, portB); PresenceUa publisher = new PresenceUa("p" + run, portA)) {
            String presentity = publisher.aor();
            String ok = watcher.subscribe(presentity, "presence", "pg-s" + run, null, 1, 600, "");
            assertEquals(200, UdpPeer.status(ok), ok);
            String first = watcher.notifyAnswered(200, 5000);
            assertNotNull(first);

            String pub = publisher.publish(presentity, "pg-p" + run, null, 600, "application/pidf+xml",
                    PresenceUa.pidf(presentity, "t1", "open", "published at A"));
            assertEquals(200, UdpPeer.status(pub), pub);
            String n = watcher.notifyAnswered(200, 5000);
            assertNotNull(n, "node A notifies the watcher that subscribed at node B");
            assertTrue(PresenceUa.body(n).contains("published at A"), n);
            assertEquals(PresenceUa.cseq(first) + 1, PresenceUa.cseq(n), "the dialog's next CSeq, from the database");

            List<?> atB = (List<?>) b.rpc.call("presence.presentity_show", presentity);
            assertEquals(1, atB.size(), "node B sees A's publication");
            List<?> atA = (List<?>) a.rpc.call("presence.watcher_list", presentity, "presence");
            assertEquals(1, atA.size(), "node A lists the subscription made at B");

            // the watcher's refresh reaches node A this time: the dialog is the database's
            watcher.server = portA;
            String refresh = watcher.subscribe(presentity, "presence", "pg-s" + run, PresenceUa.toTag(ok), 2, 0, "");
            assertEquals(200, UdpPeer.status(refresh), refresh);
            String last = watcher.notifyAnswered(200, 5000);
            assertTrue(UdpPeer.header(last, "Subscription-State").startsWith("terminated"), last);
            assertEquals(List.of(), a.rpc.call("presence.watcher_list", presentity, "presence"));
            String gone = publisher.publish(presentity, "pg-p" + run, UdpPeer.header(pub, "SIP-ETag"), 0, null, null);
            assertEquals(200, UdpPeer.status(gone), gone);
        }
    }
}
