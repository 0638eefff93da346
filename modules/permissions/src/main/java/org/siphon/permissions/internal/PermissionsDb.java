package org.siphon.permissions.internal;

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
 * The {@code address} and {@code trusted} tables in Kamailio 5.6's layout (version 6 each), with
 * the table and column names of the module's parameters. A missing table is created (empty) in that
 * layout and recorded in the {@code version} table; an existing one must say version 6. A row that
 * does not check (bad address, mask, port, transport or pattern) is skipped with a WARN line; the
 * others load. Calls block on the database: never on an event loop. Thread-safe.
 */
final class PermissionsDb {

    private static final Logger LOG = LoggerFactory.getLogger(PermissionsDb.class);
    static final int ADDRESS_VERSION = 6;
    static final int TRUSTED_VERSION = 6;

    /** The address table's name and columns (address_table, grp_col, ip_addr_col, mask_col, port_col, tag_col). */
    record AddressColumns(String table, String grp, String ip, String mask, String port, String tag) {
    }

    /** The trusted table's name and columns (trusted_table, source_col, proto_col, from_col, ruri_col, tag_col, priority_col). */
    record TrustedColumns(String table, String source, String proto, String from, String ruri, String tag, String priority) {
    }

    /** Kamailio's address table (its permissions-create.sql), PostgreSQL form, with the configured names. */
    static String addressSql(AddressColumns c) {
        return "CREATE TABLE " + c.table() + " (\n"
                + "    id SERIAL PRIMARY KEY NOT NULL,\n"
                + "    " + c.grp() + " INTEGER DEFAULT 1 NOT NULL,\n"
                + "    " + c.ip() + " VARCHAR(50) NOT NULL,\n"
                + "    " + c.mask() + " INTEGER DEFAULT 32 NOT NULL,\n"
                + "    " + c.port() + " SMALLINT DEFAULT 0 NOT NULL,\n"
                + "    " + c.tag() + " VARCHAR(64)\n"
                + ")";
    }

    /** Kamailio's trusted table, PostgreSQL form, with the configured names. */
    static String trustedSql(TrustedColumns c) {
        return "CREATE TABLE " + c.table() + " (\n"
                + "    id SERIAL PRIMARY KEY NOT NULL,\n"
                + "    " + c.source() + " VARCHAR(50) NOT NULL,\n"
                + "    " + c.proto() + " VARCHAR(4) NOT NULL,\n"
                + "    " + c.from() + " VARCHAR(64) DEFAULT NULL,\n"
                + "    " + c.ruri() + " VARCHAR(64) DEFAULT NULL,\n"
                + "    " + c.tag() + " VARCHAR(64),\n"
                + "    " + c.priority() + " INTEGER DEFAULT 0 NOT NULL\n"
                + ");\n"
                + "CREATE INDEX " + c.table() + "_peer_idx ON " + c.table() + " (" + c.source() + ")";
    }

    /** What a load gave: the good rows and how many were skipped. */
    record Loaded<T>(List<T> rows, int skipped) {
    }

    private final Database db;
    private final AddressColumns address;
    private final TrustedColumns trusted;
    private volatile boolean addressReady;
    private volatile boolean trustedReady;
    /** Bad trusted rows already logged by per-call reads. */
    private final Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The trusted table's SELECT, once its columns are known. */
    private volatile String trustedSelect;

    PermissionsDb(Database db, AddressColumns address, TrustedColumns trusted) {
        this.db = db;
        this.address = address;
        this.trusted = trusted;
    }

    /** The database's URL, password hidden. */
    String url() {
        return db.url();
    }

