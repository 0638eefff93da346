package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default siphon.cfg with {@code -A WITH_AUTH}: REGISTER is challenged (401), answered with
 * the right password (200), refused with a wrong one, with a replayed nonce count and with a
 * stale nonce ({@code stale=true}); subscribers are added with {@code bin/siphon-ctl}.
 */
class AuthIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;

    @BeforeAll
    static void start() throws Exception {
        sipPort = SiphonServer.freePort();
        Path cfg = dir.resolve("auth.cfg");
        String defaults = Files.readString(SiphonServer.distribution().resolve("config/siphon.cfg"));
        Files.writeString(cfg, defaults.replace("####### Routing logic #########",
                "#!ifdef WITH_AUTH\nmodparam(\"auth\", \"nonce_expire\", 2)\n#!endif\n\n####### Routing logic #########"));
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-A", "WITH_AUTH", "-l", "udp:127.0.0.1:" + sipPort);
        server.awaitSettled();
        SiphonServer.Run added = server.ctl("subscriber.add", "alice@127.0.0.1", "s3cret");
        assertEquals(0, added.exitCode(), added.out() + added.err());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String md5(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static String register(UdpPeer ua, int cseq, String authorization) throws Exception {
        String req = UdpPeer.request("REGISTER", "sip:127.0.0.1:" + sipPort, ua.port(), "auth-reg", cseq, "z9hG4bKa" + cseq,
                authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                .replace("From: <sip:alice@127.0.0.1>", "From: <sip:alice@127.0.0.1>")
                .replace("<sip:127.0.0.1:" + sipPort + ">", "<sip:alice@127.0.0.1>");
        ua.send(req, sipPort);
        return ua.receive("SIP/2.0", 3000);
    }

    private static String digest(String nonce, String password, String nc) throws Exception {
        String uri = "sip:127.0.0.1:" + sipPort;
        String ha1 = md5("alice:127.0.0.1:" + password);
        String ha2 = md5("REGISTER:" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:" + ha2);
        return "Digest username=\"alice\", realm=\"127.0.0.1\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\""
                + response + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"c0ffee\"";
    }

    private static String nonce(String challenge) {
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(challenge);
        assertTrue(m.find(), challenge);
        return m.group(1);
    }

    @Test
    void registerIsChallengedAndAuthenticated() throws Exception {
        try (UdpPeer ua = new UdpPeer()) {
            long asked = System.nanoTime(); // the nonce is made after this
            String challenge = register(ua, 1, null);
            assertNotNull(challenge);
            assertTrue(challenge.startsWith("SIP/2.0 401"), challenge);
            assertTrue(UdpPeer.header(challenge, "WWW-Authenticate").contains("realm=\"127.0.0.1\""), challenge);
            String nonce = nonce(challenge);

            String wrong = register(ua, 2, digest(nonce, "guess", "00000001"));
            assertTrue(wrong.startsWith("SIP/2.0 401"), "a wrong password is challenged again: " + wrong);

            String ok = register(ua, 3, digest(nonce, "s3cret", "00000002"));
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);

            String replay = register(ua, 4, digest(nonce, "s3cret", "00000002"));
            assertTrue(replay.startsWith("SIP/2.0 401"), "the same nonce count again is a replay: " + replay);

            // the nonce keeps working (a fresh nonce count each time) until nonce_expire (2 s here) has passed
            String[] answer = new String[1];
            int[] nc = { 2 };
            assertTrue(SiphonServer.waitFor(6000, () -> {
                try {
                    nc[0]++;
                    answer[0] = register(ua, 3 + nc[0], digest(nonce, "s3cret", String.format("%08x", nc[0])));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                assertTrue(answer[0] != null && answer[0].startsWith("SIP/2.0 "), String.valueOf(answer[0]));
                return !answer[0].startsWith("SIP/2.0 200");
            }), "the nonce never expired: " + answer[0]);
            long age = (System.nanoTime() - asked) / 1_000_000; // at least the nonce's age when it was refused
            String stale = answer[0];
            assertTrue(stale.startsWith("SIP/2.0 401") && UdpPeer.header(stale, "WWW-Authenticate").contains("stale=true"),
                    "an expired nonce is answered stale=true: " + stale);
            assertTrue(age >= 1950, "stale only after nonce_expire, not after " + age + " ms"); // 50 ms: wall vs monotonic clock
            String again = register(ua, 4 + nc[0], digest(nonce(stale), "s3cret", "00000001"));
            assertTrue(again.startsWith("SIP/2.0 200"), again);
        }
    }

    /**
     * A scripted guess (as SIP attack tools do) from 127.0.0.2: after failed_auth_limit (10 in the
     * default config) wrong answers the address gets 403 and no challenge, while alice registers
     * from 127.0.0.1; auth.bans shows the ban and auth.unban lifts it.
     */
    @Test
    void aBruteForceFromOneAddressIsBanned() throws Exception {
        try (UdpPeer attacker = new UdpPeer("127.0.0.2"); UdpPeer alice = new UdpPeer()) {
            String first = guess(attacker, 100, null);
            assertTrue(first != null && first.startsWith("SIP/2.0 401"), String.valueOf(first));
            String nonce = nonce(first);
            String answer = null;
            for (int i = 1; i <= 10; i++) {
                answer = guess(attacker, 100 + i, guessDigest(nonce, "pw" + i, String.format("%08x", i)));
                assertNotNull(answer, "guess " + i + " answered");
            }
            assertTrue(answer.startsWith("SIP/2.0 403"), "the 10th failure bans: " + answer);
            String banned = guess(attacker, 200, null);
            assertTrue(banned != null && banned.startsWith("SIP/2.0 403") && UdpPeer.header(banned, "WWW-Authenticate") == null,
                    "banned: 403 without a challenge: " + banned);
            List<?> bans = (List<?>) server.rpc.call("auth.bans");
            assertTrue(bans.toString().contains("127.0.0.2"), bans.toString());
            assertTrue(server.log().contains("127.0.0.2 banned for 300 s after 10 failed authentications"), "one log line");

            String challenge = register(alice, 300, null);
            assertTrue(challenge.startsWith("SIP/2.0 401"), challenge);
            String ok = register(alice, 301, digest(nonce(challenge), "s3cret", "00000001"));
            assertTrue(ok.startsWith("SIP/2.0 200"), "alice from another address is not affected: " + ok);

            server.rpc.call("auth.unban", "127.0.0.2");
            String again = guess(attacker, 400, null);
            assertTrue(again.startsWith("SIP/2.0 401"), "unbanned: challenged again: " + again);
        }
    }

    /** A REGISTER for user admin (not a subscriber), as a guessing tool sends it. */
    private static String guess(UdpPeer ua, int cseq, String authorization) throws Exception {
        String req = UdpPeer.request("REGISTER", "sip:127.0.0.1:" + sipPort, ua.port(), "guess-" + cseq, cseq,
                "z9hG4bKg" + cseq, authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                .replace("sip:alice@127.0.0.1", "sip:admin@127.0.0.1")
                .replace("<sip:127.0.0.1:" + sipPort + ">", "<sip:admin@127.0.0.1>");
        ua.send(req, sipPort);
        return ua.receive("SIP/2.0", 3000);
    }

    private static String guessDigest(String nonce, String password, String nc) throws Exception {
        String uri = "sip:127.0.0.1:" + sipPort;
        String response = md5(md5("admin:127.0.0.1:" + password) + ":" + nonce + ":" + nc + ":c0ffee:auth:" + md5("REGISTER:" + uri));
        return "Digest username=\"admin\", realm=\"127.0.0.1\", nonce=\"" + nonce + "\", uri=\"" + uri + "\", response=\""
                + response + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"c0ffee\"";
    }
}
