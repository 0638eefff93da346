package org.siphon.msilo.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.db.Database;

/**
 * Kamailio's {@code silo} table (version 8) through the core's {@link Database}: created in
 * Kamailio 5.6's layout when missing, its version checked otherwise, column names from the
 * {@code sc_*} parameters. A row being delivered is <em>claimed</em> first: its {@code status}
 * column (which Kamailio's msilo never reads) holds the second, since the epoch, until which
 * the claim holds; 0 is a free row. A claim not released (a node killed mid-delivery) runs out,
 * and the row is delivered again. Every call blocks on the database; thread-safe.
 */
final class SiloDb {

    static final int VERSION = 8;

    /** The column names ({@code sc_*}); {@code callid} and {@code status} have no parameter in Kamailio. */
    record Columns(String mid, String from, String to, String user, String host, String body, String ctype,
            String expTime, String incTime, String sndTime, String storedHdrs) {

        List<String> all() {
            return List.of(mid, from, to, user, host, body, ctype, expTime, incTime, sndTime, storedHdrs);
        }
    }

    /** A row to store. Times are seconds since the epoch; {@code sndTime} 0 for an offline message. */
    record NewMessage(String from, String to, String user, String host, byte[] body, String ctype, long incTime,
            long expTime, long sndTime, String extraHdrs, String callId) {
    }

    /** A stored row as delivery reads it. */
    record Stored(long id, String from, String to, byte[] body, String ctype, long incTime, long sndTime,
            String extraHdrs) {
    }

    private final Database db;
    private final String table;
    private final Columns c;
    private volatile boolean ready;

    SiloDb(Database db, String table, Columns columns) {
        this.db = db;
        this.table = table;
        this.c = columns;
    }

    String table() {
        return table;
    }

    /** Kamailio 5.6's {@code silo} table, PostgreSQL form (the core translates), with these column names. */
    static String createSql(String table, Columns c) {
        return "CREATE TABLE " + table + " (\n"
                + "    " + c.mid() + " SERIAL PRIMARY KEY NOT NULL,\n"
                + "    " + c.from() + " VARCHAR(255) DEFAULT '' NOT NULL,\n"
                + "    " + c.to() + " VARCHAR(255) DEFAULT '' NOT NULL,\n"
                + "    " + c.user() + " VARCHAR(64) DEFAULT '' NOT NULL,\n"
                + "    " + c.host() + " VARCHAR(64) DEFAULT '' NOT NULL,\n"
                + "    " + c.incTime() + " INTEGER DEFAULT 0 NOT NULL,\n"
                + "    " + c.expTime() + " INTEGER DEFAULT 0 NOT NULL,\n"
                + "    " + c.sndTime() + " INTEGER DEFAULT 0 NOT NULL,\n"
                + "    " + c.ctype() + " VARCHAR(32) DEFAULT 'text/plain' NOT NULL,\n"
                + "    " + c.body() + " BYTEA,\n"
                + "    " + c.storedHdrs() + " TEXT,\n"
                + "    callid VARCHAR(128) DEFAULT '' NOT NULL,\n"
                + "    status INTEGER DEFAULT 0 NOT NULL\n"
                + ");\n"
                + "CREATE INDEX " + table + "_account_idx ON " + table + " (" + c.user() + ", " + c.host() + ")";
    }

    /** Creates the table when missing, checks its version (once; again after a failure). */
    synchronized void ensure() throws SQLException {
        if (!ready) {
            db.requireTable(table, VERSION, createSql(table, c));
            ready = true;
        }
    }

