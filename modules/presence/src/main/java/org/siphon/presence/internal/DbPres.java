package org.siphon.presence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.db.Database;

/** Publications in Kamailio's {@code presentity} table ({@code publ_cache} 0 and 1). Blocking; thread-safe. */
final class DbPres implements Pres {

    private static final String COLUMNS = "username, domain, event, etag, expires, received_time, body, sender, priority, ruid";

    private final Database db;
    private final String table;

    DbPres(Database db, String table) {
        this.db = db;
        this.table = table;
    }

    @Override
    public List<Presentity> of(String uri, String event) throws SQLException {
        String[] ud = Uris.userDomain(uri);
        return query(" WHERE username = ? AND domain = ? AND event = ? ORDER BY received_time, id", ud[0], ud[1], event);
    }

    @Override
    public void put(String uri, Presentity p, String replacedEtag) throws SQLException {
        try (Connection c = db.connection()) {
            if (replacedEtag != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET etag = ?, expires = ?, "
                        + "received_time = ?, body = ?, sender = ?, priority = ? WHERE username = ? AND domain = ? "
                        + "AND event = ? AND etag = ?")) {
                    ps.setString(1, p.etag());
                    ps.setLong(2, p.expires());
                    ps.setLong(3, p.receivedTime());
                    ps.setBytes(4, p.body());
                    ps.setString(5, p.sender());
                    ps.setInt(6, p.priority());
                    ps.setString(7, p.user());
                    ps.setString(8, p.domain());
                    ps.setString(9, p.event());
                    ps.setString(10, replacedEtag);
                    if (ps.executeUpdate() > 0) {
                        return;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, p.user());
                ps.setString(2, p.domain());
                ps.setString(3, p.event());
                ps.setString(4, p.etag());
                ps.setLong(5, p.expires());
                ps.setLong(6, p.receivedTime());
                ps.setBytes(7, p.body());
                ps.setString(8, p.sender());
                ps.setInt(9, p.priority());
                ps.setString(10, p.ruid());
                ps.executeUpdate();
            }
        }
    }

    @Override
    public boolean remove(String uri, String event, String etag) throws SQLException {
        String[] ud = Uris.userDomain(uri);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                + " WHERE username = ? AND domain = ? AND event = ? AND etag = ?")) {
            ps.setString(1, ud[0]);
            ps.setString(2, ud[1]);
            ps.setString(3, event);
            ps.setString(4, etag);
            return ps.executeUpdate() > 0;
        }
    }

    @Override
    public List<Presentity> expired(long now) throws SQLException {
        return query(" WHERE expires <= ? AND expires > 0", now);
    }

    @Override
    public List<Presentity> all() throws SQLException {
        return query(" ORDER BY received_time, id");
    }

    private List<Presentity> query(String where, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM "
                + table + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Presentity> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] body = rs.getBytes(7);
                    out.add(new Presentity(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6), body == null ? new byte[0] : body, rs.getString(8),
                            rs.getInt(9), rs.getString(10)));
                }
            }
            return out;
        }
    }
}
