package org.siphon.presence.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.db.Database;

/**
 * Subscriptions in Kamailio's {@code active_watchers} table (and, for the watcher's
 * authorisation state, {@code watchers}), for {@code subs_db_mode} 1–3. In mode 3 this is the
 * only copy, shared by every node on the database; the CSeq of a NOTIFY is taken with one
 * {@code UPDATE … SET local_cseq = local_cseq + 1}. Blocking; thread-safe.
 */
final class DbSubs implements Subs {

    private static final String COLUMNS = "presentity_uri, event, event_id, watcher_username, watcher_domain, to_user, "
            + "to_domain, from_user, from_domain, callid, to_tag, from_tag, local_cseq, remote_cseq, contact, "
            + "record_route, expires, status, reason, version, socket_info, local_contact, updated, updated_winfo, "
            + "flags, user_agent";

    private final Database db;
    private final String table;
    private final String watchers;

    DbSubs(Database db, String table, String watchersTable) {
        this.db = db;
        this.table = table;
        this.watchers = watchersTable;
    }

    @Override
    public Subscription get(String key) throws SQLException {
        String[] k = key.split("\u0001", -1);
        List<Subscription> l = query(" WHERE callid = ? AND from_tag = ? AND to_tag = ?", k[0], k[1], k[2]);
        return l.isEmpty() ? null : l.get(0);
    }

