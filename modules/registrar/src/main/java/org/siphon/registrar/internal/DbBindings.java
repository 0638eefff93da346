package org.siphon.registrar.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import org.siphon.core.db.Database;

/**
 * db_mode 3: the contacts live in the database only (Kamailio's {@code location} table, as in
 * {@link LocationDb}), so that several nodes sharing one database see each other's registrations.
 * Each change of an AOR is one transaction that locks its rows ({@code SELECT … FOR UPDATE}, where
 * the database has it); two nodes adding the first rows of one AOR at once are retried. A database error is an {@link IllegalStateException} (the REGISTER gets a
 * 500, a lookup finds nothing). Thread-safe.
 */
final class DbBindings implements Bindings {

    private final Database db;

    DbBindings(Database db) throws SQLException {
        this.db = db;
        LocationDb.require(db);
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("database: " + e.getMessage(), e);
    }

    @Override
    public List<Contact> contacts(String aor, long now) {
        try (Connection c = db.connection()) {
            return Location.sorted(LocationDb.read(c, aor, now, false));
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public List<Contact> update(String aor, long now, UnaryOperator<List<Contact>> change) {
        for (int attempt = 1;; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                boolean lock = !db.dialect().equals("sqlite"); // sqlite has no FOR UPDATE (it locks the whole file)
                List<Contact> next = new ArrayList<>(change.apply(Location.sorted(LocationDb.read(c, aor, now, lock))));
                LocationDb.replace(c, aor, next);
                c.commit();
                return Location.sorted(next);
            } catch (SQLException e) {
                if (attempt >= 3) {
                    throw failed(e);
                }
            }
        }
    }

    @Override
    public boolean remove(String aor) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM location WHERE " + LocationDb.ACCOUNT)) {
            LocationDb.account(ps, 1, aor);
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public List<String> aors(long now) {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT DISTINCT username, domain FROM location WHERE expires > ? "
                        + "ORDER BY username, domain")) {
            ps.setTimestamp(1, new Timestamp(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String domain = rs.getString(2);
                    out.add(domain == null || domain.isEmpty() ? rs.getString(1) : rs.getString(1) + "@" + domain);
                }
            }
            return out;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public long[] counts(long now) {
        try (Connection c = db.connection();
                PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM (SELECT DISTINCT username, domain "
                        + "FROM location WHERE expires > ?) a), (SELECT COUNT(*) FROM location WHERE expires > ?)")) {
            ps.setTimestamp(1, new Timestamp(now));
            ps.setTimestamp(2, new Timestamp(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] { rs.getLong(1), rs.getLong(2) };
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    @Override
    public int expire(long now) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM location WHERE expires <= ?")) {
            ps.setTimestamp(1, new Timestamp(now));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
