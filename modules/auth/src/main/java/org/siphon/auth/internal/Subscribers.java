package org.siphon.auth.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.siphon.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * auth_db's subscriber table in Kamailio 5.6's layout (version 7: {@code username},
 * {@code domain}, {@code password}, {@code ha1}, {@code ha1b}), or the table a function names,
 * with the column names of auth_db's {@code user_column}, {@code domain_column},
 * {@code password_column} and {@code password_column_2}. Rows are written as {@code kamctl add}
 * does: the plain password, HA1 = MD5(user:domain:password) and HA1b =
 * MD5(user@domain:domain:password); a table with the extra column {@code ha1_sha256} (Siphon's
 * earlier layout, moved here) also gets the SHA-256 HA1. Thread-safe.
 */
final class Subscribers {

    private static final Logger LOG = LoggerFactory.getLogger(Subscribers.class);

    /** Kamailio's {@code subscriber} table, version 7 (its auth_db-create.sql), in PostgreSQL form. */
    static final String TABLE = """
            CREATE TABLE subscriber (
                id SERIAL PRIMARY KEY NOT NULL,
                username VARCHAR(64) DEFAULT '' NOT NULL,
                domain VARCHAR(64) DEFAULT '' NOT NULL,
                password VARCHAR(64) DEFAULT '' NOT NULL,
                ha1 VARCHAR(128) DEFAULT '' NOT NULL,
                ha1b VARCHAR(128) DEFAULT '' NOT NULL,
                CONSTRAINT subscriber_account_idx UNIQUE (username, domain)
            );
            CREATE INDEX subscriber_username_idx ON subscriber (username)""";

    static final int VERSION = 7;

    /** auth_db's column parameters. */
    record Columns(String user, String domain, String password, String password2) {
        static final Columns DEFAULT = new Columns("username", "domain", "ha1", "ha1b");

        Columns {
            for (String c : List.of(user, domain, password, password2)) {
                if (!c.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new IllegalArgumentException("auth_db: \"" + c + "\" is not a column name");
                }
            }
        }
    }

    /**
     * One row: the user, its domain, the value of the password column, of password_column_2, and
     * the SHA-256 HA1 (empty when the table has no {@code ha1_sha256} column).
     */
    record Subscriber(String username, String domain, String secret, String secret2, String ha1Sha256) {

        /**
         * The HA1 to check a response with. {@code calculate} (calculate_ha1=1): computed from the
         * password column. Else the stored HA1 (password_column_2's for a username with a domain;
         * the {@code ha1_sha256} column's for SHA-256 where the table has one); null when what is
         * stored is the HA1 of the other algorithm. A stored value that is no HA1 at all is a plain
         * password in a column read as HA1 (calculate_ha1=0 by mistake): used as one, and
         * {@code plainPassword} is told.
         */
        String ha1(Digest.Algorithm alg, String user, boolean withDomain, String realm, boolean calculate,
                Runnable plainPassword) {
            if (calculate) {
                return Digest.ha1(alg, user, realm, secret);
            }
            String stored = withDomain ? secret2 : secret;
            if (alg == Digest.Algorithm.SHA256 && !ha1Sha256.isEmpty()) {
                stored = ha1Sha256;
            }
            if (stored.matches("[0-9a-fA-F]{32}|[0-9a-fA-F]{64}")) {
                return stored.length() == (alg == Digest.Algorithm.MD5 ? 32 : 64) ? stored.toLowerCase(java.util.Locale.ROOT)
                        : null;
            }
            plainPassword.run();
            return Digest.ha1(alg, user, realm, stored);
        }
    }

    /** load_credentials: {@code $avp(name)=column} or {@code column} (the AVP then has the column's name). */
    static List<String[]> credentialSpec(String spec) {
        List<String[]> out = new ArrayList<>();
        for (String part : spec.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String avp = eq < 0 ? p : p.substring(0, eq).trim();
            String column = eq < 0 ? p : p.substring(eq + 1).trim();
            if (avp.startsWith("$avp(") && avp.endsWith(")")) {
                avp = avp.substring(5, avp.length() - 1);
            }
            if (!column.matches("[A-Za-z_][A-Za-z0-9_]*") || !avp.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("auth_db load_credentials: \"" + p + "\" is not column or $avp(name)=column");
            }
            out.add(new String[] { avp, column });
        }
        return out;
    }



    private final Database db;
    private final String table;
    private final Columns columns;
    private final boolean sha256;

