package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * presence with its state in the database (the embedded H2 under data/): with
 * {@code subs_db_mode=1} and {@code publ_cache=1} a subscription and a publication made before a
 * restart are there after it: the watcher is listed, the old entity tag refreshes, and a
 * change of state reaches the watcher in its old dialog with a higher CSeq.
 */
class PresenceDbIT {

    @TempDir
    Path dir;

    static final String SCRIPT = PresenceIT.SCRIPT.replace("modparam(\"presence\", \"subs_db_mode\", 2)",
            "modparam(\"presence\", \"subs_db_mode\", 1)");

    private SiphonServer start(Path cfg, int sipPort) throws Exception {
        SiphonServer s = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((Map<?, ?>) s.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the script loads: " + s.log());
        return s;
    }

    @Test
    void aRestartKeepsSubscriptionsAndPublications() throws Exception {
        Path cfg = dir.resolve("presence-db.cfg");
        Files.createDirectories(dir);
        Files.writeString(cfg, SCRIPT);
        int sipPort = SiphonServer.freePort();
        try (PresenceUa nina = new PresenceUa("nina", sipPort); PresenceUa otto = new PresenceUa("otto", sipPort)) {
            String etag;
            String toTag;
            long cseq;
            SiphonServer first = start(cfg, sipPort);
            try {
                String pub = otto.publish(otto.aor(), "op1", null, 600, "application/pidf+xml",
                        PresenceUa.pidf(otto.aor(), "o1", "open", "before the restart"));
                assertEquals(200, UdpPeer.status(pub), pub);
                etag = UdpPeer.header(pub, "SIP-ETag");
                String ok = nina.subscribe(otto.aor(), "presence", "nr1", null, 1, 600, "");
                assertEquals(200, UdpPeer.status(ok), ok);
                toTag = PresenceUa.toTag(ok);
                String n = nina.notifyAnswered(200, 5000);
                assertNotNull(n);
                assertTrue(PresenceUa.body(n).contains("before the restart"), n);
                cseq = PresenceUa.cseq(n);
            } finally {
                first.close();
            }

            SiphonServer second = start(cfg, sipPort);
            try {
                List<?> listed = (List<?>) second.rpc.call("presence.watcher_list", otto.aor(), "presence");
                assertEquals(1, listed.size(), "the subscription is back: " + listed);
                assertEquals("sip:nina@127.0.0.1", ((Map<?, ?>) listed.get(0)).get("watcher_uri"));
                assertTrue(second.log().contains("loaded from the database"), second.log());

                String mod = otto.publish(otto.aor(), "op1", etag, 600, "application/pidf+xml",
                        PresenceUa.pidf(otto.aor(), "o1", "closed", "after the restart"));
                assertEquals(200, UdpPeer.status(mod), "the publication is back: " + mod);
                String n = nina.notifyWith("after the restart", 5000);
                assertNotNull(n, "the watcher hears of it in its old dialog");
                assertTrue(n.contains("tag=" + toTag), n);
                assertTrue(PresenceUa.body(n).contains("after the restart"), n);
                assertTrue(PresenceUa.cseq(n) > cseq, "the CSeq goes on from the database");
                assertEquals(200, UdpPeer.status(nina.subscribe(otto.aor(), "presence", "nr1", toTag, 2, 600, "")));
            } finally {
                second.close();
            }
        }
    }
}