    /** Reads the whole address table. */
    Loaded<AddressRow> loadAddress() throws SQLException {
        if (!addressReady) {
            if (db.requireTable(address.table(), ADDRESS_VERSION, addressSql(address))) {
                LOG.info("permissions: created table {} (version {}) in {}", address.table(), ADDRESS_VERSION, db.url());
            }
            addressReady = true;
        }
        String tag = column(address.table(), address.tag(), address.grp(), address.ip(), address.mask(), address.port());
        String sql = "SELECT " + address.grp() + ", " + address.ip() + ", " + address.mask() + ", " + address.port() + ", "
                + tag + " FROM " + address.table();
        List<AddressRow> rows = new ArrayList<>();
        int skipped = 0;
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                long grp = rs.getLong(1);
                String ip = rs.getString(2);
                Long mask = nullable(rs, 3);
                Long port = nullable(rs, 4);
                String t = rs.getString(5);
                try {
                    rows.add(AddressRow.of(grp, ip, mask, port, t));
                } catch (IllegalArgumentException e) {
                    skipped++;
                    LOG.warn("permissions: table {}: row ({}, {}, {}, {}, {}) skipped: {}", address.table(), grp, ip, mask,
                            port, t, e.getMessage());
                }
            }
        }
        return new Loaded<>(rows, skipped);
    }

    /** Reads the whole trusted table (db_mode 1). */
    Loaded<TrustedRow> loadTrusted() throws SQLException {
        return trusted(null);
    }

    /**
     * The trusted rows of one source address, read now (db_mode 0), highest priority first; {@code forms}
     * are the texts the address may be written as. Bad rows are skipped with a WARN line.
     */
    List<TrustedRow> trustedFor(java.util.Collection<String> forms) throws SQLException {
        return trusted(List.copyOf(forms)).rows();
    }

    private Loaded<TrustedRow> trusted(List<String> forms) throws SQLException {
        String select = trustedSelect;
        if (select == null || !trustedReady) {
            if (db.requireTable(trusted.table(), TRUSTED_VERSION, trustedSql(trusted))) {
                LOG.info("permissions: created table {} (version {}) in {}", trusted.table(), TRUSTED_VERSION, db.url());
            }
            trustedReady = true;
            String tag = column(trusted.table(), trusted.tag(), trusted.source(), trusted.proto(), trusted.from(),
                    trusted.ruri(), trusted.priority());
            select = "SELECT " + trusted.source() + ", " + trusted.proto() + ", " + trusted.from() + ", " + trusted.ruri()
                    + ", " + tag + ", " + trusted.priority() + " FROM " + trusted.table();
            trustedSelect = select;
        }
        String sql = forms == null ? select : select + " WHERE " + trusted.source() + " IN ("
                + String.join(", ", java.util.Collections.nCopies(forms.size(), "?")) + ")";
        List<TrustedRow> rows = new ArrayList<>();
        int skipped = 0;
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql + " ORDER BY "
                + trusted.priority() + " DESC")) {
            for (int i = 0; forms != null && i < forms.size(); i++) {
                ps.setString(i + 1, forms.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        rows.add(TrustedRow.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getLong(6)));
                    } catch (IllegalArgumentException e) {
                        skipped++;
                        String row = "(" + rs.getString(1) + ", " + rs.getString(2) + ", " + rs.getString(3) + ", "
                                + rs.getString(4) + ")";
                        // read per call (db_mode 0): each bad row is logged once, not at every request
                        if (forms == null || warned.size() < 1000 && warned.add(row)) {
                            LOG.warn("permissions: table {}: row {} skipped: {}", trusted.table(), row, e.getMessage());
                        }
                    }
                }
            }
        }
        return new Loaded<>(rows, skipped);
    }

    /**
     * Checks that the table has the columns the module reads; the tag column may be missing (a table
     * of an older layout), then NULL is read in its place.
     *
     * @return the tag column, or {@code NULL}
     */
    private String column(String table, String tag, String... required) throws SQLException {
        Set<String> have = db.columns(table);
        if (have.isEmpty()) {
            return tag; // metadata not available: trust the names
        }
        List<String> missing = new ArrayList<>();
        for (String r : required) {
            if (!have.contains(r.toLowerCase(java.util.Locale.ROOT))) {
                missing.add(r);
            }
        }
        if (!missing.isEmpty()) {
            throw new SQLException("table " + table + " has no column " + String.join(", ", missing) + " (it has " + have + ")");
        }
        if (!have.contains(tag.toLowerCase(java.util.Locale.ROOT))) {
            LOG.info("permissions: table {} has no column {}: no tags", table, tag);
            return "NULL";
        }
        return tag;
    }

    private static Long nullable(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}
