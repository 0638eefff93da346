package org.siphon.acc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes accounting rows into Kamailio's {@code acc} and {@code missed_calls} tables (or a table
 * {@code acc_db_request} names) on a thread of its own, so that a SIP worker never waits for the
 * database. A table that is missing is created in Kamailio 5.6's layout (version 5 for acc, 4 for
 * missed_calls, in the {@code version} table) with the {@code db_extra} columns added as the stock
 * kamailio.cfg tells operators to; one whose version differs is refused with a clear error. A row
 * that cannot be written (database down, a column missing, the queue full) is logged at ERROR
 * with its whole content, so no record is lost silently.
 */
final class AccDb {

    private static final Logger LOG = LoggerFactory.getLogger(AccDb.class);
    static final int QUEUE = 10_000;

    /** Kamailio 5.6's acc and missed_calls tables (PostgreSQL form; the core translates). */
    static String createSql(String table, Columns c, ExtraSpec extras) {
        StringBuilder sb = new StringBuilder("CREATE TABLE ").append(table).append(" (\n")
                .append("    id SERIAL PRIMARY KEY NOT NULL,\n")
                .append("    ").append(c.method()).append(" VARCHAR(16) DEFAULT '' NOT NULL,\n")
                .append("    ").append(c.fromTag()).append(" VARCHAR(128) DEFAULT '' NOT NULL,\n")
                .append("    ").append(c.toTag()).append(" VARCHAR(128) DEFAULT '' NOT NULL,\n")
                .append("    ").append(c.callId()).append(" VARCHAR(255) DEFAULT '' NOT NULL,\n")
                .append("    ").append(c.code()).append(" VARCHAR(3) DEFAULT '' NOT NULL,\n")
                .append("    ").append(c.reason()).append(" VARCHAR(128) DEFAULT '' NOT NULL,\n")
                .append("    ").append(c.time()).append(" TIMESTAMP WITHOUT TIME ZONE NOT NULL");
        for (ExtraSpec.Item i : extras.items()) {
            sb.append(",\n    ").append(i.name()).append(" VARCHAR(128) DEFAULT '' NOT NULL");
        }
        sb.append("\n);\nCREATE INDEX ").append(table).append("_callid_idx ON ").append(table).append(" (")
                .append(c.callId()).append(")");
        return sb.toString();
    }

    /** The column names (acc's {@code acc_*_column} parameters). */
    record Columns(String method, String fromTag, String toTag, String callId, String code, String reason, String time) {
    }

    static int versionOf(String table, String missedTable) {
        return table.equals(missedTable) ? 4 : 5;
    }

    private final Database db;
    private final Columns columns;
    private final ExtraSpec extras;
    private final String missedTable;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor writer;
    private final AtomicInteger pending = new AtomicInteger();

    AccDb(Database db, Columns columns, ExtraSpec extras, String missedTable) {
        this.db = db;
        this.columns = columns;
        this.extras = extras;
        this.missedTable = missedTable;
        BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(QUEUE);
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, queue, r -> {
            Thread t = new Thread(r, "acc-db");
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues the row; never blocks. */
    void write(String table, AccRecord r) {
        pending.incrementAndGet();
        try {
            writer.execute(() -> {
                try {
                    insert(table, r);
                } catch (SQLException | RuntimeException e) {
                    LOG.error("acc: row not written to table {} ({}): {}", table, e.getMessage(), r.logText());
                } finally {
                    pending.decrementAndGet();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.decrementAndGet();
            LOG.error("acc: {} rows wait for the database already; row not written to table {}: {}", QUEUE, table,
                    r.logText());
        }
    }

    /** Rows queued or being written. */
    int pending() {
        return pending.get();
    }

    /**
     * Adds the {@code db_extra} columns a table made from Kamailio's schema lacks, as the stock
     * kamailio.cfg tells operators to ({@code ALTER TABLE acc ADD COLUMN src_user …}), each with a
     * log line; Kamailio instead fails every insert until they are added.
     */
    private void addExtraColumns(String table) throws SQLException {
        java.util.Set<String> columns = db.columns(table);
        for (ExtraSpec.Item i : extras.items()) {
            if (!columns.contains(i.name().toLowerCase(java.util.Locale.ROOT))) {
                try (java.sql.Connection c = db.connection(); java.sql.Statement s = c.createStatement()) {
                    s.executeUpdate("ALTER TABLE " + table + " ADD COLUMN " + i.name() + " VARCHAR(128) DEFAULT '' NOT NULL");
                }
                LOG.info("acc: added column {} (db_extra) to table {}", i.name(), table);
            }
        }
    }

    void insert(String table, AccRecord r) throws SQLException {
        if (!ready.contains(table)) {
            if (!db.requireTable(table, versionOf(table, missedTable), createSql(table, columns, extras))) {
                addExtraColumns(table);
            }
            ready.add(table);
        }
        List<AccRecord.Extra> ex = r.extras();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns.method())
                .append(", ").append(columns.fromTag()).append(", ").append(columns.toTag()).append(", ")
                .append(columns.callId()).append(", ").append(columns.code()).append(", ").append(columns.reason())
                .append(", ").append(columns.time());
        for (AccRecord.Extra e : ex) {
            sql.append(", ").append(e.name());
        }
        sql.append(") VALUES (?, ?, ?, ?, ?, ?, ?").append(", ?".repeat(ex.size())).append(')');
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setString(1, r.method());
            ps.setString(2, orEmpty(r.fromTag()));
            ps.setString(3, orEmpty(r.toTag()));
            ps.setString(4, orEmpty(r.callId()));
            ps.setString(5, r.code());
            ps.setString(6, r.reason());
            ps.setTimestamp(7, Timestamp.from(r.time()));
            for (int i = 0; i < ex.size(); i++) {
                ps.setString(8 + i, orEmpty(ex.get(i).value())); // Kamailio's extra columns are NOT NULL DEFAULT ''
            }
            ps.executeUpdate();
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Writes what is queued (up to {@code millis}), then stops the writer. */
    void close(long millis) {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                List<Runnable> left = writer.shutdownNow();
                LOG.error("acc: stopped with {} rows not written to the database", left.size() + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
