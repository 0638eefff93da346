package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Presence authorisation by pres-rules (issue 24 item 4) with XCAP as Kamailio's sample config
 * serves it: presence_xml with {@code force_active=0} and {@code integrated_xcap_server=1},
 * xcap_server in {@code event_route[xhttp:request]} behind {@code www_authorize}/{@code
 * www_challenge} (HTTP digest against the subscriber table, {@code $au} checked against the
 * document's owner), and {@code pres_update_watchers} after each pres-rules PUT or DELETE. A
 * watcher is pending until the presentity allows it; polite-block, confirm, block, a domain rule
 * with an exception and the rules' removal each change what the watchers get, as Kamailio 5.6 does
 * on the same scenario (differences in presence_xml's README).
 */
class PresenceRulesIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int port;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    static final String SCRIPT = """
            #!KAMAILIO
            tcp_accept_no_cl=yes
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "auth.so"
            loadmodule "auth_db.so"
            loadmodule "xhttp.so"
            loadmodule "xcap_server.so"
            loadmodule "presence.so"
            loadmodule "presence_xml.so"
            loadmodule "htable.so"
            modparam("htable", "htable", "subs=>size=4;")
            modparam("htable", "htable", "nr=>size=4;")
            modparam("auth_db", "calculate_ha1", yes)
            modparam("auth_db", "password_column", "password")
            modparam("presence", "subs_db_mode", 2)
            modparam("presence_xml", "force_active", 0)
            modparam("presence_xml", "integrated_xcap_server", 1)

            request_route {
                if (is_method("MESSAGE")) {
                    if (pres_check_basic("$ru", "$hdr(X-Basic)")) {
                        sl_send_reply("200", "basic yes");
                    } else if (pres_check_activities("$ru", "$hdr(X-Activity)")) {
                        sl_send_reply("200", "activity yes");
                    } else {
                        sl_send_reply("200", "no");
                    }
                    exit;
                }
                if (!is_method("PUBLISH|SUBSCRIBE")) {
                    sl_send_reply("404", "Not here");
                    exit;
                }
                if (!t_newtran()) {
                    sl_reply_error();
                    exit;
                }
                if (is_method("PUBLISH")) {
                    handle_publish();
                } else {
                    if (handle_subscribe()) {
                        $sht(subs=>$ci) = "$subs(uri)|$subs(watcher_username)|$subs(event)|$subs(status)";
                    }
                }
                t_release();
                exit;
            }

            event_route[presence:notify-reply] {
                $sht(nr=>$ci) = "$notify_reply($rs) $notify_reply($rr) $subs(watcher_username)";
            }

            event_route[xhttp:request] {
                if ($hu =~ "^/xcap-root/") {
                    if (!www_authorize("xcap", "subscriber")) {
                        www_challenge("xcap", "0");
                        exit;
                    }
                    $xcapuri(u=>data) = $hu;
                    $var(uri) = $xcapuri(u=>xuid);
                    if ($au != $(var(uri){uri.user})) {
                        xhttp_reply("403", "Forbidden", "text/plain", "not your document");
                        exit;
                    }
                    if ($rm == "PUT") {
                        xcaps_put("$var(uri)", "$hu", "$rb");
                        if ($xcapuri(u=>auid) =~ "pres-rules") {
                            pres_update_watchers("$var(uri)", "presence");
                        }
                        exit;
                    }
                    if ($rm == "GET") {
                        xcaps_get("$var(uri)", "$hu");
                        exit;
                    }
                    if ($rm == "DELETE") {
                        xcaps_del("$var(uri)", "$hu");
                        if ($xcapuri(u=>auid) =~ "pres-rules") {
                            pres_update_watchers("$var(uri)", "presence");
                        }
                        exit;
                    }
                }
                xhttp_reply("404", "Not Found", "", "");
            }
            """;

    static final String RULES = "/xcap-root/pres-rules/users/sip:alice@127.0.0.1/index";

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("rules.cfg");
        Files.writeString(cfg, SCRIPT);
        port = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + port, "-l",
                "tcp:127.0.0.1:" + port);
        server.awaitSettled();
        for (String u : List.of("alice", "bob")) {
            SiphonServer.Run added = server.ctl("subscriber.add", u + "@127.0.0.1", u + "-secret");
            assertEquals(0, added.exitCode(), added.out() + added.err());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String rules(String conditions, String action) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cr:ruleset xmlns=\"urn:ietf:params:xml:ns:pres-rules\" "
                + "xmlns:cr=\"urn:ietf:params:xml:ns:common-policy\">\n  <cr:rule id=\"r1\">\n    <cr:conditions>"
                + conditions + "</cr:conditions>\n    <cr:actions><sub-handling>" + action + "</sub-handling></cr:actions>\n"
                + "    <cr:transformations/>\n  </cr:rule>\n</cr:ruleset>\n";
    }

    static String one(String user) {
        return "<cr:identity><cr:one id=\"sip:" + user + "@127.0.0.1\"/></cr:identity>";
    }

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static HttpResponse<String> http(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/auth-policy+xml");
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request as a digest client makes it: first without credentials (401, the challenge), then answering it. */
    static HttpResponse<String> authorised(String user, String method, String path, String body) throws Exception {
        HttpResponse<String> challenge = http(method, path, body, null);
        assertEquals(401, challenge.statusCode(), challenge.body());
        String www = challenge.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertTrue(www.startsWith("Digest ") && www.contains("realm=\"xcap\""), www);
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(www);
        assertTrue(m.find(), www);
        String nonce = m.group(1);
        String ha1 = md5(user + ":xcap:" + user + "-secret");
        String response = md5(ha1 + ":" + nonce + ":" + md5(method + ":" + path));
        return http(method, path, body, "Digest username=\"" + user + "\", realm=\"xcap\", nonce=\"" + nonce
                + "\", uri=\"" + path + "\", response=\"" + response + "\", algorithm=MD5");
    }

    /** An htable item through RPC, waiting a little for the notify-reply route (it runs after the 200 arrives). */
    static String htable(String table, String key) throws Exception {
        long end = System.currentTimeMillis() + 5000;
        String last = null;
        while (System.currentTimeMillis() < end) {
            SiphonServer.Run r = server.ctl("htable.get", table, key);
            last = r.out() + r.err();
            java.util.regex.Matcher m = Pattern.compile("\"value\"\\s*:\\s*\"([^\"]*)\"").matcher(r.out());
            if (r.exitCode() == 0 && m.find()) {
                return m.group(1);
            }
            Thread.onSpinWait();
        }
        return last;
    }

    static String state(String notify) {
        return UdpPeer.header(notify, "Subscription-State");
    }

    static String check(PresenceUa ua, String presentity, String basic, String activity) throws Exception {
        ua.peer.send("MESSAGE " + presentity + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=z9hG4bKm"
                + basic + activity + ";rport\r\nMax-Forwards: 70\r\nFrom: <" + ua.aor() + ">;tag=m1\r\nTo: <" + presentity
                + ">\r\nCall-ID: chk-" + basic + activity + "\r\nCSeq: 1 MESSAGE\r\nX-Basic: " + basic + "\r\nX-Activity: "
                + activity + "\r\nContent-Length: 0\r\n\r\n", port);
        String r = ua.next("SIP/2.0", 5000);
        assertNotNull(r);
        return r.split("\r\n")[0].substring("SIP/2.0 200 ".length());
    }

    @Test
    void presCheckBasicAndActivities() throws Exception {
        try (PresenceUa zoe = new PresenceUa("zoe", port)) {
            assertEquals("no", check(zoe, zoe.aor(), "open", "busy"), "nothing published");
            String pidf = "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                    + "xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" "
                    + "entity=\"" + zoe.aor() + "\"><tuple id=\"z\"><status><basic>closed</basic></status></tuple>"
                    + "<dm:person id=\"p\"><rpid:activities><rpid:busy/></rpid:activities></dm:person></presence>";
            assertEquals(200, UdpPeer.status(zoe.publish(zoe.aor(), "zpub", null, 600, "application/pidf+xml", pidf)));
            assertEquals("basic yes", check(zoe, zoe.aor(), "closed", "x"));
            assertEquals("activity yes", check(zoe, zoe.aor(), "open", "busy"));
            assertEquals("no", check(zoe, zoe.aor(), "open", "away"));
        }
    }

    @Test
    void presRulesDecideAndPutReevaluates() throws Exception {
        try (PresenceUa alice = new PresenceUa("alice", port); PresenceUa bob = new PresenceUa("bob", port);
                PresenceUa winfo = new PresenceUa("alice", port); PresenceUa carol = new PresenceUa("carol", port);
                PresenceUa dave = new PresenceUa("dave", port); PresenceUa erin = new PresenceUa("erin", port)) {
            assertEquals(200, UdpPeer.status(alice.publish(alice.aor(), "pub1", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(alice.aor(), "a1", "open", "alice is in"))));

            // no pres-rules: pending, no state
            assertEquals(200, UdpPeer.status(bob.subscribe(alice.aor(), "presence", "bob1", null, 1, 600, "")));
            String n = bob.notifyAnswered(200, 5000);
            assertNotNull(n);
            assertTrue(state(n).startsWith("pending;expires="), n);
            assertEquals("", PresenceUa.body(n), n);
            // $subs after handle_subscribe, $notify_reply and $subs in event_route[presence:notify-reply]
            assertEquals("sip:alice@127.0.0.1|bob|presence|2", htable("subs", "bob1"));
            assertEquals("200 OK bob", htable("nr", "bob1"));

            // the presentity's watcherinfo names the pending watcher
            assertEquals(200, UdpPeer.status(winfo.subscribe(alice.aor(), "presence.winfo", "w1", null, 1, 600, "")));
            String w = winfo.notifyAnswered(200, 5000);
            assertNotNull(w);
            assertTrue(PresenceUa.body(w).contains("status=\"pending\"") && PresenceUa.body(w).contains("sip:bob@127.0.0.1"),
                    w);
            // anyone else's watcherinfo SUBSCRIBE: 403
            assertEquals(403, UdpPeer.status(erin.subscribe(alice.aor(), "presence.winfo", "e1", null, 1, 600, "")));

            // XCAP: a challenge without credentials, 403 for another user's document, wrong password 401 again
            HttpResponse<String> none = http("PUT", RULES, rules(one("bob"), "allow"), null);
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").contains("nonce="), none.headers().toString());
            assertEquals(403, authorised("bob", "PUT", RULES, rules(one("bob"), "allow")).statusCode(),
                    "bob may not write alice's pres-rules");
            assertEquals(401, http("PUT", RULES, rules(one("bob"), "allow"), "Digest username=\"alice\", realm=\"xcap\", "
                    + "nonce=\"bogus\", uri=\"" + RULES + "\", response=\"00000000000000000000000000000000\"").statusCode());
            assertEquals(200, UdpPeer.status(bob.subscribe(alice.aor(), "presence", "bob-probe", null, 1, 0, "")),
                    "a fetch still works");
            bob.notifyAnswered(200, 5000); // the fetch's terminating NOTIFY

            // allow bob: the PUT's pres_update_watchers sends him the state at once, and the winfo says approved
            HttpResponse<String> put = authorised("alice", "PUT", RULES, rules(one("bob"), "allow"));
            assertEquals(201, put.statusCode(), put.body());
            n = bob.notifyAnswered(200, 5000);
            assertNotNull(n, "no NOTIFY after the allowing PUT");
            assertTrue(state(n).startsWith("active;expires="), n);
            assertTrue(PresenceUa.body(n).contains("alice is in"), n);
            w = winfo.notifyWith("status=\"active\"", 5000);
            assertNotNull(w, "no partial watcherinfo with bob active");
            assertTrue(PresenceUa.body(w).contains("state=\"partial\"") && PresenceUa.body(w).contains("approved"), w);

            // polite-block: still active, but no state
            assertEquals(200, authorised("alice", "PUT", RULES, rules(one("bob"), "polite-block")).statusCode());
            n = bob.notifyAnswered(200, 5000);
            assertNotNull(n);
            assertTrue(state(n).startsWith("active;"), n);
            assertEquals("", PresenceUa.body(n), n);
            assertEquals(200, UdpPeer.status(alice.publish(alice.aor(), "pub2", null, 600, "application/pidf+xml",
                    PresenceUa.pidf(alice.aor(), "a2", "closed", "second device"))));
            n = bob.notifyAnswered(200, 5000);
            assertNotNull(n);
            assertEquals("", PresenceUa.body(n), "a polite-blocked watcher hears no state: " + n);

            // confirm: back to pending
            assertEquals(200, authorised("alice", "PUT", RULES, rules(one("bob"), "confirm")).statusCode());
            n = bob.notifyAnswered(200, 5000);
            assertNotNull(n);
            assertTrue(state(n).startsWith("pending;"), n);

            // a domain rule with an exception: dave allowed, carol (excepted) pending; bob allowed again
            assertEquals(200, authorised("alice", "PUT", RULES, rules("<cr:identity><cr:many domain=\"127.0.0.1\">"
                    + "<cr:except id=\"sip:carol@127.0.0.1\"/></cr:many></cr:identity>", "allow")).statusCode());
            n = bob.notifyAnswered(200, 5000);
            assertNotNull(n);
            assertTrue(state(n).startsWith("active;") && PresenceUa.body(n).contains("alice is in"), n);
            assertEquals(200, UdpPeer.status(dave.subscribe(alice.aor(), "presence", "dave1", null, 1, 600, "")));
            n = dave.notifyAnswered(200, 5000);
            assertTrue(n != null && state(n).startsWith("active;") && PresenceUa.body(n).contains("<presence"), n);
            assertEquals(200, UdpPeer.status(carol.subscribe(alice.aor(), "presence", "carol1", null, 1, 600, "")));
            n = carol.notifyAnswered(200, 5000);
            assertTrue(n != null && state(n).startsWith("pending;"), n);

            // the document over GET with curl --digest, as a client would read it back
            if (Files.isExecutable(Path.of("/usr/bin/curl"))) {
                SiphonServer.Run curl = SiphonServer.run(List.of("/usr/bin/curl", "-s", "--max-time", "5", "--digest",
                        "-u", "alice:alice-secret", "-w", "\n%{http_code}", "http://127.0.0.1:" + port + RULES));
                assertTrue(curl.out().trim().endsWith("200") && curl.out().contains("except"), curl.out() + curl.err());
            }

            // block bob: his subscription ends (rejected); a new SUBSCRIBE of his is accepted and ended at once
            assertEquals(200, authorised("alice", "PUT", RULES, rules(one("bob"), "block")).statusCode());
            n = bob.notifyAnswered(200, 5000);
            assertNotNull(n);
            assertEquals("terminated;reason=rejected", state(n), n);
            assertEquals(200, UdpPeer.status(bob.subscribe(alice.aor(), "presence", "bob2", null, 1, 600, "")));
            n = bob.notifyAnswered(200, 5000);
            assertTrue(n != null && "terminated;reason=rejected".equals(state(n)), n);
            // dave matches no rule now: his active subscription ends (probation, Kamailio's xcapauth_userdel_reason)
            n = dave.notifyAnswered(200, 5000);
            assertTrue(n != null && "terminated;reason=probation".equals(state(n)), n);

            // the rules removed: carol stays pending, nothing sent to her
            assertEquals(200, authorised("alice", "DELETE", RULES, null).statusCode());
            assertEquals(null, carol.next("NOTIFY", 1000), "a pending watcher is left as it is");
            assertEquals(404, authorised("alice", "GET", RULES, null).statusCode());
        }
    }
}
