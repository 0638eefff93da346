package org.siphon.test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.db.Database;

/**
 * The core's database service on a fresh in-memory H2 database ({@link TestStores#h2()}), with what a
 * module's test wants around it: the database can be taken down ({@link #down(boolean)}: every new
 * connection is refused with an {@link SQLException}, as when the server is unreachable), the
 * connections handed out are counted, the tables {@code requireTable} created are listed, and rows
 * are read back as text. {@code forUrl} answers this same database. Thread-safe.
 */
public final class TestDatabase implements Database, AutoCloseable {

    private final Database db = TestStores.h2();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> created = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    /** Refuses (true) or serves again (false) every new connection. */
    public void down(boolean refused) {
        this.down = refused;
    }

    /** How many connections were handed out. */
    public int connections() {
        return connections.get();
    }

    /** {@code "table vN"} for each table {@code requireTable} created, in order. */
    public List<String> created() {
        return List.copyOf(created);
    }

    /** Runs each statement (even while down). */
    public void execute(String... sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** The rows of a query as {@code col|col|…} (bytes as UTF-8 text, SQL NULL as {@code null}). */
    public List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    sb.append(i > 1 ? "|" : "").append(v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v);
                }
                out.add(sb.toString());
            }
        }
        return out;
    }

    /** The first column of the first row as a number (e.g. {@code SELECT COUNT(*) …}), -1 if there is no row. */
    public int count(String sql) throws SQLException {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : -1;
        }
    }

    @Override public String url() {
        return db.url();
    }

    @Override public String dialect() {
        return db.dialect();
    }

    @Override public Connection connection() throws SQLException {
        if (down) {
            throw new SQLException("Connection refused (database down)");
        }
        connections.incrementAndGet();
        return db.connection();
    }

    @Override public int migrate(String module, List<String> migrations) throws SQLException {
        return db.migrate(module, migrations);
    }

    @Override public boolean requireTable(String table, int version, String createSql) throws SQLException {
        if (down) {
            throw new SQLException("Connection refused (database down)");
        }
        boolean made = db.requireTable(table, version, createSql);
        if (made) {
            created.add(table + " v" + version);
        }
        return made;
    }

    @Override public Set<String> columns(String table) throws SQLException {
        return db.columns(table);
    }

    @Override public Database forUrl(String dbUrl) {
        return this;
    }

    /** Closes the pool and the in-memory database. */
    @Override public void close() {
        TestStores.close(db);
    }
}