    @Override
    public void put(Subscription s) throws SQLException {
        try (Connection c = db.connection()) {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET local_cseq = ?, remote_cseq = ?, "
                    + "contact = ?, expires = ?, status = ?, reason = ?, version = ?, user_agent = ? "
                    + "WHERE callid = ? AND from_tag = ? AND to_tag = ?")) {
                ps.setLong(1, s.localCseq());
                ps.setLong(2, s.remoteCseq());
                ps.setString(3, s.contact());
                ps.setLong(4, s.expires());
                ps.setInt(5, s.status());
                ps.setString(6, s.reason());
                ps.setLong(7, s.version());
                ps.setString(8, trim(s.userAgent(), 255));
                ps.setString(9, s.callId());
                ps.setString(10, s.fromTag());
                ps.setString(11, s.toTag());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (" + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = 1;
                    ps.setString(i++, s.presentityUri());
                    ps.setString(i++, s.event());
                    ps.setString(i++, s.eventId());
                    ps.setString(i++, nn(s.watcherUser()));
                    ps.setString(i++, nn(s.watcherDomain()));
                    ps.setString(i++, nn(s.toUser()));
                    ps.setString(i++, nn(s.toDomain()));
                    ps.setString(i++, nn(s.fromUser()));
                    ps.setString(i++, nn(s.fromDomain()));
                    ps.setString(i++, s.callId());
                    ps.setString(i++, s.toTag());
                    ps.setString(i++, s.fromTag());
                    ps.setLong(i++, s.localCseq());
                    ps.setLong(i++, s.remoteCseq());
                    ps.setString(i++, nn(s.contact()));
                    ps.setString(i++, s.recordRoute());
                    ps.setLong(i++, s.expires());
                    ps.setInt(i++, s.status());
                    ps.setString(i++, s.reason());
                    ps.setLong(i++, s.version());
                    ps.setString(i++, nn(s.socketInfo()));
                    ps.setString(i++, nn(s.localContact()));
                    ps.setLong(i++, s.updated());
                    ps.setLong(i++, s.updatedWinfo());
                    ps.setInt(i++, s.flags());
                    ps.setString(i, trim(nn(s.userAgent()), 255));
                    ps.executeUpdate();
                }
            }
        }
    }

    @Override
    public Subscription remove(String key) throws SQLException {
        Subscription s = get(key);
        if (s == null) {
            return null;
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                + " WHERE callid = ? AND from_tag = ? AND to_tag = ?")) {
            ps.setString(1, s.callId());
            ps.setString(2, s.fromTag());
            ps.setString(3, s.toTag());
            return ps.executeUpdate() > 0 ? s : null;
        }
    }

    @Override
    public List<Subscription> of(String presentityUri, String event) throws SQLException {
        return query(" WHERE presentity_uri = ? AND event = ?", presentityUri, event);
    }

    @Override
    public int countOfWatcher(String user, String domain) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table
                + " WHERE watcher_username = ? AND watcher_domain = ?")) {
            ps.setString(1, nn(user));
            ps.setString(2, nn(domain));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    @Override
    public List<Subscription> expired(long now) throws SQLException {
        return query(" WHERE expires <= ?", now);
    }

    @Override
    public List<Subscription> all() throws SQLException {
        return query("");
    }

    @Override
    public Subscription next(String key, boolean bumpVersion) throws SQLException {
        String[] k = key.split("\u0001", -1);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("UPDATE " + table
                + " SET local_cseq = local_cseq + 1" + (bumpVersion ? ", version = version + 1" : "")
                + " WHERE callid = ? AND from_tag = ? AND to_tag = ?")) {
            ps.setString(1, k[0]);
            ps.setString(2, k[1]);
            ps.setString(3, k[2]);
            if (ps.executeUpdate() == 0) {
                return null;
            }
        }
        return get(key);
    }

    /** Records the watcher's authorisation state in {@code watchers} (one row per presentity, watcher, event). */
    void watcher(Subscription s, long now) throws SQLException {
        try (Connection c = db.connection()) {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + watchers + " SET status = ?, reason = ? WHERE "
                    + "presentity_uri = ? AND watcher_username = ? AND watcher_domain = ? AND event = ?")) {
                ps.setInt(1, s.status());
                ps.setString(2, s.reason());
                ps.setString(3, s.presentityUri());
                ps.setString(4, nn(s.watcherUser()));
                ps.setString(5, nn(s.watcherDomain()));
                ps.setString(6, s.event());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + watchers + " (presentity_uri, "
                        + "watcher_username, watcher_domain, event, status, reason, inserted_time) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, s.presentityUri());
                    ps.setString(2, nn(s.watcherUser()));
                    ps.setString(3, nn(s.watcherDomain()));
                    ps.setString(4, s.event());
                    ps.setInt(5, s.status());
                    ps.setString(6, s.reason());
                    ps.setLong(7, now);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // another node inserted it meanwhile: the row is there
                }
            }
        }
    }

    /** The {@code watchers} row of a watcher of a presentity's event (Kamailio's stored authorisation), or null. */
    org.siphon.presence.PresenceEvent.Authorisation watcherRow(String presentityUri, String user, String domain,
            String event) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT status, reason FROM "
                + watchers + " WHERE presentity_uri = ? AND watcher_username = ? AND watcher_domain = ? AND event = ?")) {
            ps.setString(1, presentityUri);
            ps.setString(2, nn(user));
            ps.setString(3, nn(domain));
            ps.setString(4, event);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new org.siphon.presence.PresenceEvent.Authorisation(rs.getInt(1), rs.getString(2))
                        : null;
            }
        }
    }

    /** Removes the {@code watchers} rows of watchers with no subscription left to anything. */
    int cleanWatchers() throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("DELETE FROM " + watchers
                + " WHERE NOT EXISTS (SELECT 1 FROM " + table + " a WHERE a.presentity_uri = " + watchers
                + ".presentity_uri AND a.watcher_username = " + watchers + ".watcher_username AND a.watcher_domain = "
                + watchers + ".watcher_domain)")) {
            return ps.executeUpdate();
        }
    }

    private List<Subscription> query(String where, Object... args) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM "
                + table + where)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Subscription> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = 1;
                    out.add(new Subscription(rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
                            rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++),
                            rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getString(i++), rs.getLong(i++),
                            rs.getLong(i++), rs.getString(i++), rs.getString(i++), rs.getLong(i++), rs.getInt(i++),
                            rs.getString(i++), rs.getLong(i++), rs.getString(i++), rs.getString(i++), rs.getLong(i++),
                            rs.getLong(i++), rs.getInt(i++), rs.getString(i), 0));
                }
            }
            return out;
        }
    }

    private static String nn(String s) {
        return s == null ? "" : s;
    }

    private static String trim(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
