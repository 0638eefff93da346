package org.siphon.auth.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.db.Database;

/**
 * auth_db's table {@code subscriber} in the core's database: who may authenticate, with the
 * plain password and the HA1 of each algorithm ({@code ha1} MD5, {@code ha1_sha256}) computed
 * with the domain as realm, as {@code kamctl add} stores them. Thread-safe.
 */
final class Subscribers {

    /** One row. */
    record Subscriber(String username, String domain, String password, String ha1, String ha1Sha256) {
    }

    static final List<String> MIGRATIONS = List.of("""
            CREATE TABLE subscriber (
              username VARCHAR(64) NOT NULL,
              domain VARCHAR(190) NOT NULL,
              password VARCHAR(64) NOT NULL,
              ha1 VARCHAR(128) NOT NULL,
              ha1_sha256 VARCHAR(128) NOT NULL,
              PRIMARY KEY (username, domain)
            )""");

    private final Database db;

    Subscribers(Database db) throws SQLException {
        this.db = db;
        db.migrate("auth_db", MIGRATIONS);
    }

    /** The subscriber {@code username} (in {@code domain} when not null), or null. */
    Subscriber find(String username, String domain) throws SQLException {
        List<String> v = columns(username, domain, List.of("username", "domain", "password", "ha1", "ha1_sha256"));
        return v.isEmpty() ? null : new Subscriber(v.get(0), v.get(1), v.get(2), v.get(3), v.get(4));
    }

    /** The values of {@code columns} of the subscriber (auth_db's load_credentials), in order; empty when it is gone. */
    List<String> columns(String username, String domain, List<String> columns) throws SQLException {
        String sql = "SELECT " + String.join(", ", columns) + " FROM subscriber WHERE username = ?"
                + (domain == null ? "" : " AND domain = ?");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, username);
            if (domain != null) {
                ps.setString(2, domain);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new java.util.ArrayList<>();
                if (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        out.add(rs.getString(i));
                    }
                }
                return out;
            }
        }
    }

    /** Adds or (with {@code replace}) changes a subscriber; false when it exists and replace is off, or is missing and on. */
    boolean put(String username, String domain, String password, boolean replace) throws SQLException {
        String ha1 = Digest.ha1(Digest.Algorithm.MD5, username, domain, password);
        String ha1s = Digest.ha1(Digest.Algorithm.SHA256, username, domain, password);
        String sql = replace ? "UPDATE subscriber SET password = ?, ha1 = ?, ha1_sha256 = ? WHERE username = ? AND domain = ?"
                : "INSERT INTO subscriber (password, ha1, ha1_sha256, username, domain) VALUES (?, ?, ?, ?, ?)";
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, password);
            ps.setString(2, ha1);
            ps.setString(3, ha1s);
            ps.setString(4, username);
            ps.setString(5, domain);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (!replace && find(username, domain) != null) {
                return false;
            }
            throw e;
        }
    }

    boolean remove(String username, String domain) throws SQLException {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM subscriber WHERE username = ? AND domain = ?")) {
            ps.setString(1, username);
            ps.setString(2, domain);
            return ps.executeUpdate() == 1;
        }
    }

    List<String> list() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT username, domain FROM subscriber ORDER BY domain, username"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "@" + rs.getString(2));
            }
        }
        return out;
    }
}
