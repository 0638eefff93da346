package org.siphon.presence.xml.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.db.Database;

/**
 * The pres-rules documents of a presentity in Kamailio's {@code xcap} table (written by
 * xcap_server, or by Kamailio's): the rows of its user and domain with {@code doc_type} 2, which
 * both {@code pres-rules} and {@code org.openmobilealliance.pres-rules} documents have. Read on
 * every decision (a SUBSCRIBE, {@code pres_update_watchers}), so a PUT counts at once. Blocking;
 * thread-safe.
 */
class XcapRules {

    /** Kamailio's {@code doc_type} of pres-rules documents. */
    static final int PRES_RULES = 2;

    private final Database db;
    private final String table;

    XcapRules(Database db, String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("presence_xml: \"" + table + "\" is not a table name");
        }
        this.db = db;
        this.table = table;
    }

    String table() {
        return table;
    }

    /** The documents of {@code user}@{@code domain}, oldest row first; empty when there is none. */
    List<byte[]> documents(String user, String domain) throws SQLException {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT doc FROM " + table
                + " WHERE username = ? AND domain = ? AND doc_type = ? ORDER BY id")) {
            ps.setString(1, user);
            ps.setString(2, domain);
            ps.setInt(3, PRES_RULES);
            List<byte[]> out = new ArrayList<>(1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byte[] d = rs.getBytes(1);
                    if (d != null) {
                        out.add(d);
                    }
                }
            }
            return out;
        }
    }
}
