package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * presence and presence_xml in the real distribution, with the PRESENCE route of Kamailio's
 * default configuration (t_newtran, handle_publish / handle_subscribe, t_release): PUBLISH with
 * entity tags (new, refresh, modify, remove, a wrong tag), SUBSCRIBE and its NOTIFYs (current
 * PIDF, every watcher on a change, increasing CSeq, the terminating NOTIFY on expiry and on
 * unsubscribe, a 481 ends the subscription), watcherinfo, module.update presence, the RPC
 * listings, and bad input (malformed, oversized, an external entity, an unknown event, a storm
 * of SUBSCRIBEs from one watcher).
 */
class PresenceIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;

    static final String SCRIPT = """
            #!KAMAILIO
            #!define WITH_PRESENCE
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "maxfwd.so"
            loadmodule "textops.so"
            loadmodule "presence.so"
            loadmodule "presence_xml.so"
            modparam("tm", "fr_timer", 2000)
            modparam("presence", "subs_db_mode", 2)
            modparam("presence", "max_watcher_subscriptions", 20)
            modparam("presence_xml", "force_active", 1)
            modparam("presence_xml", "max_body_size", 4096)

            request_route {
                if (!mf_process_maxfwd_header("10")) {
                    sl_send_reply("483", "Too Many Hops");
                    exit;
                }
                route(PRESENCE);
                sl_send_reply("404", "Not here");
            }

            route[PRESENCE] {
                if (!is_method("PUBLISH|SUBSCRIBE")) {
                    return;
                }
            #!ifdef WITH_PRESENCE
                if (!t_newtran()) {
                    sl_reply_error();
                    exit;
                }
                if (is_method("PUBLISH")) {
                    handle_publish();
                    t_release();
                } else if (is_method("SUBSCRIBE")) {
                    handle_subscribe();
                    t_release();
                }
                exit;
            #!endif
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("presence.cfg");
        Files.writeString(cfg, SCRIPT);
        sipPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the script loads: " + server.log());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static List<?> watchers(String presentity, String event) throws Exception {
        return (List<?>) server.rpc.call("presence.watcher_list", presentity, event);
    }

    static boolean watcherCount(String presentity, String event, int n) {
        try {
            return watchers(presentity, event).size() == n;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void publishNewRefreshModifyRemoveAndWrongEtag() throws Exception {
        try (PresenceUa dan = new PresenceUa("dan", sipPort)) {
            String first = dan.publish(dan.aor(), "pub1", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(dan.aor(), "t1", "open", "here"));
            assertNotNull(first, "a reply to the PUBLISH");
            assertEquals(200, UdpPeer.status(first), first);
            String etag1 = UdpPeer.header(first, "SIP-ETag");
            assertNotNull(etag1, first);
            assertEquals("600", UdpPeer.header(first, "Expires"));

            List<?> listed = (List<?>) server.rpc.call("presence.presentity_list");
            assertTrue(listed.stream().anyMatch(p -> etag1.equals(((Map<?, ?>) p).get("etag"))), listed.toString());

            String refresh = dan.publish(dan.aor(), "pub1", etag1, 300, null, null);
            assertEquals(200, UdpPeer.status(refresh), refresh);
            String etag2 = UdpPeer.header(refresh, "SIP-ETag");
            assertTrue(etag2 != null && !etag2.equals(etag1), "a refresh gets a new entity tag: " + refresh);
            assertEquals("300", UdpPeer.header(refresh, "Expires"));

            String stale = dan.publish(dan.aor(), "pub1", etag1, 300, null, null);
            assertEquals(412, UdpPeer.status(stale), "the old tag is gone: " + stale);

            String modify = dan.publish(dan.aor(), "pub1", etag2, 300, "application/pidf+xml",
                    PresenceUa.pidf(dan.aor(), "t1", "closed", "away"));
            assertEquals(200, UdpPeer.status(modify), modify);
            String etag3 = UdpPeer.header(modify, "SIP-ETag");
            List<?> shown = (List<?>) server.rpc.call("presence.presentity_show", dan.aor());
            assertEquals(1, shown.size(), shown.toString());
            assertTrue(((String) ((Map<?, ?>) shown.get(0)).get("body")).contains("away"), shown.toString());

            String remove = dan.publish(dan.aor(), "pub1", etag3, 0, null, null);
            assertEquals(200, UdpPeer.status(remove), remove);
            assertEquals(List.of(), server.rpc.call("presence.presentity_show", dan.aor()));
            assertEquals(412, UdpPeer.status(dan.publish(dan.aor(), "pub1", etag3, 300, null, null)));
            assertEquals(400, UdpPeer.status(dan.publish(dan.aor(), "pub2", null, 300, null, null)),
                    "a new publication needs a body");
        }
    }

    @Test
    void subscribeGetsCurrentPidfAndEveryWatcherHearsOfAPublish() throws Exception {
        try (PresenceUa bob = new PresenceUa("bob", sipPort); PresenceUa alice = new PresenceUa("alice", sipPort);
                PresenceUa carol = new PresenceUa("carol", sipPort)) {
            String pub = bob.publish(bob.aor(), "bp1", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(bob.aor(), "bob-phone", "open", "at my desk"));
            assertEquals(200, UdpPeer.status(pub), pub);
            String etag = UdpPeer.header(pub, "SIP-ETag");

            String ok = alice.subscribe(bob.aor(), "presence", "as1", null, 1, 600, "Accept: application/pidf+xml\r\n");
            assertNotNull(ok);
            assertEquals(200, UdpPeer.status(ok), ok);
            String toTag = PresenceUa.toTag(ok);
            assertNotNull(toTag, "the 200 has the dialog's To tag: " + ok);
            assertNotNull(UdpPeer.header(ok, "Contact"), ok);
            assertEquals("600", UdpPeer.header(ok, "Expires"));
            String n1 = alice.notifyAnswered(200, 5000);
            assertNotNull(n1, "a NOTIFY after the 200");
            assertTrue(n1.startsWith("NOTIFY sip:alice@127.0.0.1:" + alice.port()), n1);
            assertTrue(UdpPeer.header(n1, "Subscription-State").startsWith("active;expires="), n1);
            assertEquals("presence", UdpPeer.header(n1, "Event"));
            assertTrue(UdpPeer.header(n1, "From").contains("tag=" + toTag), "From has the server's tag: " + n1);
            assertTrue(UdpPeer.header(n1, "To").contains("tag=fas1"), n1);
            assertEquals("as1", UdpPeer.header(n1, "Call-ID"));
            assertTrue(UdpPeer.header(n1, "Content-Type").startsWith("application/pidf+xml"), n1);
            assertTrue(PresenceUa.body(n1).contains("at my desk"), n1);

            assertEquals(200, UdpPeer.status(carol.subscribe(bob.aor(), "presence", "cs1", null, 1, 600, "")));
            assertNotNull(carol.notifyAnswered(200, 5000));
            assertTrue(SiphonServer.waitFor(5000, () -> watcherCount(bob.aor(), "presence", 2)));

            String mod = bob.publish(bob.aor(), "bp1", etag, 600, "application/pidf+xml",
                    PresenceUa.pidf(bob.aor(), "bob-phone", "closed", "in a meeting"));
            assertEquals(200, UdpPeer.status(mod), mod);
            String n2 = alice.notifyWith("in a meeting", 5000);
            assertNotNull(n2, "alice hears of the new state");
            assertTrue(PresenceUa.body(n2).contains("in a meeting"), n2);
            assertTrue(PresenceUa.cseq(n2) > PresenceUa.cseq(n1), "CSeq grows: " + n1 + n2);
            String c2 = carol.notifyWith("in a meeting", 5000);
            assertNotNull(c2, "carol too");
            assertTrue(PresenceUa.body(c2).contains("in a meeting"), c2);

            // a second publication of bob (another device): both in one PIDF
            String other = bob.publish(bob.aor(), "bp2", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(bob.aor(), "bob-laptop", "open", "laptop"));
            assertEquals(200, UdpPeer.status(other), other);
            String n3 = alice.notifyWith("bob-laptop", 5000);
            assertNotNull(n3);
            String agg = PresenceUa.body(n3);
            assertTrue(agg.contains("bob-phone") && agg.contains("bob-laptop"), "aggregated: " + agg);
            assertNotNull(carol.notifyAnswered(200, 5000));

            // refresh, then unsubscribe: 200 and the terminating NOTIFY
            String refresh = alice.subscribe(bob.aor(), "presence", "as1", toTag, 2, 600, "");
            assertEquals(200, UdpPeer.status(refresh), refresh);
            assertNotNull(alice.notifyAnswered(200, 5000), "send_fast_notify: a NOTIFY after a refresh");
            String bye = alice.subscribe(bob.aor(), "presence", "as1", toTag, 3, 0, "");
            assertEquals(200, UdpPeer.status(bye), bye);
            String last = alice.notifyWith("Subscription-State: terminated", 5000);
            assertNotNull(last);
            assertTrue(UdpPeer.header(last, "Subscription-State").startsWith("terminated"), last);
            assertTrue(SiphonServer.waitFor(5000, () -> watcherCount(bob.aor(), "presence", 1)));
            assertEquals(481, UdpPeer.status(alice.subscribe(bob.aor(), "presence", "as1", toTag, 4, 600, "")),
                    "the dialog is gone");

            // carol answers 481: her subscription ends
            bob.publish(bob.aor(), "bp2", UdpPeer.header(other, "SIP-ETag"), 600, "application/pidf+xml",
                    PresenceUa.pidf(bob.aor(), "bob-laptop", "closed", "gone"));
            assertNotNull(carol.notifyAnswered(481, 5000));
            assertTrue(SiphonServer.waitFor(5000, () -> watcherCount(bob.aor(), "presence", 0)),
                    "a 481 ends the subscription");
        }
    }

    @Test
    void winfoWatcherSeesANewWatcher() throws Exception {
        try (PresenceUa erin = new PresenceUa("erin", sipPort); PresenceUa frank = new PresenceUa("frank", sipPort)) {
            String ok = erin.subscribe(erin.aor(), "presence.winfo", "ew1", null, 1, 600, "");
            assertEquals(200, UdpPeer.status(ok), ok);
            String full = erin.notifyAnswered(200, 5000);
            assertNotNull(full);
            assertEquals("presence.winfo", UdpPeer.header(full, "Event"));
            assertTrue(UdpPeer.header(full, "Content-Type").startsWith("application/watcherinfo+xml"), full);
            assertTrue(PresenceUa.body(full).contains("state=\"full\""), full);
            assertTrue(PresenceUa.body(full).contains("version=\"0\""), full);

            String nosy = frank.subscribe(erin.aor(), "presence.winfo", "fw0", null, 1, 600, "");
            assertEquals(403, UdpPeer.status(nosy), "only erin may watch erin's watchers: " + nosy);
            assertEquals(200, UdpPeer.status(frank.subscribe(erin.aor(), "presence", "fw1", null, 1, 600, "")));
            assertNotNull(frank.notifyAnswered(200, 5000));
            String partial = erin.notifyAnswered(200, 5000);
            assertNotNull(partial, "erin hears of frank");
            String b = PresenceUa.body(partial);
            assertTrue(b.contains("state=\"partial\"") && b.contains("version=\"1\""), b);
            assertTrue(b.contains(">sip:frank@127.0.0.1</watcher>") && b.contains("status=\"active\""), b);
        }
    }

    @Test
    void expirySendsTheTerminatingNotify() throws Exception {
        try (PresenceUa gina = new PresenceUa("gina", sipPort)) {
            assertEquals(200, UdpPeer.status(gina.subscribe("sip:hank@127.0.0.1", "presence", "gx1", null, 1, 2, "")));
            String first = gina.notifyAnswered(200, 5000);
            assertNotNull(first);
            assertNull(PresenceUa.body(first).isEmpty() ? null : "body", "nothing published for hank: no body");
            String last = gina.notifyAnswered(200, 6000);
            assertNotNull(last, "a NOTIFY when the subscription expires");
            assertEquals("terminated;reason=timeout", UdpPeer.header(last, "Subscription-State"));
            assertTrue(PresenceUa.cseq(last) > PresenceUa.cseq(first));
            assertTrue(watcherCount("sip:hank@127.0.0.1", "presence", 0));
        }
    }

    @Test
    void moduleUpdatesKeepSubscriptionsAndPublications() throws Exception {
        try (PresenceUa ivan = new PresenceUa("ivan", sipPort); PresenceUa judy = new PresenceUa("judy", sipPort)) {
            String pub = judy.publish(judy.aor(), "jp1", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(judy.aor(), "j1", "open", "before"));
            String ok = ivan.subscribe(judy.aor(), "presence", "iu1", null, 1, 600, "");
            assertEquals(200, UdpPeer.status(ok));
            String n1 = ivan.notifyAnswered(200, 5000);
            assertNotNull(n1);

            Map<?, ?> updated = (Map<?, ?>) server.rpc.call("module.update", "presence");
            assertEquals("active", updated.get("state"), updated.toString());

            String mod = judy.publish(judy.aor(), "jp1", UdpPeer.header(pub, "SIP-ETag"), 600, "application/pidf+xml",
                    PresenceUa.pidf(judy.aor(), "j1", "closed", "after the update"));
            assertEquals(200, UdpPeer.status(mod), "the new version knows the old version's entity tag: " + mod);
            String n2 = ivan.notifyWith("after the update", 5000);
            assertNotNull(n2, "the new version notifies the old version's watcher");
            assertTrue(PresenceUa.body(n2).contains("after the update"), n2);
            assertTrue(PresenceUa.cseq(n2) > PresenceUa.cseq(n1), "CSeq continues across the update");
            assertEquals(200, UdpPeer.status(ivan.subscribe(judy.aor(), "presence", "iu1", PresenceUa.toTag(ok), 2, 600,
                    "")), "the dialog is known to the new version");
            assertNotNull(ivan.notifyAnswered(200, 5000));

            // presence_xml updated: its packages come back on the new version, no state lost
            Map<?, ?> xml = (Map<?, ?>) server.rpc.call("module.update", "presence_xml");
            assertEquals("active", xml.get("state"), xml.toString());
            String again = judy.publish(judy.aor(), "jp1", UdpPeer.header(mod, "SIP-ETag"), 600, "application/pidf+xml",
                    PresenceUa.pidf(judy.aor(), "j1", "open", "after presence_xml's update"));
            assertEquals(200, UdpPeer.status(again), again);
            String n3 = ivan.notifyWith("after presence_xml's update", 5000);
            assertNotNull(n3);
            assertTrue(PresenceUa.body(n3).contains("after presence_xml's update"), n3);
        }
    }

    @Test
    void badInputIsRefused() throws Exception {
        try (PresenceUa kim = new PresenceUa("kim", sipPort); ServerSocket trap = new ServerSocket()) {
            String broken = kim.publish(kim.aor(), "kb1", null, 600, "application/pidf+xml", "<presence><tuple>");
            assertEquals(400, UdpPeer.status(broken), broken);
            assertTrue(broken.startsWith("SIP/2.0 400 Bad PIDF: "), "the parser's reason: " + broken);

            String big = PresenceUa.pidf(kim.aor(), "t", "open", "x".repeat(5000));
            assertEquals(413, UdpPeer.status(kim.publish(kim.aor(), "kb2", null, 600, "application/pidf+xml", big)));

            trap.bind(new InetSocketAddress("127.0.0.1", 0));
            String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE presence [<!ENTITY x SYSTEM \"http://127.0.0.1:"
                    + trap.getLocalPort() + "/secret\">]>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\""
                    + kim.aor() + "\"><note>&x;</note></presence>";
            String refused = kim.publish(kim.aor(), "kb3", null, 600, "application/pidf+xml", xxe);
            assertEquals(400, UdpPeer.status(refused), refused);
            trap.setSoTimeout(500);
            boolean fetched;
            try (var c = trap.accept()) {
                fetched = true;
            } catch (SocketTimeoutException e) {
                fetched = false;
            }
            assertTrue(!fetched, "nothing was fetched");

            assertEquals(415, UdpPeer.status(kim.publish(kim.aor(), "kb4", null, 600, "text/plain", "hi")));
            assertEquals(List.of(), server.rpc.call("presence.presentity_show", kim.aor()), "nothing stored");

            String unknown = kim.subscribe("sip:lee@127.0.0.1", "message-summary", "ku1", null, 1, 600, "");
            assertEquals(489, UdpPeer.status(unknown), unknown);
            assertTrue(UdpPeer.header(unknown, "Allow-Events").contains("presence"), unknown);
        }
    }

    @Test
    void aSubscribeStormFromOneWatcherIsBounded() throws Exception {
        try (PresenceUa mallory = new PresenceUa("mallory", sipPort)) {
            int ok = 0;
            int refused = 0;
            for (int i = 0; i < 40; i++) {
                String r = mallory.subscribe("sip:victim" + i + "@127.0.0.1", "presence", "storm" + i, null, 1, 600, "");
                assertNotNull(r, "every SUBSCRIBE is answered");
                if (UdpPeer.status(r) == 200) {
                    assertNotNull(mallory.notifyAnswered(200, 5000), "each accepted one gets its NOTIFY");
                    ok++;
                } else {
                    assertEquals(503, UdpPeer.status(r), r);
                    assertNotNull(UdpPeer.header(r, "Retry-After"), r);
                    refused++;
                }
            }
            assertEquals(20, ok, "max_watcher_subscriptions");
            assertEquals(20, refused);
            List<?> all = (List<?>) server.rpc.call("presence.watcher_list");
            assertEquals(20, all.stream().filter(w -> "sip:mallory@127.0.0.1".equals(((Map<?, ?>) w).get("watcher_uri")))
                    .count());
            Map<?, ?> stats = (Map<?, ?>) server.rpc.call("stats.get_statistics", "presence:refused_subscribe");
            assertEquals(20L, ((Number) stats.get("presence:refused_subscribe")).longValue());
        }
    }
}
