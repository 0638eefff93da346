package org.siphon.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.siphon.core.db.Database;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;

class TestSupportTest {

    @interface Config {
        int limit() default 5;
        String name() default "x";
    }

    @Test
    void messagesAreParsedAndWrittenAsTheCoreDoes() {
        SipMessage m = TestMessages.parse(TestMessages.request("OPTIONS", "sip:bob@example.com", "X-A: 1\r\n"));
        assertNull(m.error());
        assertEquals("OPTIONS", ((SipRequest) m).method());
        assertTrue(TestMessages.text(m).contains("X-A: 1\r\n"));
        assertNotNull(TestMessages.parse("garbage\r\n\r\n").error(), "a malformed message is marked, not thrown");
    }

    @Test
    void aContextWritesItsEdits() {
        TestActionContext c = TestActionContext.request(TestMessages.request("INVITE", "sip:bob@example.com", ""));
        assertEquals(org.siphon.core.function.RouteType.REQUEST, c.routeType());
        assertTrue(c.written().startsWith("INVITE sip:bob@example.com SIP/2.0\r\n"));
    }

    @Test
    void configsTakeDefaultsAndOverridesAndRefuseUnknownNames() {
        Config c = TestConfigs.of(Config.class, "limit", 9);
        assertEquals(9, c.limit());
        assertEquals("x", c.name());
        assertThrows(IllegalArgumentException.class, () -> TestConfigs.of(Config.class, "nope", 1));
        assertThrows(IllegalArgumentException.class, () -> TestConfigs.of(Config.class, "limit", "9"));
    }

    @Test
    void theStubCoreRecordsReplies() {
        StubSipCore core = new StubSipCore("127.0.0.1:5060");
        SipRequest r = (SipRequest) TestMessages.parse(TestMessages.request("OPTIONS", "sip:x@y", ""));
        core.reply(r, 404, "Not Here", java.util.List.of());
        assertEquals("404 Not Here", core.replies.get(0).toString());
        assertTrue(core.isMyself("127.0.0.1", 5060));
    }

    @Test
    void storesAndDatabaseWork() throws Exception {
        assertNotNull(TestStores.shared(() -> 0).table("t"));
        Database db = TestStores.h2();
        try (Connection c = db.connection(); ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    @Test
    void twoPeersTalkOverLoopback() throws Exception {
        try (LoopbackPeer a = new LoopbackPeer(); LoopbackPeer b = new LoopbackPeer()) {
            a.send(TestMessages.request("OPTIONS", "sip:b@" + b.hostPort(), ""), b.port());
            SipMessage got = b.receive(Duration.ofSeconds(5));
            assertEquals("OPTIONS", ((SipRequest) got).method());
            assertNull(a.receive(Duration.ofMillis(50)), "nothing was sent back");
        }
    }

    @Test
    void anEmbeddedServerWithoutADistributionSaysSo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> EmbeddedSiphon.distribution(dir.resolve("nothing")).workDir(dir).start());
        assertTrue(e.getMessage().contains("no bundle/ folder"), e.getMessage());
    }

    @Test
    void aTestDatabaseGoesDownCountsAndReadsBack() throws Exception {
        try (TestDatabase db = new TestDatabase()) {
            assertTrue(db.requireTable("t", 2, "CREATE TABLE t (id INTEGER, name VARCHAR(8))"));
            assertEquals(java.util.List.of("t v2"), db.created());
            db.execute("INSERT INTO t VALUES (1, 'a')", "INSERT INTO t VALUES (2, NULL)");
            assertEquals(java.util.List.of("1|a", "2|null"), db.rows("SELECT id, name FROM t ORDER BY id"));
            assertEquals(2, db.count("SELECT COUNT(*) FROM t"));
            int before = db.connections();
            db.down(true);
            assertThrows(java.sql.SQLException.class, db::connection);
            db.down(false);
            db.connection().close();
            assertEquals(before + 1, db.connections());
            assertEquals(db, db.forUrl("h2:mem:other"));
        }
    }

    @Test
    void aContextKeepsAvpsAndAnswersForTheScriptOnceAsked() {
        TestActionContext c = TestActionContext.request(TestMessages.request("MESSAGE", "sip:bob@example.com", ""));
        assertNull(c.scriptHandle(), "no script runs it until a test says what the script would say");
        c.avp("x", "1");
        assertEquals("1", c.avp("x"));
        c.avp("x", null);
        assertTrue(c.avps().isEmpty());
        c.flags(4).pv("$rU", "bob").pv("$ci", SipMessage::callId);
        assertEquals(4, c.scriptHandle().flags());
        assertEquals("bob", c.scriptHandle().value("$rU", c.message()));
        assertEquals(c.message().callId(), c.scriptHandle().value("$ci", c.message()));
        assertNull(c.scriptHandle().value("$nope", c.message()));
    }
}
