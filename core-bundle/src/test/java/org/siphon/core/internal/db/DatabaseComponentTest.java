package org.siphon.core.internal.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseComponentTest {

    @TempDir
    Path home;
    final List<DatabaseComponent> started = new ArrayList<>();

    DatabaseComponent db(String url, int pool, int timeout) {
        DatabaseComponent d = new DatabaseComponent();
        d.start(new DatabaseComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return DatabaseComponent.Config.class; }
            @Override public String db__url() { return url; }
            @Override public int pool__size() { return pool; }
            @Override public int connect__timeout() { return timeout; }
        }, home);
        started.add(d);
        return d;
    }

    @AfterEach
    void stop() {
        started.forEach(DatabaseComponent::deactivate);
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void migrationsRunOnceEachAndSurviveARestart() throws Exception {
        List<String> v1 = List.of("CREATE TABLE location (aor VARCHAR(255) NOT NULL, contact VARCHAR(512) NOT NULL);\n"
                + "CREATE INDEX location_aor ON location (aor);");
        DatabaseComponent d = db("h2:data/siphon", 2, 1000);
        assertEquals(1, d.migrate("usrloc", v1));
        assertEquals(1, d.migrate("usrloc", v1), "already there: nothing runs again");
        try (Connection c = d.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO location VALUES ('alice@example.com', 'sip:alice@10.0.0.1')");
        }
        d.deactivate();
        assertTrue(home.resolve("data/siphon.mv.db").toFile().exists(), "a file database under the home's data/");
        DatabaseComponent again = db("h2:data/siphon", 2, 1000);
        List<String> v2 = List.of(v1.get(0), "ALTER TABLE location ADD COLUMN expires BIGINT DEFAULT 0 NOT NULL");
        assertEquals(2, again.migrate("usrloc", v2));
        try (Connection c = again.connection()) {
            assertEquals(1, count(c, "SELECT COUNT(*) FROM location WHERE expires = 0"), "the row outlived the restart");
            assertEquals(2, count(c, "SELECT version FROM siphon_schema WHERE module = 'usrloc'"));
        }
    }

    @Test
    void aFailingMigrationLeavesTheLastGoodVersion() throws Exception {
        DatabaseComponent d = db("h2:mem:fail", 2, 1000);
        List<String> steps = List.of("CREATE TABLE t (a INT)", "ALTER TABLE t ADD COLUMN b INT;\nTHIS IS NOT SQL");
        SQLException e = assertThrows(SQLException.class, () -> d.migrate("m", steps));
        assertTrue(e.getMessage().startsWith("migrating m to version 2:"), e.getMessage());
        try (Connection c = d.connection()) {
            assertEquals(1, count(c, "SELECT version FROM siphon_schema WHERE module = 'm'"));
        }
    }

    @Test
    void thePoolIsBoundedAndTakesConnectionsBack() throws Exception {
        DatabaseComponent d = db("h2:mem:pool", 2, 200);
        Connection a = d.connection();
        Connection b = d.connection();
        SQLException busy = assertThrows(SQLException.class, d::connection);
        assertTrue(busy.getMessage().contains("busy for 200 ms"), busy.getMessage());
        a.setAutoCommit(false);
        a.close();
        assertThrows(SQLException.class, a::createStatement, "a connection given back cannot be used");
        try (Connection c = d.connection()) {
            assertTrue(c.getAutoCommit(), "given back clean");
        }
        b.close();
    }

    @Test
    void anUnreachableDatabaseIsAClearErrorAndIsRetried() {
        DatabaseComponent d = db("postgres://u:secret@127.0.0.1:1/siphon", 2, 1000);
        assertEquals("postgres://u:***@127.0.0.1:1/siphon", d.url());
        SQLException e = assertThrows(SQLException.class, d::connection);
        assertTrue(e.getMessage().startsWith("database postgres://u:***@127.0.0.1:1/siphon:"), e.getMessage());
        assertThrows(SQLException.class, d::connection, "each call tries again; the pool did not leak its permit");
        assertThrows(SQLException.class, d::connection);
    }

    @Test
    void statementsSplitAtLineEndingSemicolons() {
        assertEquals(List.of("CREATE TABLE a (x VARCHAR(9) DEFAULT 'a;b')", "CREATE TABLE b (y INT)"),
                DatabaseComponent.statements("CREATE TABLE a (x VARCHAR(9) DEFAULT 'a;b');\nCREATE TABLE b (y INT);\n"));
    }

    static final String ACC = """
            CREATE TABLE acc (
                id SERIAL PRIMARY KEY NOT NULL,
                method VARCHAR(16) DEFAULT '' NOT NULL,
                callid VARCHAR(255) DEFAULT '' NOT NULL,
                time TIMESTAMP WITHOUT TIME ZONE NOT NULL
            );
            CREATE INDEX acc_callid_idx ON acc (callid)""";

    /** Kamailio's version table decides: a missing table is created with its row, a wrong version is refused. */
    @Test
    void kamailioTablesAreCreatedOnceAndTheirVersionChecked() throws Exception {
        DatabaseComponent d = db("h2:mem:kam", 2, 1000);
        assertTrue(d.requireTable("acc", 5, ACC), "created");
        assertEquals(false, d.requireTable("acc", 5, ACC), "there already");
        try (Connection c = d.connection()) {
            assertEquals(5, count(c, "SELECT table_version FROM version WHERE table_name = 'acc'"));
            assertEquals(1, count(c, "SELECT table_version FROM version WHERE table_name = 'version'"));
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO acc (method, callid, time) VALUES ('INVITE', 'x', CURRENT_TIMESTAMP)");
                s.execute("INSERT INTO acc (method, callid, time) VALUES ('BYE', 'x', CURRENT_TIMESTAMP)");
            }
            assertEquals(2, count(c, "SELECT MAX(id) FROM acc"), "id counts up by itself, as SERIAL does");
        }
        SQLException wrong = assertThrows(SQLException.class, () -> d.requireTable("acc", 6, ACC));
        assertTrue(wrong.getMessage().contains("table acc is at version 5") && wrong.getMessage().contains("version 6"),
                wrong.getMessage());
        try (Connection c = d.connection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE missed_calls (id INT)");
        }
        SQLException unrecorded = assertThrows(SQLException.class, () -> d.requireTable("missed_calls", 4, ACC));
        assertTrue(unrecorded.getMessage().contains("missed_calls has no row in the version table"), unrecorded.getMessage());
    }

    /** sqlite:/// as Kamailio writes it: the driver comes from the URL, and Kamailio's DDL runs translated. */
    @Test
    void sqliteTakesKamailiosTablesToo() throws Exception {
        DatabaseComponent d = db("sqlite://" + home.resolve("kam.db"), 2, 1000);
        assertEquals("sqlite", d.dialect());
        assertTrue(d.requireTable("acc", 5, ACC));
        try (Connection c = d.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO acc (method, callid, time) VALUES ('INVITE', 'x', CURRENT_TIMESTAMP)");
            assertEquals(1, count(c, "SELECT MAX(id) FROM acc"));
            assertEquals(5, count(c, "SELECT table_version FROM version WHERE table_name = 'acc'"));
        }
        assertEquals(false, d.requireTable("acc", 5, ACC));
        assertTrue(d.forUrl("") == d && d.forUrl("sqlite://" + home.resolve("kam.db")) == d, "the same database");
        assertTrue(d.forUrl("h2:mem:other") != d, "another URL, another pool");
    }

    @Test
    void unsupportedUrlsSayWhatIsTaken() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DbUrl.parse("text:///etc/kamailio/db", null));
        assertTrue(e.getMessage().contains("text:// (db_text) is not supported") && e.getMessage().contains("mysql://")
                && e.getMessage().contains("sqlite:///"), e.getMessage());
        DbUrl mysql = DbUrl.parse("mysql://kamailio:kamailiorw@localhost/kamailio", null);
        assertEquals("jdbc:mariadb://localhost/kamailio", mysql.jdbc());
        assertEquals("kamailio", mysql.user());
        assertEquals("mysql://kamailio:***@localhost/kamailio", mysql.shown());
    }

    @Test
    void kamailioDdlInEveryDialect() {
        String ddl = "id SERIAL PRIMARY KEY NOT NULL, t TIMESTAMP WITHOUT TIME ZONE, b TEXT, x BYTEA";
        assertEquals("id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL, t DATETIME, b TEXT, x BLOB",
                KamailioTables.translate("mysql", ddl));
        assertEquals("id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, t TIMESTAMP WITHOUT TIME ZONE, b TEXT, x BLOB",
                KamailioTables.translate("sqlite", ddl));
        assertEquals(ddl, KamailioTables.translate("postgres", ddl));
    }
}
