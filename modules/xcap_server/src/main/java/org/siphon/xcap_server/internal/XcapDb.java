package org.siphon.xcap_server.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.siphon.core.db.Database;

/**
 * Kamailio's {@code xcap} table (version 4) through the core's {@link Database}: created in
 * Kamailio 5.6's layout when missing, its version checked otherwise. One row per document,
 * keyed by {@code doc_uri} (unique). Writes are compare-and-set on the ETag read before, so two
 * clients changing one document at once cannot both win. Every call blocks; thread-safe.
 */
final class XcapDb {

    static final int VERSION = 4;
    /** Kamailio's {@code source} value for documents its integrated XCAP server stored. */
    static final int SOURCE = 4;

    /** A stored document. */
    record Row(byte[] doc, String etag) {
    }

    private final Database db;
    private final String table;
    private volatile boolean ready;

    XcapDb(Database db, String table) {
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("xcap_server: \"" + table + "\" is not a table name");
        }
        this.db = db;
        this.table = table;
    }

    String table() {
        return table;
    }

    /** Kamailio 5.6's {@code xcap} table, PostgreSQL form (the core translates). */
    static String createSql(String table) {
        return "CREATE TABLE " + table + " (\n"
                + "    id SERIAL PRIMARY KEY NOT NULL,\n"
                + "    username VARCHAR(64) NOT NULL,\n"
                + "    domain VARCHAR(64) NOT NULL,\n"
                + "    doc BYTEA NOT NULL,\n"
                + "    doc_type INTEGER NOT NULL,\n"
                + "    etag VARCHAR(128) NOT NULL,\n"
                + "    source INTEGER NOT NULL,\n"
                + "    doc_uri VARCHAR(255) NOT NULL,\n"
                + "    port INTEGER NOT NULL,\n"
                + "    CONSTRAINT " + table + "_doc_uri_idx UNIQUE (doc_uri)\n"
                + ");\n"
                + "CREATE INDEX " + table + "_account_doc_type_idx ON " + table + " (username, domain, doc_type);\n"
                + "CREATE INDEX " + table + "_account_doc_type_uri_idx ON " + table + " (username, domain, doc_type, doc_uri);\n"
                + "CREATE INDEX " + table + "_account_doc_uri_idx ON " + table + " (username, domain, doc_uri)";
    }

    /** Creates the table when missing, checks its version (once; again after a failure). */
    synchronized void ensure() throws SQLException {
        if (!ready) {
            db.requireTable(table, VERSION, createSql(table));
            ready = true;
        }
    }

    /** The document stored under {@code docUri}, or null. */
    Row get(String docUri) throws SQLException {
        ensure();
        try (Connection con = db.connection();
                PreparedStatement ps = con.prepareStatement("SELECT doc, etag FROM " + table + " WHERE doc_uri = ?")) {
            ps.setString(1, docUri);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Row(rs.getBytes(1), rs.getString(2)) : null;
            }
        }
    }

    /**
     * Stores {@code doc} under {@code docUri} with {@code etag}: a new row when {@code previousEtag}
     * is null, else the row whose ETag is still {@code previousEtag}.
     *
     * @return false when the row changed (or appeared) since it was read: read again
     */
    boolean put(String username, String domain, int docType, String docUri, int port, byte[] doc, String etag,
            String previousEtag) throws SQLException {
        ensure();
        try (Connection con = db.connection()) {
            if (previousEtag != null) {
                try (PreparedStatement ps = con.prepareStatement("UPDATE " + table
                        + " SET doc = ?, etag = ?, username = ?, domain = ?, doc_type = ?, port = ? WHERE doc_uri = ? AND etag = ?")) {
                    ps.setBytes(1, doc);
                    ps.setString(2, etag);
                    ps.setString(3, username);
                    ps.setString(4, domain);
                    ps.setInt(5, docType);
                    ps.setInt(6, port);
                    ps.setString(7, docUri);
                    ps.setString(8, previousEtag);
                    return ps.executeUpdate() == 1;
                }
            }
            try (PreparedStatement ps = con.prepareStatement("INSERT INTO " + table
                    + " (username, domain, doc, doc_type, etag, source, doc_uri, port) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, username);
                ps.setString(2, domain);
                ps.setBytes(3, doc);
                ps.setInt(4, docType);
                ps.setString(5, etag);
                ps.setInt(6, SOURCE);
                ps.setString(7, docUri);
                ps.setInt(8, port);
                ps.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (get(docUri) != null) {
                    return false; // another client inserted it first
                }
                throw e;
            }
        }
    }

    /** Replaces the document of {@code docUri} if its ETag is still {@code previousEtag} (owner columns kept). */
    boolean replace(String docUri, byte[] doc, String etag, String previousEtag) throws SQLException {
        ensure();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "UPDATE " + table + " SET doc = ?, etag = ? WHERE doc_uri = ? AND etag = ?")) {
            ps.setBytes(1, doc);
            ps.setString(2, etag);
            ps.setString(3, docUri);
            ps.setString(4, previousEtag);
            return ps.executeUpdate() == 1;
        }
    }

    /** Removes the row of {@code docUri} if its ETag is still {@code etag}; false when it changed or is gone. */
    boolean delete(String docUri, String etag) throws SQLException {
        ensure();
        try (Connection con = db.connection(); PreparedStatement ps = con.prepareStatement(
                "DELETE FROM " + table + " WHERE doc_uri = ? AND etag = ?")) {
            ps.setString(1, docUri);
            ps.setString(2, etag);
            return ps.executeUpdate() == 1;
        }
    }
}
