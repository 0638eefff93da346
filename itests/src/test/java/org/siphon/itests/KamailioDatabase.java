package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kamailio 5.6's stock {@code kamailio.cfg} with {@code WITH_MYSQL WITH_AUTH WITH_USRLOCDB
 * WITH_ACCDB}, run by Siphon against a database made by Kamailio's own schema files, with a
 * subscriber inserted as {@code kamctl add} does: a REGISTER with digest authentication, the
 * contact in Kamailio's {@code location} layout, a call and a refused call in {@code acc} and
 * {@code missed_calls} (the stock config's {@code db_extra} columns added by Siphon), and the
 * registration surviving a restart. A subclass names the database and how to query it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KamailioDatabase {

    @TempDir
    static Path dir;
    SiphonServer server;
    int sipPort;
    Path cfg;

    /** The {@code db_url} (DBURL of the stock config). */
    abstract String dbUrl();

    /** Makes the database with Kamailio's schema (empty tables subscriber, location, acc, missed_calls). */
    abstract void createDatabase() throws Exception;

    /** The rows of a query, columns joined with {@code |}. */
    abstract List<String> query(String sql) throws Exception;

    static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    static List<String> lines(SiphonServer.Run r, String what) {
        assertEquals(0, r.exitCode(), what + ": " + r.err());
        List<String> out = new ArrayList<>();
        for (String l : r.out().split("\n")) {
            if (!l.isBlank()) {
                out.add(l.replace('\t', '|'));
            }
        }
        return out;
    }

    @BeforeAll
    void start() throws Exception {
        createDatabase();
        // as kamctl add bob@127.0.0.1 s3cret does it
        query("INSERT INTO subscriber (username, domain, password, ha1, ha1b) VALUES ('bob', '127.0.0.1', 's3cret', '"
                + md5("bob:127.0.0.1:s3cret") + "', '" + md5("bob@127.0.0.1:127.0.0.1:s3cret") + "')");
        cfg = dir.resolve("kamailio.cfg");
        Files.copy(KamailioConfigIT.stock(), cfg);
        sipPort = SiphonServer.freePort();
        server = startServer();
    }

    SiphonServer startServer() throws Exception {
        SiphonServer s = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort, "-A", "WITH_MYSQL",
                "-A", "WITH_AUTH", "-A", "WITH_USRLOCDB", "-A", "WITH_ACCDB", "-A", "DBURL=\"" + dbUrl() + "\"");
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((Map<?, ?>) s.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the stock config loads: " + s.log());
        return s;
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String register(UdpPeer bob, int cseq, String authorization) throws Exception {
        bob.send("REGISTER sip:127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                + ";branch=z9hG4bKdb" + cseq + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=b1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\nCall-ID: db-reg\r\nCSeq: " + cseq + " REGISTER\r\nContact: <sip:bob@127.0.0.1:"
                + bob.port() + ">\r\nExpires: 600\r\nUser-Agent: itest\r\n" + authorization + "Content-Length: 0\r\n\r\n", sipPort);
        return bob.receive("SIP/2.0", 3000);
    }

    /** The stock config challenges with auth_challenge("$fd", "0"): no qop. */
    private String authorization(String challenge, String password) throws Exception {
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
        assertTrue(m.find(), challenge);
        String uri = "sip:127.0.0.1:" + sipPort;
        String response = md5(md5("bob:127.0.0.1:" + password) + ":" + m.group(1) + ":" + md5("REGISTER:" + uri));
        return "Authorization: Digest username=\"bob\", realm=\"127.0.0.1\", nonce=\"" + m.group(1) + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=MD5\r\n";
    }

    /** carol of another domain calls bob; bob answers {@code code}; an answered call is ended with a BYE. */
    private void call(UdpPeer carol, UdpPeer bob, String callId, int code) throws Exception {
        String from = "From: <sip:carol@example.net>;tag=c" + callId + "\r\n";
        carol.send(UdpPeer.request("INVITE", "sip:bob@127.0.0.1:" + sipPort, carol.port(), callId, 1, "z9hG4bK" + callId + "i", "")
                .replaceFirst("From: [^\r]*\r\n", from), sipPort);
        String invite = bob.receive("INVITE", 3000);
        assertNotNull(invite, "the INVITE reached bob's contact: " + server.log());
        bob.reply(invite, code, code == 200 ? "OK" : "Busy Here", "bt" + callId, sipPort);
        String answer = carol.receive("SIP/2.0 " + code, 3000);
        assertNotNull(answer, "carol got " + code);
        if (code != 200) {
            return;
        }
        String route = "Route: " + UdpPeer.header(answer, "Record-Route") + "\r\n";
        String to = "To: <sip:bob@127.0.0.1>;tag=bt" + callId + "\r\n";
        carol.send(UdpPeer.request("ACK", "sip:bob@127.0.0.1:" + bob.port(), carol.port(), callId, 1, "z9hG4bK" + callId + "a",
                route).replaceFirst("From: [^\r]*\r\n", from).replaceFirst("To: [^\r]*\r\n", to), sipPort);
        assertNotNull(bob.receive("ACK", 3000));
        carol.send(UdpPeer.request("BYE", "sip:bob@127.0.0.1:" + bob.port(), carol.port(), callId, 2, "z9hG4bK" + callId + "b",
                route).replaceFirst("From: [^\r]*\r\n", from).replaceFirst("To: [^\r]*\r\n", to), sipPort);
        String bye = bob.receive("BYE", 3000);
        assertNotNull(bye, "the BYE reached bob");
        bob.reply(bye, 200, "OK", "bt" + callId, sipPort);
        assertNotNull(carol.receive("SIP/2.0 200", 3000));
    }

    /** After the test's calls, with bob registered: a subclass may check more with the same peers. */
    void alsoKamailio(UdpPeer carol, UdpPeer bob) throws Exception {
    }

    /** An INVITE from carol to bob through the proxy at {@code port} reaches bob and is answered 486. */
    static void inviteReachesBob(UdpPeer carol, UdpPeer bob, int port, String callId) throws Exception {
        carol.send(UdpPeer.request("INVITE", "sip:bob@127.0.0.1:" + port, carol.port(), callId, 1, "z9hG4bK" + callId, "")
                .replaceFirst("From: [^\r]*\r\n", "From: <sip:carol@example.net>;tag=k1\r\n"), port);
        String invite = bob.receive("INVITE", 5000);
        assertNotNull(invite, "the INVITE through port " + port + " reached bob");
        bob.reply(invite, 486, "Busy Here", "kb", port);
        assertNotNull(carol.receive("SIP/2.0 486", 3000));
    }

    @Test
    void registerCallAccountAndRestart() throws Exception {
        try (UdpPeer bob = new UdpPeer(); UdpPeer carol = new UdpPeer()) {
            String challenge = register(bob, 1, "");
            assertTrue(challenge != null && challenge.startsWith("SIP/2.0 401"), String.valueOf(challenge));
            String wrong = register(bob, 2, authorization(challenge, "guess"));
            assertTrue(wrong != null && wrong.startsWith("SIP/2.0 401"), "a wrong password is challenged again: " + wrong);
            String ok = register(bob, 3, authorization(challenge, "s3cret"));
            assertTrue(ok != null && ok.startsWith("SIP/2.0 200"), "bob authenticates against kamctl's row: " + ok);

            server.rpc.call("ul.flush"); // db_mode 2 (the stock WITH_USRLOCDB) writes at its timer, or now
            List<String> rows = query("SELECT username, contact, callid, cseq, user_agent FROM location");
            assertEquals(List.of("bob|sip:bob@127.0.0.1:" + bob.port() + "|db-reg|3|itest"), rows,
                    "the contact in Kamailio's location layout");
            List<String> expires = query("SELECT expires FROM location");
            assertTrue(expires.get(0).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.0+)?"), "a DATETIME: " + expires);

            call(carol, bob, "dbcall", 200);
            call(carol, bob, "dbbusy", 486);
            assertTrue(SiphonServer.waitFor(5000, () -> {
                try {
                    return query("SELECT method FROM acc WHERE callid = 'dbcall'").size() == 2
                            && query("SELECT sip_code FROM missed_calls WHERE callid = 'dbbusy'").size() == 1;
                } catch (Exception e) {
                    return false;
                }
            }), "acc rows: " + query("SELECT method, callid FROM acc") + "; log: " + server.log());
            assertEquals(List.of("INVITE|200|carol|example.net|bob", "BYE|200|carol|example.net|bob"),
                    query("SELECT method, sip_code, src_user, src_domain, dst_user FROM acc WHERE callid = 'dbcall' ORDER BY id"),
                    "the stock config's db_extra columns, added to Kamailio's acc table");
            assertEquals(List.of("INVITE|486|Busy Here"), query("SELECT method, sip_code, sip_reason FROM missed_calls "
                    + "WHERE callid = 'dbbusy'"));

            server.stop(20_000); // SIGTERM: usrloc writes its pending contacts as it stops
            server = startServer();
            call(carol, bob, "dbafter", 200);
            alsoKamailio(carol, bob);
        }
        String log = server.log();
        assertTrue(!log.contains(" ERROR "), "no ERROR: " + log.lines().filter(l -> l.contains(" ERROR ")).toList());
    }
}
