package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default {@code config/siphon.cfg} with {@code WITH_PRESENCE}: PUBLISH and SUBSCRIBE to this
 * server's domain are served (NOTIFY with the PIDF), an in-dialog refresh that follows the 200's
 * Record-Route comes back to presence, and an unsubscribe ends the dialog; without the switch a
 * PUBLISH gets Kamailio's 404.
 */
class PresenceConfigIT {

    @TempDir
    Path dir;

    private SiphonServer start(String name, boolean presence, int sipPort) throws Exception {
        Path cfg = dir.resolve(name + ".cfg");
        Files.createDirectories(dir);
        String defaults = Files.readString(SiphonServer.distribution().resolve("config/siphon.cfg"));
        Files.writeString(cfg, presence ? defaults.replaceFirst("#!KAMAILIO\n", "#!KAMAILIO\n#!define WITH_PRESENCE\n")
                : defaults);
        SiphonServer s = SiphonServer.start(dir.resolve(name), "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
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
    void withPresenceTheDefaultScriptServesPublishAndSubscribe() throws Exception {
        int sipPort = SiphonServer.freePort();
        try (SiphonServer s = start("with", true, sipPort); PresenceUa pat = new PresenceUa("pat", sipPort);
                PresenceUa quinn = new PresenceUa("quinn", sipPort)) {
            String q = "sip:quinn@127.0.0.1:" + sipPort; // this server: uri == myself
            String pub = quinn.publish(q, "qp1", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(quinn.aor(), "q1", "open", "default config"));
            assertEquals(200, UdpPeer.status(pub), pub);
            String ok = pat.subscribe(q, "presence", "pq1", null, 1, 600, "");
            assertEquals(200, UdpPeer.status(ok), ok);
            String n = pat.notifyAnswered(200, 5000);
            assertNotNull(n, "a NOTIFY: " + s.log());
            assertTrue(PresenceUa.body(n).contains("default config"), n);
            assertTrue(UdpPeer.header(n, "Route") == null, "no Route to itself in the NOTIFY: " + n);

            String rr = UdpPeer.header(ok, "Record-Route");
            String route = rr == null ? "" : "Route: " + rr + "\r\n";
            String refresh = pat.subscribe(q, "presence", "pq1", PresenceUa.toTag(ok), 2, 600, route);
            assertEquals(200, UdpPeer.status(refresh), "the in-dialog refresh reaches presence: " + refresh);
            assertNotNull(pat.notifyAnswered(200, 5000));
            String bye = pat.subscribe(q, "presence", "pq1", PresenceUa.toTag(ok), 3, 0, route);
            assertEquals(200, UdpPeer.status(bye), bye);
            String last = pat.notifyWith("Subscription-State: terminated", 5000);
            assertNotNull(last);
            assertTrue(UdpPeer.header(last, "Subscription-State").startsWith("terminated"), last);
            String mwi = pat.subscribe(q, "message-summary", "pq2", null, 1, 600, "");
            assertEquals(404, UdpPeer.status(mwi), mwi);
        }
    }

    @Test
    void withoutPresenceAPublishGets404() throws Exception {
        int sipPort = SiphonServer.freePort();
        try (SiphonServer s = start("without", false, sipPort); PresenceUa ray = new PresenceUa("ray", sipPort)) {
            String pub = ray.publish("sip:ray@127.0.0.1:" + sipPort, "rp1", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(ray.aor(), "r1", "open", "x"));
            assertEquals(404, UdpPeer.status(pub), pub);
        }
    }
}
