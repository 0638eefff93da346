package org.siphon.registrar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.db.Database;
import org.siphon.core.store.SharedStore;
import org.siphon.test.TestStores;

/** db_mode 1 and 2: registrations outliving a restart (a new store, the same database). */
class LocationDbTest {

    @TempDir
    Path home;
    long now = 5_000_000;
    final RegistrarComponentTest base = new RegistrarComponentTest();
    Database db;

    Database database() {
        return TestStores.database("h2:data/siphon", home);
    }

    @AfterEach
    void close() {
        if (db != null) {
            TestStores.close(db);
        }
    }

    RegistrarComponent registrar(int dbMode) {
        RegistrarComponent.Config withMode = RegistrarComponentTest.config("db__mode", dbMode);
        return new RegistrarComponent(base.core, TestStores.shared(() -> now), db, withMode, () -> now);
    }

    int register(RegistrarComponent r, String user, int cseq) throws Exception {
        FunctionExport save = r.functions().get(0);
        return save.handler().call(RegistrarComponentTest.request("REGISTER", "sip:example.com", "sip:" + user + "@example.com",
                "c-" + user, cseq, "Contact: <sip:" + user + "@10.0.0.1>;q=0.7\r\n"), save.fixup().apply(List.of("location")));
    }

    @Test
    void writeThroughSurvivesARestart() throws Exception {
        db = database();
        RegistrarComponent first = registrar(1);
        assertEquals(1, register(first, "alice", 1));
        RegistrarComponent restarted = registrar(1);
        List<Contact> cs = restarted.location.contacts("alice", now);
        assertEquals(1, cs.size(), "loaded from the database into a new memory table");
        assertEquals("sip:alice@10.0.0.1", cs.get(0).uri());
        assertEquals(700, cs.get(0).q());
        assertEquals(1, register(restarted, "alice", 2));
        assertEquals(1, registrar(1).location.contacts("alice", now).size(), "a refresh replaces, never duplicates");
    }

    @Test
    void writeBackWritesAtTheFlush() throws Exception {
        db = database();
        RegistrarComponent first = registrar(2);
        assertEquals(1, register(first, "bob", 1));
        assertEquals(0, registrar(2).location.contacts("bob", now).size(), "not written yet");
        assertEquals(0, first.flush());
        assertEquals(1, registrar(2).location.contacts("bob", now).size());
        first.remove("bob");
        first.flush();
        assertEquals(0, registrar(2).location.contacts("bob", now).size(), "removals are written too");
    }

    @Test
    void databaseOnlyNodesSeeEachOthersRegistrations() throws Exception {
        db = database();
        RegistrarComponent node1 = registrar(3);
        RegistrarComponent node2 = registrar(3);
        assertEquals(1, register(node1, "erin", 1));
        assertEquals(1, node2.location.contacts("erin", now).size(), "node 2 reads what node 1 wrote");
        assertEquals(1, register(node2, "erin", 2), "and refreshes it");
        assertEquals(1, node1.location.contacts("erin", now).size());
        assertEquals(List.of("erin"), node1.location.aors(now));
        now += 3_600_001;
        assertEquals(1, node2.location.expire(now));
        assertEquals(List.of(), node1.location.aors(now));
    }

    @Test
    void expiredRowsAreNotLoaded() throws Exception {
        db = database();
        register(registrar(1), "carol", 1);
        now += 3_600_001;
        assertEquals(0, registrar(1).location.contacts("carol", now).size());
    }

    /** Siphon's own layout before Kamailio's (versions 1-3 in siphon_schema). */
    static final List<String> SIPHON_LAYOUT = List.of("""
            CREATE TABLE location (
              aor VARCHAR(255) NOT NULL,
              contact VARCHAR(512) NOT NULL,
              expires BIGINT NOT NULL,
              q INT NOT NULL,
              callid VARCHAR(255) NOT NULL,
              cseq BIGINT NOT NULL,
              path VARCHAR(1024),
              received VARCHAR(255),
              user_agent VARCHAR(255),
              last_modified BIGINT NOT NULL,
              PRIMARY KEY (aor, contact)
            )""");

    @Test
    void siphonsEarlierTableMovesToKamailiosLayoutWithItsRows() throws Exception {
        db = database();
        db.migrate("usrloc", SIPHON_LAYOUT);
        try (var c = db.connection(); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO location (aor, contact, expires, q, callid, cseq, last_modified) "
                    + "VALUES ('dave@example.com', 'sip:dave@10.0.0.4', " + (now + 600_000) + ", -1, 'c', 1, " + now + ")");
        }
        RegistrarComponent r = registrar(1);
        List<Contact> cs = r.location.contacts("dave@example.com", now);
        assertEquals(1, cs.size(), "the row written before the move is loaded");
        assertEquals(now + 600_000, cs.get(0).expires());
        assertEquals(null, cs.get(0).methods());
        try (var c = db.connection(); var st = c.createStatement();
                var rs = st.executeQuery("SELECT username, domain, contact FROM location")) {
            rs.next();
            assertEquals("dave|example.com|sip:dave@10.0.0.4", rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
        }
        Contact nat = new Contact("sip:dave@192.168.0.4", now + 600_000, -1, "d", 1, null, "sip:198.51.100.4:5071", null, now,
                64, "INVITE,BYE");
        r.update("dave@example.com", now, current -> List.of(nat));
        Contact back = registrar(1).location.contacts("dave@example.com", now).get(0);
        assertEquals(nat, back, "received, cflags and methods round-trip through the database");
    }

    @Test
    void aRowAsKamailioWritesItIsLoaded() throws Exception {
        db = database();
        registrar(1); // creates the table
        long in10min = System.currentTimeMillis() + 600_000;
        now = System.currentTimeMillis();
        try (var c = db.connection(); var ps = c.prepareStatement("INSERT INTO location (ruid, username, domain, contact, "
                + "expires, q, callid, cseq, last_modified, cflags, user_agent, methods) "
                + "VALUES ('uloc-5e1-1', 'frank', NULL, 'sip:frank@192.0.2.7:5062', ?, 0.5, 'k1', 7, ?, 0, 'Kamailio UA', 8063)")) {
            ps.setTimestamp(1, new java.sql.Timestamp(in10min / 1000 * 1000));
            ps.setTimestamp(2, new java.sql.Timestamp(now / 1000 * 1000));
            ps.executeUpdate();
        }
        Contact x = registrar(1).location.contacts("frank", now).get(0);
        assertEquals("sip:frank@192.0.2.7:5062", x.uri());
        assertEquals(500, x.q());
        assertEquals("Kamailio UA", x.userAgent());
        assertEquals("INVITE,CANCEL,ACK,BYE,INFO,REGISTER,SUBSCRIBE,MESSAGE,OPTIONS,PRACK,UPDATE,REFER", x.methods());
        assertEquals(in10min / 1000 * 1000, x.expires());
    }

    @Test
    void methodsMapToKamailiosBits() {
        assertEquals(1 | 2 | 4 | 8, LocationDb.methodBits("INVITE,CANCEL,ACK,BYE"));
        assertEquals(1 << 19 | 1 << 9, LocationDb.methodBits("OPTIONS,FOO"), "an unknown method is METHOD_OTHER");
        assertEquals(null, LocationDb.methodBits(null));
        assertEquals(null, LocationDb.methods(-1), "ALL_METHODS");
        assertEquals("MESSAGE,OPTIONS", LocationDb.methods(256 | 512));
    }
}
