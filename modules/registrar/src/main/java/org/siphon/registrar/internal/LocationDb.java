package org.siphon.registrar.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.siphon.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * usrloc's table {@code location} in the core's database, for {@code db_mode} 1 (write-through:
 * each change of an AOR is written before the REGISTER is answered) and 2 (write-back: changed
 * AORs are written every {@code timer_interval}, on {@code ul.flush} and when the module stops).
 * A write that fails (database down) is logged and kept pending: the next flush tries again, the
 * memory table keeps serving, nothing accepted is lost. Thread-safe.
 */
final class LocationDb {

    private static final Logger LOG = LoggerFactory.getLogger(LocationDb.class);

    static final List<String> MIGRATIONS = List.of("""
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
            )""",
            "ALTER TABLE location ADD COLUMN cflags BIGINT DEFAULT 0 NOT NULL",
            "ALTER TABLE location ADD COLUMN methods VARCHAR(255)");

    private static final String COLUMNS = "contact, expires, q, callid, cseq, path, received, user_agent, last_modified, "
            + "cflags, methods";

    /** The contact of a row read with {@link #COLUMNS} starting at column {@code i}. */
    private static Contact contact(ResultSet rs, int i) throws SQLException {
        return new Contact(rs.getString(i), rs.getLong(i + 1), rs.getInt(i + 2), rs.getString(i + 3), rs.getLong(i + 4),
                rs.getString(i + 5), rs.getString(i + 6), rs.getString(i + 7), rs.getLong(i + 8), rs.getLong(i + 9),
                rs.getString(i + 10));
    }

    private final Database db;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    LocationDb(Database db) throws SQLException {
        this.db = db;
        db.migrate("usrloc", MIGRATIONS);
    }

    /** Every unexpired row, by AOR (to fill the memory table at start). */
    Map<String, List<Contact>> load(long now) throws SQLException {
        Map<String, List<Contact>> out = new LinkedHashMap<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT aor, " + COLUMNS
                        + " FROM location WHERE expires > ? ORDER BY aor")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(contact(rs, 2));
                }
            }
        }
        return out;
    }

    /** Records that {@code aor} changed; written now ({@code now} true) or at the next flush. */
    void changed(String aor, List<Contact> contacts, boolean now) {
        pending.add(aor);
        if (now) {
            write(aor, contacts);
        }
    }

    /** The AOR's rows in a transaction of {@code c} (locked with {@code forUpdate}), expired ones left out. */
    static List<Contact> read(Connection c, String aor, long now, boolean forUpdate) throws SQLException {
        List<Contact> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM location WHERE aor = ?" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, aor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(2) > now) {
                        out.add(contact(rs, 1));
                    }
                }
            }
        }
        return out;
    }

    /** Replaces the AOR's rows within the transaction of {@code c}. */
    static void replace(Connection c, String aor, List<Contact> contacts) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM location WHERE aor = ?")) {
            del.setString(1, aor);
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO location (aor, " + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Contact x : contacts) {
                ins.setString(1, aor);
                ins.setString(2, x.uri());
                ins.setLong(3, x.expires());
                ins.setInt(4, x.q());
                ins.setString(5, x.callId());
                ins.setLong(6, x.cseq());
                ins.setString(7, x.path());
                ins.setString(8, x.received());
                ins.setString(9, x.userAgent());
                ins.setLong(10, x.modified());
                ins.setLong(11, x.cflags());
                ins.setString(12, x.methods());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** Writes the AOR's contacts as they are now; on failure it stays pending. */
    boolean write(String aor, List<Contact> contacts) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            replace(c, aor, contacts);
            c.commit();
            pending.remove(aor);
            return true;
        } catch (SQLException e) {
            LOG.error("usrloc: cannot write {} to the database, kept in memory and retried: {}", aor, e.getMessage());
            return false;
        }
    }

    /** Writes every pending AOR with {@code current}'s contacts; returns how many are still pending. */
    int flush(java.util.function.Function<String, List<Contact>> current) {
        for (String aor : List.copyOf(pending)) {
            write(aor, current.apply(aor));
        }
        return pending.size();
    }

    int pendingCount() {
        return pending.size();
    }
}
