package org.siphon.presence.internal;

import java.sql.SQLException;

import org.siphon.core.db.Database;

/**
 * Kamailio 5.6's presence tables ({@code presentity} v5, {@code active_watchers} v12,
 * {@code watchers} v3) in their PostgreSQL layout (the core translates for H2, MySQL, SQLite):
 * created where missing, their versions checked where present.
 */
final class Tables {

    static final int PRESENTITY_VERSION = 5;
    static final int ACTIVE_WATCHERS_VERSION = 12;
    static final int WATCHERS_VERSION = 3;

    private Tables() {
    }

    static String presentity(String t) {
        return "CREATE TABLE " + t + " (\n"
                + "    id SERIAL PRIMARY KEY NOT NULL,\n"
                + "    username VARCHAR(64) NOT NULL,\n"
                + "    domain VARCHAR(64) NOT NULL,\n"
                + "    event VARCHAR(64) NOT NULL,\n"
                + "    etag VARCHAR(128) NOT NULL,\n"
                + "    expires INTEGER NOT NULL,\n"
                + "    received_time INTEGER NOT NULL,\n"
                + "    body BYTEA NOT NULL,\n"
                + "    sender VARCHAR(255) NOT NULL,\n"
                + "    priority INTEGER DEFAULT 0 NOT NULL,\n"
                + "    ruid VARCHAR(64),\n"
                + "    CONSTRAINT " + t + "_presentity_idx UNIQUE (username, domain, event, etag),\n"
                + "    CONSTRAINT " + t + "_ruid_idx UNIQUE (ruid)\n"
                + ");\n"
                + "CREATE INDEX " + t + "_presentity_expires ON " + t + " (expires);\n"
                + "CREATE INDEX " + t + "_account_idx ON " + t + " (username, domain, event)";
    }

    static String activeWatchers(String t) {
        return "CREATE TABLE " + t + " (\n"
                + "    id SERIAL PRIMARY KEY NOT NULL,\n"
                + "    presentity_uri VARCHAR(255) NOT NULL,\n"
                + "    watcher_username VARCHAR(64) NOT NULL,\n"
                + "    watcher_domain VARCHAR(64) NOT NULL,\n"
                + "    to_user VARCHAR(64) NOT NULL,\n"
                + "    to_domain VARCHAR(64) NOT NULL,\n"
                + "    event VARCHAR(64) DEFAULT 'presence' NOT NULL,\n"
                + "    event_id VARCHAR(64),\n"
                + "    to_tag VARCHAR(128) NOT NULL,\n"
                + "    from_tag VARCHAR(128) NOT NULL,\n"
                + "    callid VARCHAR(255) NOT NULL,\n"
                + "    local_cseq INTEGER NOT NULL,\n"
                + "    remote_cseq INTEGER NOT NULL,\n"
                + "    contact VARCHAR(255) NOT NULL,\n"
                + "    record_route TEXT,\n"
                + "    expires INTEGER NOT NULL,\n"
                + "    status INTEGER DEFAULT 2 NOT NULL,\n"
                + "    reason VARCHAR(64),\n"
                + "    version INTEGER DEFAULT 0 NOT NULL,\n"
                + "    socket_info VARCHAR(64) NOT NULL,\n"
                + "    local_contact VARCHAR(255) NOT NULL,\n"
                + "    from_user VARCHAR(64) NOT NULL,\n"
                + "    from_domain VARCHAR(64) NOT NULL,\n"
                + "    updated INTEGER NOT NULL,\n"
                + "    updated_winfo INTEGER NOT NULL,\n"
                + "    flags INTEGER DEFAULT 0 NOT NULL,\n"
                + "    user_agent VARCHAR(255) DEFAULT '',\n"
                + "    CONSTRAINT " + t + "_active_watchers_idx UNIQUE (callid, to_tag, from_tag)\n"
                + ");\n"
                + "CREATE INDEX " + t + "_active_watchers_expires ON " + t + " (expires);\n"
                + "CREATE INDEX " + t + "_active_watchers_pres ON " + t + " (presentity_uri, event);\n"
                + "CREATE INDEX " + t + "_updated_idx ON " + t + " (updated);\n"
                + "CREATE INDEX " + t + "_updated_winfo_idx ON " + t + " (updated_winfo, presentity_uri)";
    }

    static String watchers(String t) {
        return "CREATE TABLE " + t + " (\n"
                + "    id SERIAL PRIMARY KEY NOT NULL,\n"
                + "    presentity_uri VARCHAR(255) NOT NULL,\n"
                + "    watcher_username VARCHAR(64) NOT NULL,\n"
                + "    watcher_domain VARCHAR(64) NOT NULL,\n"
                + "    event VARCHAR(64) DEFAULT 'presence' NOT NULL,\n"
                + "    status INTEGER NOT NULL,\n"
                + "    reason VARCHAR(64),\n"
                + "    inserted_time INTEGER NOT NULL,\n"
                + "    CONSTRAINT " + t + "_watcher_idx UNIQUE (presentity_uri, watcher_username, watcher_domain, event)\n"
                + ")";
    }

    /** Creates or checks the three tables. */
    static void ensure(Database db, String presentity, String activeWatchers, String watchers) throws SQLException {
        db.requireTable(presentity, PRESENTITY_VERSION, presentity(presentity));
        db.requireTable(activeWatchers, ACTIVE_WATCHERS_VERSION, activeWatchers(activeWatchers));
        db.requireTable(watchers, WATCHERS_VERSION, watchers(watchers));
    }

    static String name(String n) {
        if (n == null || !n.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("presence: \"" + n + "\" is not a table name");
        }
        return n;
    }
}