    /**
     * Opens {@code table}; for {@code subscriber}, created in Kamailio's layout when it is missing,
     * with its version checked unless {@code checkVersion} is off (auth_db's version_table=0).
     */
    Subscribers(Database db, String table, Columns columns, boolean checkVersion) throws SQLException {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new SQLException("auth_db: \"" + table + "\" is not a table name");
        }
        this.db = db;
        this.table = table;
        this.columns = columns;
        if (table.equals("subscriber")) {
            require(db, checkVersion);
        }
        sha256 = db.columns(table).contains("ha1_sha256");
    }

    String table() {
        return table;
    }

    /**
     * Makes sure Kamailio's subscriber table is there. Siphon's earlier table (with
     * {@code ha1_sha256}, without {@code ha1b} and version row) is renamed
     * {@code siphon_subscriber_old} and its rows copied, keeping their SHA-256 HA1 in an added
     * {@code ha1_sha256} column.
     */
    private static void require(Database db, boolean checkVersion) throws SQLException {
        List<String[]> old = null;
        Set<String> columns = db.columns("subscriber");
        try (Connection c = db.connection()) {
            if (columns.contains("ha1_sha256") && !columns.contains("ha1b")) {
                old = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT username, domain, password, ha1, ha1_sha256 FROM subscriber")) {
                    while (rs.next()) {
                        old.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5) });
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE subscriber RENAME TO siphon_subscriber_old");
                    if (db.dialect().equals("postgres")) {
                        s.executeUpdate("ALTER INDEX IF EXISTS subscriber_pkey RENAME TO siphon_subscriber_old_pkey");
                    }
                }
            } else if (!checkVersion && !columns.isEmpty()) {
                return;
            }
        }
        db.requireTable("subscriber", VERSION, TABLE);
        if (old != null) {
            try (Connection c = db.connection()) {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE subscriber ADD COLUMN ha1_sha256 VARCHAR(128) DEFAULT '' NOT NULL");
                }
                c.setAutoCommit(false);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO subscriber (username, domain, password, ha1, "
                        + "ha1b, ha1_sha256) VALUES (?, ?, ?, ?, ?, ?)")) {
                    for (String[] r : old) {
                        ps.setString(1, r[0]);
                        ps.setString(2, r[1]);
                        ps.setString(3, r[2]);
                        ps.setString(4, r[3]);
                        ps.setString(5, Digest.ha1(Digest.Algorithm.MD5, r[0] + "@" + r[1], r[1], r[2]));
                        ps.setString(6, r[4]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            }
            LOG.info("auth_db: {} subscribers moved from Siphon's earlier subscriber table (kept as siphon_subscriber_old) "
                    + "to Kamailio's layout (version {})", old.size(), VERSION);
        }
    }

    /** The subscriber {@code username} (in {@code domain} when not null), or null. */
    Subscriber find(String username, String domain) throws SQLException {
        List<String> wanted = new ArrayList<>(List.of(columns.user(), columns.domain(), columns.password(), columns.password2()));
        if (sha256) {
            wanted.add("ha1_sha256");
        }
        List<String> v = columns(username, domain, wanted);
        return v.isEmpty() ? null : new Subscriber(v.get(0), v.get(1), v.get(2), v.get(3), sha256 ? v.get(4) : "");
    }

    /** The plain password column (calculate_ha1=1 with the default password_column ha1 reads it). */
    String plain(String username, String domain) throws SQLException {
        List<String> v = columns(username, domain, List.of("password"));
        return v.isEmpty() ? null : v.get(0);
    }

    /** The values of {@code wanted} of the subscriber (auth_db's load_credentials), in order; empty when it is gone. */
    List<String> columns(String username, String domain, List<String> wanted) throws SQLException {
        String sql = "SELECT " + String.join(", ", wanted) + " FROM " + table + " WHERE " + columns.user() + " = ?"
                + (domain == null ? "" : " AND " + columns.domain() + " = ?");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, username);
            if (domain != null) {
                ps.setString(2, domain);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                if (rs.next()) {
                    for (int i = 1; i <= wanted.size(); i++) {
                        String s = rs.getString(i);
                        out.add(s == null ? "" : s);
                    }
                }
                return out;
            }
        }
    }

    /** Adds or (with {@code replace}) changes a subscriber; false when it exists and replace is off, or is missing and on. */
    boolean put(String username, String domain, String password, boolean replace) throws SQLException {
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, username, domain, password);
        String ha1b = Digest.ha1(Digest.Algorithm.MD5, username + "@" + domain, domain, password);
        String ha1s = Digest.ha1(Digest.Algorithm.SHA256, username, domain, password);
        String sha = sha256 ? ", ha1_sha256" : "";
        String sql = replace ? "UPDATE " + table + " SET password = ?, ha1 = ?, ha1b = ?" + (sha256 ? ", ha1_sha256 = ?" : "")
                + " WHERE " + columns.user() + " = ? AND " + columns.domain() + " = ?"
                : "INSERT INTO " + table + " (password, ha1, ha1b" + sha + ", " + columns.user() + ", " + columns.domain()
                        + ") VALUES (?, ?, ?" + (sha256 ? ", ?" : "") + ", ?, ?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, password);
            ps.setString(i++, ha1);
            ps.setString(i++, ha1b);
            if (sha256) {
                ps.setString(i++, ha1s);
            }
            ps.setString(i++, username);
            ps.setString(i, domain);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (!replace && find(username, domain) != null) {
                return false;
            }
            throw e;
        }
    }

    boolean remove(String username, String domain) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE "
                + columns.user() + " = ? AND " + columns.domain() + " = ?")) {
            ps.setString(1, username);
            ps.setString(2, domain);
            return ps.executeUpdate() == 1;
        }
    }

    List<String> list() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + columns.user() + ", "
                + columns.domain() + " FROM " + table + " ORDER BY " + columns.domain() + ", " + columns.user());
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "@" + rs.getString(2));
            }
        }
        return out;
    }
}
