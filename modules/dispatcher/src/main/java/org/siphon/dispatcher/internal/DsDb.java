package org.siphon.dispatcher.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.db.Database;

/**
 * Kamailio's {@code dispatcher} table (version 4), created where it is missing. Column names
 * come from the {@code *_col} parameters. Blocking: called from the module's timer thread, an
 * RPC or activation, never from an event loop.
 */
final class DsDb {

    static final int VERSION = 4;
    static final String CREATE = """
            CREATE TABLE %s (
                id SERIAL PRIMARY KEY NOT NULL,
                setid INTEGER DEFAULT 0 NOT NULL,
                destination VARCHAR(192) DEFAULT '' NOT NULL,
                flags INTEGER DEFAULT 0 NOT NULL,
                priority INTEGER DEFAULT 0 NOT NULL,
                attrs VARCHAR(128) DEFAULT '' NOT NULL,
                description VARCHAR(64) DEFAULT '' NOT NULL
            );
            """;

    /** Column names as configured. */
    record Columns(String table, String setid, String destination, String flags, String priority, String attrs) {
    }

    private DsDb() {
    }

    static DsList load(Database db, Columns c) throws ListFile.ListException {
        List<Destination> out = new ArrayList<>();
        try {
            db.requireTable(c.table(), VERSION, CREATE.formatted(c.table()));
            try (Connection con = db.connection(); Statement st = con.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + c.setid() + ", " + c.destination() + ", " + c.flags() + ", "
                            + c.priority() + ", " + c.attrs() + " FROM " + c.table())) {
                int row = 0;
                while (rs.next()) {
                    row++;
                    String attrs = rs.getString(5);
                    out.add(ListFile.destination(c.table() + ":row " + row, String.valueOf(rs.getInt(1)),
                            String.valueOf(rs.getString(2)), String.valueOf(rs.getInt(3)), String.valueOf(rs.getInt(4)),
                            attrs == null ? "" : attrs.trim()));
                }
            }
        } catch (SQLException e) {
            throw new ListFile.ListException(db.url() + " table " + c.table() + ": " + e.getMessage());
        }
        return new DsList(out, "db:" + c.table());
    }
}
