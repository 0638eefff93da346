package org.siphon.registrar.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.siphon.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * usrloc's table {@code location} in Kamailio 5.6's layout (version 9), for {@code db_mode} 1
 * (write-through: each change of an AOR is written before the REGISTER is answered) and 2
 * (write-back: changed AORs are written every {@code timer_interval}, on {@code ul.flush} and when
 * the module stops); {@link DbBindings} uses the same rows for db_mode 3. Pointed at a Kamailio
 * database, Siphon reads the contacts Kamailio wrote and Kamailio reads Siphon's. A write that
 * fails (database down) is logged and kept pending: the next flush tries again, the memory table
 * keeps serving, nothing accepted is lost. Thread-safe.
 */
final class LocationDb {

    private static final Logger LOG = LoggerFactory.getLogger(LocationDb.class);

    /** Kamailio's {@code location} table, version 9 (its usrloc-create.sql), in PostgreSQL form. */
    static final String TABLE = """
            CREATE TABLE location (
                id SERIAL PRIMARY KEY NOT NULL,
                ruid VARCHAR(64) DEFAULT '' NOT NULL,
                username VARCHAR(64) DEFAULT '' NOT NULL,
                domain VARCHAR(64) DEFAULT NULL,
                contact VARCHAR(512) DEFAULT '' NOT NULL,
                received VARCHAR(128) DEFAULT NULL,
                path VARCHAR(512) DEFAULT NULL,
                expires TIMESTAMP WITHOUT TIME ZONE DEFAULT '2030-05-28 21:32:15' NOT NULL,
                q REAL DEFAULT 1.0 NOT NULL,
                callid VARCHAR(255) DEFAULT 'Default-Call-ID' NOT NULL,
                cseq INTEGER DEFAULT 1 NOT NULL,
                last_modified TIMESTAMP WITHOUT TIME ZONE DEFAULT '2000-01-01 00:00:01' NOT NULL,
                flags INTEGER DEFAULT 0 NOT NULL,
                cflags INTEGER DEFAULT 0 NOT NULL,
                user_agent VARCHAR(255) DEFAULT '' NOT NULL,
                socket VARCHAR(64) DEFAULT NULL,
                methods INTEGER DEFAULT NULL,
                instance VARCHAR(255) DEFAULT NULL,
                reg_id INTEGER DEFAULT 0 NOT NULL,
                server_id INTEGER DEFAULT 0 NOT NULL,
                connection_id INTEGER DEFAULT 0 NOT NULL,
                keepalive INTEGER DEFAULT 0 NOT NULL,
                partition INTEGER DEFAULT 0 NOT NULL,
                CONSTRAINT location_ruid_idx UNIQUE (ruid)
            );
            CREATE INDEX location_account_contact_idx ON location (username, domain, contact);
            CREATE INDEX location_expires_idx ON location (expires);
            CREATE INDEX location_connection_idx ON location (server_id, connection_id)""";

    static final int VERSION = 9;

    /** Kamailio's method bits (the {@code methods} column), in bit order from 1. */
    private static final List<String> METHOD_BITS = List.of("INVITE", "CANCEL", "ACK", "BYE", "INFO", "REGISTER",
            "SUBSCRIBE", "NOTIFY", "MESSAGE", "OPTIONS", "PRACK", "UPDATE", "REFER", "PUBLISH", "KDMQ", "GET", "POST",
            "PUT", "DELETE");

    private static final int METHOD_OTHER = 1 << 19;

    private static final String COLUMNS = "username, domain, contact, expires, q, callid, cseq, path, received, "
            + "user_agent, last_modified, cflags, methods, socket";

    /** The AOR of a row read with {@link #COLUMNS}: {@code username} alone, or {@code username@domain}. */
    private static String aor(ResultSet rs) throws SQLException {
        String domain = rs.getString(2);
        return domain == null || domain.isEmpty() ? rs.getString(1) : rs.getString(1) + "@" + domain;
    }

    private static String blankIsNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The contact of a row read with {@link #COLUMNS}. */
    private static Contact contact(ResultSet rs) throws SQLException {
        float q = rs.getFloat(5);
        Object methods = rs.getObject(13);
        String ua = rs.getString(10);
        return new Contact(rs.getString(3), millis(rs.getTimestamp(4)), q < 0 ? -1 : Math.round(q * 1000),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9), ua == null || ua.isEmpty() ? null : ua,
                millis(rs.getTimestamp(11)), rs.getLong(12) & 0xffffffffL,
                methods == null ? null : methods(((Number) methods).intValue()), blankIsNull(rs.getString(14)));
    }

    private static long millis(Timestamp t) {
        return t == null ? 0 : t.getTime();
    }

    /** Kamailio's bit mask for a contact's methods ({@link Contact#methods}); null for all methods. */
    static Integer methodBits(String methods) {
        if (methods == null) {
            return null;
        }
        int bits = 0;
        for (String m : methods.split(",")) {
            int i = METHOD_BITS.indexOf(m);
            bits |= i < 0 ? METHOD_OTHER : 1 << i;
        }
        return bits;
    }

    /** The methods of a bit mask, as {@link Contact#methods} has them (methods outside Kamailio's list are lost). */
    static String methods(int bits) {
        if (bits == -1) {
            return null; // Kamailio's ALL_METHODS
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < METHOD_BITS.size(); i++) {
            if ((bits & 1 << i) != 0) {
                out.add(METHOD_BITS.get(i));
            }
        }
        return String.join(",", out);
    }