    /** The messages stored for user@host (reminders included). */
    int count(String user, String host) throws SQLException {
        ensure();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE " + c.user() + " = ? AND " + c.host() + " = ?")) {
            ps.setString(1, user);
            ps.setString(2, host);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    /** Stores a message; committed when this returns (auto-commit). */
    void insert(NewMessage m) throws SQLException {
        ensure();
        String sql = "INSERT INTO " + table + " (" + c.from() + ", " + c.to() + ", " + c.user() + ", " + c.host() + ", "
                + c.incTime() + ", " + c.expTime() + ", " + c.sndTime() + ", " + c.ctype() + ", " + c.body() + ", "
                + c.storedHdrs() + ", callid, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, m.from());
            ps.setString(2, m.to());
            ps.setString(3, m.user());
            ps.setString(4, m.host());
            ps.setLong(5, m.incTime());
            ps.setLong(6, m.expTime());
            ps.setLong(7, m.sndTime());
            ps.setString(8, m.ctype());
            ps.setBytes(9, m.body());
            ps.setString(10, m.extraHdrs());
            ps.setString(11, m.callId() == null ? "" : truncate(m.callId(), 128));
            ps.executeUpdate();
        }
    }

    private String columnsOfStored() {
        return c.mid() + ", " + c.from() + ", " + c.to() + ", " + c.body() + ", " + c.ctype() + ", " + c.incTime() + ", "
                + c.sndTime() + ", " + c.storedHdrs();
    }

    /**
     * The offline messages (not reminders, not expired, not claimed by a delivery in progress)
     * of user@host in arrival order; at most {@code max} when {@code max > 0}.
     */
    List<Stored> offline(String user, String host, long now, int max) throws SQLException {
        ensure();
        String sql = "SELECT " + columnsOfStored() + " FROM " + table + " WHERE " + c.user() + " = ? AND " + c.host()
                + " = ? AND " + c.sndTime() + " = 0 AND " + c.expTime() + " > ? AND (status = 0 OR status < ?) ORDER BY "
                + c.mid();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setString(1, user);
            ps.setString(2, host);
            ps.setLong(3, now);
            ps.setLong(4, now);
            if (max > 0) {
                ps.setMaxRows(max);
            }
            return read(ps);
        }
    }

    /** The reminders due at {@code now} (snd_time set and passed), in arrival order. */
    List<Stored> dueReminders(long now) throws SQLException {
        ensure();
        String sql = "SELECT " + columnsOfStored() + " FROM " + table + " WHERE " + c.sndTime() + " <> 0 AND "
                + c.sndTime() + " <= ? AND (status = 0 OR status < ?) ORDER BY " + c.mid();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(sql)) {
            ps.setLong(1, now);
            ps.setLong(2, now);
            ps.setMaxRows(1000);
            return read(ps);
        }
    }

    private static List<Stored> read(PreparedStatement ps) throws SQLException {
        List<Stored> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Stored(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5),
                        rs.getLong(6), rs.getLong(7), rs.getString(8)));
            }
        }
        return out;
    }

    /**
     * Claims a row for one delivery until {@code until} (seconds): true when this caller has it,
     * false when another delivery (here or on another node) holds it or it is gone.
     */
    boolean claim(long id, long now, long until) throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement("UPDATE " + table
                + " SET status = ? WHERE " + c.mid() + " = ? AND (status = 0 OR status < ?)")) {
            ps.setLong(1, until);
            ps.setLong(2, id);
            ps.setLong(3, now);
            return ps.executeUpdate() == 1;
        }
    }

    /** A delivered message: gone. */
    void delete(long id) throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "DELETE FROM " + table + " WHERE " + c.mid() + " = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** A failed delivery: the row is free again (only if the claim is still this one). */
    void release(long id, long claim) throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "UPDATE " + table + " SET status = 0 WHERE " + c.mid() + " = ? AND status = ?")) {
            ps.setLong(1, id);
            ps.setLong(2, claim);
            ps.executeUpdate();
        }
    }

    /** A reminder that could not be sent becomes an offline message, delivered at the next REGISTER. */
    void toOffline(long id) throws SQLException {
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "UPDATE " + table + " SET " + c.sndTime() + " = 0, status = 0 WHERE " + c.mid() + " = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    /** Removes the messages whose expiry time has passed; how many. */
    int clean(long now) throws SQLException {
        ensure();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "DELETE FROM " + table + " WHERE " + c.expTime() + " <= ?")) {
            ps.setLong(1, now);
            return ps.executeUpdate();
        }
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
