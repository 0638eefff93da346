package org.siphon.core.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The server's database (Kamailio's {@code db_url}): an embedded H2 file database under
 * {@code data/} by default, or PostgreSQL ({@code postgres://user:pass@host[:port]/db}) for
 * several Siphon nodes sharing state. Connections come from a bounded pool. Each module owns its
 * tables and creates or migrates them with {@link #migrate}. An OSGi service of the core.
 * Thread-safe. Calls block (network, disk): never call them on an event loop.
 */
@ProviderType
public interface Database {

    /** The URL in use, password hidden. */
    String url();

    /** {@code h2}, {@code postgres}, {@code mysql} or {@code sqlite}: for the few statements that differ. */
    String dialect();

    /**
     * A pooled connection in auto-commit mode; {@code close()} gives it back.
     *
     * @throws SQLException when the database cannot be reached or every connection is busy for
     *                      longer than {@code connect_timeout}
     */
    Connection connection() throws SQLException;

    /**
     * Brings the module's tables to the latest version: {@code migrations.get(i)} is version
     * {@code i + 1} (one or more statements separated by {@code ;} at line ends); versions above
     * the one recorded for the module in table {@code siphon_schema} run in order, each in one
     * transaction, recorded as it commits. Safe to call at every start, from several nodes.
     *
     * @return the module's version afterwards
     */
    int migrate(String module, List<String> migrations) throws SQLException;

    /**
     * Makes sure a table in Kamailio's layout is there, for pointing Siphon at a Kamailio database:
     * when {@code table} is missing it is created from {@code createSql} (Kamailio's PostgreSQL
     * schema text: {@code SERIAL}, {@code TIMESTAMP WITHOUT TIME ZONE}, {@code TEXT}, {@code BYTEA};
     * translated for H2, MySQL and SQLite; statements separated by {@code ;} at line ends) and
     * {@code version} is recorded in Kamailio's {@code version} table (created too when missing).
     * When the table is there, its version row must say {@code version}. Safe from several nodes.
     *
     * @return true when the table was created now
     * @throws SQLException naming the table and both versions when they differ (or its row is missing)
     */
    boolean requireTable(String table, int version, String createSql) throws SQLException;

    /**
     * The columns of {@code table}, in lower case and table order; empty when the table is missing
     * (read from the driver's metadata, nothing logged). For a module checking a table made by
     * Kamailio's tools, or an older layout of its own.
     */
    java.util.Set<String> columns(String table) throws SQLException;

    /**
     * The database a module's own {@code db_url} names (Kamailio gives each module one): this one
     * when {@code dbUrl} is empty or names it, else a pool of its own for that URL, made once and
     * shared by every module that names it. Connects at first use, as this one does.
     *
     * @throws IllegalArgumentException when the URL is not one Siphon takes (the message lists those)
     */
    Database forUrl(String dbUrl);
}