    /** A contact's {@code ruid}: stable for one AOR and contact URI, so that rewriting an AOR keeps it. */
    static String ruid(String aor, String uri) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest((aor + "\n" + uri).getBytes(StandardCharsets.UTF_8));
            return "uloc-" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private final Database db;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    LocationDb(Database db) throws SQLException {
        this.db = db;
        require(db);
    }

    /**
     * Makes sure Kamailio's {@code location} table is there. A table in the layout of Siphon
     * before 0.19 (column {@code aor}) is renamed {@code siphon_location_old} and its unexpired
     * contacts copied into the new table.
     */
    static void require(Database db) throws SQLException {
        List<String[]> old = null;
        Set<String> columns = db.columns("location");
        try (Connection c = db.connection()) {
            if (columns.contains("aor")) {
                old = oldRows(c, columns.contains("methods"));
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE location RENAME TO siphon_location_old");
                    if (db.dialect().equals("postgres")) {
                        s.executeUpdate("ALTER INDEX IF EXISTS location_pkey RENAME TO siphon_location_old_pkey");
                    }
                }
            }
        }
        db.requireTable("location", VERSION, TABLE);
        if (old != null) {
            int n = 0;
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                Map<String, List<Contact>> byAor = new LinkedHashMap<>();
                for (String[] r : old) {
                    byAor.computeIfAbsent(r[0], k -> new ArrayList<>()).add(new Contact(r[1], Long.parseLong(r[2]),
                            Integer.parseInt(r[3]), r[4], Long.parseLong(r[5]), r[6], r[7], r[8], Long.parseLong(r[9]),
                            r[10] == null ? 0 : Long.parseLong(r[10]), r[11]));
                    n++;
                }
                for (Map.Entry<String, List<Contact>> e : byAor.entrySet()) {
                    replace(c, e.getKey(), e.getValue());
                }
                c.commit();
            }
            LOG.info("usrloc: {} contacts moved from Siphon's earlier location table (kept as siphon_location_old) "
                    + "to Kamailio's layout (version {})", n, VERSION);
        }
    }

    /** The rows of Siphon's earlier layout (expires and last_modified in epoch ms), as text. */
    private static List<String[]> oldRows(Connection c, boolean v3) throws SQLException {
        List<String[]> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT aor, contact, expires, q, callid, "
                + "cseq, path, received, user_agent, last_modified" + (v3 ? ", cflags, methods" : "") + " FROM location")) {
            while (rs.next()) {
                String[] r = new String[12];
                for (int i = 0; i < (v3 ? 12 : 10); i++) {
                    r[i] = rs.getString(i + 1);
                }
                out.add(r);
            }
        }
        return out;
    }

    /** Every unexpired row, by AOR (to fill the memory table at start). */
    Map<String, List<Contact>> load(long now) throws SQLException {
        Map<String, List<Contact>> out = new LinkedHashMap<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                        + " FROM location WHERE expires > ? ORDER BY username, domain")) {
            ps.setTimestamp(1, new Timestamp(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(aor(rs), k -> new ArrayList<>()).add(contact(rs));
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

    /** The condition on an AOR's rows, with its two parameters set by {@link #account}. */
    static final String ACCOUNT = "username = ? AND (domain = ? OR (domain IS NULL AND ? = ''))";

    /** Sets {@link #ACCOUNT}'s parameters from {@code i} on. */
    static void account(PreparedStatement ps, int i, String aor) throws SQLException {
        int at = aor.lastIndexOf('@');
        ps.setString(i, at < 0 ? aor : aor.substring(0, at));
        String domain = at < 0 ? "" : aor.substring(at + 1);
        ps.setString(i + 1, domain);
        ps.setString(i + 2, domain);
    }

    /** The AOR's rows in a transaction of {@code c} (locked with {@code lock}: SELECT … FOR UPDATE), expired ones left out. */
    static List<Contact> read(Connection c, String aor, long now, boolean lock) throws SQLException {
        List<Contact> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM location WHERE " + ACCOUNT
                + (lock ? " FOR UPDATE" : ""))) {
            account(ps, 1, aor);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Contact x = contact(rs);
                    if (x.expires() > now) {
                        out.add(x);
                    }
                }
            }
        }
        return out;
    }

    /** Replaces the AOR's rows within the transaction of {@code c}. */
    static void replace(Connection c, String aor, List<Contact> contacts) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM location WHERE " + ACCOUNT)) {
            account(del, 1, aor);
            del.executeUpdate();
        }
        int at = aor.lastIndexOf('@');
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO location (ruid, username, domain, contact, received, "
                + "path, expires, q, callid, cseq, last_modified, flags, cflags, user_agent, methods, socket) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)")) {
            for (Contact x : contacts) {
                ins.setString(1, ruid(aor, x.uri()));
                ins.setString(2, at < 0 ? aor : aor.substring(0, at));
                ins.setString(3, at < 0 ? null : aor.substring(at + 1));
                ins.setString(4, x.uri());
                ins.setString(5, x.received());
                ins.setString(6, x.path());
                ins.setTimestamp(7, new Timestamp(x.expires()));
                ins.setFloat(8, x.q() < 0 ? -1f : x.q() / 1000f);
                ins.setString(9, x.callId());
                ins.setLong(10, x.cseq());
                ins.setTimestamp(11, new Timestamp(x.modified()));
                ins.setInt(12, (int) x.cflags());
                ins.setString(13, x.userAgent() == null ? "" : x.userAgent());
                Integer bits = methodBits(x.methods());
                if (bits == null) {
                    ins.setNull(14, java.sql.Types.INTEGER);
                } else {
                    ins.setInt(14, bits);
                }
                ins.setString(15, x.socket());
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
