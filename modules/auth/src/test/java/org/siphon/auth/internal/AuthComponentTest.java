package org.siphon.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.db.Database;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.SipMessage;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;
import org.siphon.test.TestStores;
import org.siphon.test.TestMessages;

class AuthComponentTest {

    @TempDir
    Path home;
    long now = 1_000_000;
    final List<String> replies = new ArrayList<>();
    final SipCore core = new StubSipCore() {
        @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) {
            StringBuilder sb = new StringBuilder(Integer.toString(status));
            extra.forEach(h -> sb.append(" | ").append(h.name()).append(": ").append(h.value()));
            AuthComponentTest.this.replies.add(sb.toString());
        }
    };
    Database db;
    AuthComponent auth;

    AuthComponent auth(String algorithm) throws Exception {
        return auth(algorithm, 0, "ha1");
    }

    AuthComponent auth(String algorithm, int calculateHa1, String passwordColumn) throws Exception {
        db = TestStores.database("h2:mem:auth" + System.nanoTime(), home);
        AuthComponent a = new AuthComponent(core, db, config("test-secret", algorithm, calculateHa1, passwordColumn), () -> now);
        a.rpcCommands().get(0).handler().call(new RpcParams("subscriber.add", List.of("alice@example.com", "secret")));
        return a;
    }

    static AuthComponent.Config config(String secret, String algorithm, int calculateHa1, String passwordColumn) {
        return config(secret, algorithm, calculateHa1, passwordColumn, "");
    }

    static AuthComponent.Config config(String secret, String algorithm, int calculateHa1, String passwordColumn,
            String loadCredentials) {
        return config("secret", secret, "algorithm", algorithm, "calculate__ha1", calculateHa1, "password__column",
                passwordColumn, "load__credentials", loadCredentials);
    }

    /** The module's configuration: its defaults, with {@code name, value} pairs overriding them. */
    static AuthComponent.Config config(Object... overrides) {
        return TestConfigs.of(AuthComponent.Config.class, overrides);
    }

    @AfterEach
    void close() {
        TestStores.close(db);
    }

    static TestActionContext register(String authorization) {
        return register(authorization, "10.0.0.1");
    }

    static TestActionContext register(String authorization, String ip) {
        String text = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\nCall-ID: c\r\nCSeq: 1 REGISTER\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Content-Length: 0\r\n\r\n";
        SipMessage m = TestMessages.parse(text, new SipSource("udp", new InetSocketAddress(ip, 5060), new InetSocketAddress("127.0.0.1", 5060)));
        return new TestActionContext(m, RouteType.REQUEST);
    }

    int call(String name, ActionContext ctx, String... args) throws Exception {
        FunctionExport f = auth.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    String nonce() throws Exception {
        call("auth_challenge", register(null), "example.com", "1");
        Matcher m = Pattern.compile("nonce=\"([^\"]+)\"").matcher(replies.get(replies.size() - 1));
        assertTrue(m.find());
        return m.group(1);
    }

    static String credentials(Digest.Algorithm alg, String user, String password, String nonce, String nc) {
        String ha1 = Digest.ha1(alg, user, "example.com", password);
        String response = Digest.response(alg, ha1, nonce, nc, "abc", "auth", "REGISTER", "sip:example.com");
        return "Digest username=\"" + user + "\", realm=\"example.com\", nonce=\"" + nonce + "\", uri=\"sip:example.com\", "
                + "response=\"" + response + "\", algorithm=" + alg.token + ", qop=auth, nc=" + nc + ", cnonce=\"abc\"";
    }

    @Test
    void challengeThenAuthorise() throws Exception {
        auth = auth("MD5");
        assertEquals(-5, call("auth_check", register(null), "example.com", "subscriber", "1"), "no credentials");
        String nonce = nonce();
        assertTrue(replies.get(0).startsWith("401 | WWW-Authenticate: Digest realm=\"example.com\", nonce=\""), replies.get(0));
        assertTrue(replies.get(0).endsWith("qop=\"auth\", algorithm=MD5"), replies.get(0));
        TestActionContext ok = register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000001"));
        assertEquals(1, call("auth_check", ok, "example.com", "subscriber", "1"));
        assertEquals(1, call("consume_credentials", ok));
        assertFalse(new String(TestMessages.bytes(ok.message()), StandardCharsets.UTF_8).contains("Authorization"));
        assertEquals(-6, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000001")),
                "example.com", "subscriber", "1"), "the same nc again is a replay");
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000002")),
                "example.com", "subscriber", "1"), "a higher nc is fine");
    }

    /** cfg.reload: new algorithms apply to the next challenge, nonces given out stay valid; a new secret ends them. */
    /** load_credentials (the stock config's WITH_AUTH sets it, empty): columns of the subscriber become AVPs. */
    @Test
    void loadCredentialsFillsAvpsAfterASuccessfulCheck() throws Exception {
        auth = auth("MD5");
        auth.modified(config("test-secret", "MD5", 0, "ha1", "$avp(who)=username;domain"));
        String nonce = nonce();
        TestActionContext m = register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000001"));
        java.util.Map<String, Object> avps = new java.util.HashMap<>();
        org.siphon.core.function.ActionContext ok = new org.siphon.core.function.ActionContext() { // a script run's AVPs
            @Override public org.siphon.core.function.RouteType routeType() { return m.routeType(); }
            @Override public org.siphon.core.sip.SipMessage message() { return m.message(); }
            @Override public org.siphon.core.sip.uri.Uri destination() { return m.destination(); }
            @Override public void setDestination(org.siphon.core.sip.uri.Uri d) { m.setDestination(d); }
            @Override public Object attribute(String key) { return m.attribute(key); }
            @Override public void attribute(String key, Object value) { m.attribute(key, value); }
            @Override public Object avp(String name) { return avps.get(name); }
            @Override public void avp(String name, Object value) { avps.put(name, value); }
        };
        assertEquals(1, call("auth_check", ok, "example.com", "subscriber", "1"));
        assertEquals("alice", ok.avp("who"));
        assertEquals("example.com", ok.avp("domain"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> auth.modified(config("test-secret", "MD5", 0, "ha1", "$avp(x)=a b")));
        assertTrue(e.getMessage().contains("\"$avp(x)=a b\" is not column or $avp(name)=column"), e.getMessage());
    }

    @Test
    void changedParametersApplyInPlace() throws Exception {
        auth = auth("MD5");
        String nonce = nonce();
        auth.modified(config("test-secret", "SHA-256,MD5", 0, "ha1"));
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000001")),
                "example.com", "subscriber", "1"), "a nonce from before the reload");
        call("auth_challenge", register(null), "example.com", "1");
        assertTrue(replies.get(replies.size() - 1).contains("algorithm=SHA-256"), replies.get(replies.size() - 1));
        assertThrows(IllegalArgumentException.class, () -> auth.modified(config("test-secret", "SHA-1", 0, "ha1")));
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000002")),
                "example.com", "subscriber", "1"), "a refused reload keeps the parameters");
        auth.modified(config("another-secret", "MD5", 0, "ha1"));
        assertEquals(-1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000003")),
                "example.com", "subscriber", "1"), "a new secret: the client is challenged again");
    }

    /** With a stored HA1 that no longer matches the password, which column is read decides. */
    @Test
    void passwordColumnAndCalculateHa1ChooseWhatIsChecked() throws Exception {
        for (Object[] c : new Object[][] { { 0, "ha1", -2 }, { 0, "password", 1 }, { 1, "ha1", 1 } }) {
            replies.clear();
            auth = auth("MD5", (Integer) c[0], (String) c[1]);
            try (var conn = db.connection(); var st = conn.createStatement()) {
                st.executeUpdate("UPDATE subscriber SET ha1 = '00000000000000000000000000000000'");
            }
            String nonce = nonce();
            assertEquals(c[2], call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000001")),
                    "example.com", "subscriber", "1"), "calculate_ha1=" + c[0] + " password_column=" + c[1]);
            TestStores.close(db);
        }
        assertThrows(IllegalArgumentException.class, () -> auth("MD5", 0, "ha1 b"));
    }

    @Test
    void wrongPasswordUnknownUserForgedAndStaleNonces() throws Exception {
        auth = auth("MD5");
        String nonce = nonce();
        assertEquals(-2, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "wrong", nonce, "00000001")),
                "example.com", "subscriber", "1"));
        assertEquals(-3, call("auth_check", register(credentials(Digest.Algorithm.MD5, "mallory", "x", nonce, "00000002")),
                "example.com", "subscriber", "0"));
        String forged = nonce.substring(0, nonce.length() - 2) + (nonce.endsWith("A") ? "BB" : "AA");
        assertEquals(-1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", forged, "00000001")),
                "example.com", "subscriber", "1"), "a nonce not made with the secret");
        now += 301_000;
        TestActionContext late = register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000003"));
        assertEquals(-4, call("auth_check", late, "example.com", "subscriber", "1"));
        call("auth_challenge", late, "example.com", "1");
        assertTrue(replies.get(replies.size() - 1).endsWith("stale=true"), replies.get(replies.size() - 1));
    }

    @Test
    void sha256AsRfc8760AndTheUserMustMatch() throws Exception {
        auth = auth("SHA-256,MD5", 1, "password");
        String nonce = nonce();
        assertTrue(replies.get(0).contains("algorithm=SHA-256 | WWW-Authenticate: ") && replies.get(0).endsWith("algorithm=MD5"),
                "one challenge per algorithm, SHA-256 first: " + replies.get(0));
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.SHA256, "alice", "secret", nonce, "00000001")),
                "example.com", "subscriber", "1"));
        auth.rpcCommands().get(0).handler().call(new RpcParams("subscriber.add", List.of("bob@example.com", "pw")));
        assertEquals(-8, call("auth_check", register(credentials(Digest.Algorithm.SHA256, "bob", "pw", nonce, "00000002")),
                "example.com", "subscriber", "1"), "bob may not register alice");
    }

    /** Kamailio's table keeps MD5 HA1s only: SHA-256 needs plain passwords, or SHA-256 HA1s stored in the column. */
    @Test
    void sha256WithStoredHa1sNeedsASha256Ha1() throws Exception {
        auth = auth("SHA-256,MD5", 0, "ha1");
        String nonce = nonce();
        assertEquals(-2, call("auth_check", register(credentials(Digest.Algorithm.SHA256, "alice", "secret", nonce, "00000001")),
                "example.com", "subscriber", "1"), "the column has the MD5 HA1");
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000002")),
                "example.com", "subscriber", "1"));
        try (var conn = db.connection(); var st = conn.createStatement()) {
            st.executeUpdate("UPDATE subscriber SET ha1 = '" + Digest.ha1(Digest.Algorithm.SHA256, "alice", "example.com", "secret")
                    + "'");
        }
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.SHA256, "alice", "secret", nonce, "00000003")),
                "example.com", "subscriber", "1"));
    }

    /** Rows as kamctl writes them; a username with @domain is checked against ha1b. */
    @Test
    void kamailiosSubscriberLayout() throws Exception {
        auth = auth("MD5");
        try (var conn = db.connection(); var st = conn.createStatement();
                var rs = st.executeQuery("SELECT s.id, s.password, s.ha1, s.ha1b, v.table_version FROM subscriber s, version v "
                        + "WHERE s.username = 'alice' AND s.domain = 'example.com' AND v.table_name = 'subscriber'")) {
            assertTrue(rs.next());
            assertEquals("secret", rs.getString(2));
            assertEquals(Digest.ha1(Digest.Algorithm.MD5, "alice", "example.com", "secret"), rs.getString(3));
            assertEquals(Digest.ha1(Digest.Algorithm.MD5, "alice@example.com", "example.com", "secret"), rs.getString(4));
            assertEquals(7, rs.getInt(5));
        }
        String nonce = nonce();
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice@example.com", "secret", nonce,
                "00000001")), "example.com", "subscriber", "0"));
        assertEquals(-1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce,
                "00000002")), "example.com", "no_such_table", "0"), "another table: an error");
    }

    /** A password guessed from one address: banned after failed_auth_limit, 403 without a challenge; others go on. */
    @Test
    void aGuessingAddressIsBanned() throws Exception {
        auth = auth("MD5");
        auth.modified(config("secret", "test-secret", "algorithm", "MD5", "failed__auth__limit", 3, "failed__auth__ban", 60));
        String nonce = nonce();
        for (int i = 1; i <= 2; i++) {
            assertEquals(-2, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "guess" + i, nonce,
                    "0000000" + i), "192.0.2.66"), "example.com", "subscriber", "1"));
        }
        replies.clear();
        assertEquals(0, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "guess3", nonce, "00000003"),
                "192.0.2.66"), "example.com", "subscriber", "1"), "the failure that reaches the limit is refused too");
        assertEquals(List.of("403"), replies);
        replies.clear();
        TestActionContext banned = register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000004"), "192.0.2.66");
        assertEquals(0, call("auth_check", banned, "example.com", "subscriber", "1"), "banned: the script stops");
        assertEquals(List.of("403"), replies, "a 403, no challenge");
        assertEquals(List.of(java.util.Map.of("address", "192.0.2.66", "seconds_left", 60L)),
                auth.rpcCommands().stream().filter(r -> r.name().equals("auth.bans")).findFirst().orElseThrow().handler()
                        .call(new RpcParams("auth.bans", List.of())));
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", nonce, "00000005"),
                "198.51.100.1"), "example.com", "subscriber", "1"), "alice from her own address still registers");
        now += 61_000;
        String fresh = nonce();
        assertEquals(1, call("auth_check", register(credentials(Digest.Algorithm.MD5, "alice", "secret", fresh, "00000001"),
                "192.0.2.66"), "example.com", "subscriber", "1"), "the ban ends");
    }

    /** Many addresses guessing one user: no lock-out, the challenges for that user slow down. */
    @Test
    void aUserGuessedFromManyAddressesGetsSlowerChallenges() throws Exception {
        Guard g = new Guard(() -> now);
        long delay = 0;
        for (int i = 0; i < 5; i++) {
            delay = g.failed("203.0.113." + i, "alice", 3, 60_000, 60_000);
        }
        assertEquals(4000, delay, "two failures past the limit: 4 s");
        assertEquals(List.of(), g.bans(), "no address reached the limit");
        assertTrue(!g.banned("203.0.113.1"));
        assertEquals(0, g.failed("203.0.113.9", "bob", 3, 60_000, 60_000), "bob is not under attack");
        for (int i = 0; i < 20; i++) {
            delay = g.failed("203.0.113.1" + i, "alice", 3, 60_000, 60_000);
        }
        assertEquals(16_000, delay, "at most 16 s");
        now += 61_000;
        assertEquals(0, g.delayFor("alice", 3, 60_000), "the window passed");
        assertThrows(IllegalArgumentException.class, () -> auth("MD5").modified(config("failed__auth__action", "tarpit")));
    }
}
