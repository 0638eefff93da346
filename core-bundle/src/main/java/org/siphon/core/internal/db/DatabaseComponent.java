package org.siphon.core.internal.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.siphon.core.db.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage service ({@link Database}), configuration PID {@code org.siphon.db}. It does not
 * connect when it starts — the database may be down — but at the first use; a failure is an
 * {@link SQLException} with the reason, and the next call tries again.
 */
@Component(service = Database.class, immediate = true, configurationPid = "org.siphon.db",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DatabaseComponent.Config.class)
public class DatabaseComponent implements Database {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);

    @ObjectClassDefinition(name = "Siphon database")
    public @interface Config {
        @AttributeDefinition(description = "h2:PATH (under the server's home when relative), h2:mem:NAME, "
                + "postgres://user:pass@host[:port]/db, or a jdbc: URL (default h2:data/siphon)")
        String db__url() default "h2:data/siphon";

        @AttributeDefinition(description = "Connections open at most (default 8)")
        int pool__size() default 8;

        @AttributeDefinition(description = "Longest wait for a connection, ms (default 2000)")
        int connect__timeout() default 2000;
    }

    private DbUrl url;
    private ConnectionPool pool;
    private Config config;
    private Path home;
    /** The databases other db_urls name, by JDBC URL and user. */
    private final java.util.Map<String, DatabaseComponent> others = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    void activate(Config config, BundleContext context) {
        String home = context == null ? null : context.getProperty("siphon.home");
        start(config, home == null ? null : Path.of(home));
    }

    /** A service over {@code config} with relative H2 paths under {@code home} (tests, here and in modules). */
    public void start(Config config, Path home) {
        this.config = config;
        this.home = home;
        url = DbUrl.parse(config.db__url(), home);
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        // PostgreSQL's connectTimeout is in seconds, MariaDB's in milliseconds
        props.setProperty("connectTimeout", url.dialect().equals("mysql") ? Integer.toString(config.connect__timeout())
                : Integer.toString(Math.max(1, config.connect__timeout() / 1000)));
        pool = new ConnectionPool(() -> {
            Connection c = driver(url.dialect()).connect(url.jdbc(), props); // looked up at first use: the bundle may come later
            if (c == null) {
                throw new SQLException("the " + url.dialect() + " driver does not take " + url.shown());
            }
            return c;
        }, config.pool__size(), config.connect__timeout());
        LOG.info("database: {} (pool of {})", url.shown(), config.pool__size());
    }

    /** The JDBC driver of a dialect; its bundle is imported dynamically (it may be installed later). */
    private static Driver driver(String dialect) throws SQLException {
        if (dialect.equals("h2")) {
            return new org.h2.Driver();
        }
        String[] driver = switch (dialect) {
            case "postgres" -> new String[] { "org.postgresql.Driver", "PostgreSQL (org.postgresql.jdbc)" };
            case "mysql" -> new String[] { "org.mariadb.jdbc.Driver", "MariaDB Connector/J (org.mariadb.jdbc)" };
            case "sqlite" -> new String[] { "org.sqlite.JDBC", "sqlite-jdbc (org.xerial.sqlite-jdbc)" };
            default -> throw new SQLException("no driver for " + dialect);
        };
        try {
            return (Driver) Class.forName(driver[0]).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new SQLException("db_url names " + dialect + " but the " + driver[1] + " driver bundle is not installed "
                    + "(put its jar into deploy/)", e);
        }
    }

    @Deactivate
    public void deactivate() {
        others.values().forEach(DatabaseComponent::deactivate);
        others.clear();
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public Database forUrl(String dbUrl) {
        if (dbUrl == null || dbUrl.isBlank()) {
            return this;
        }
        DbUrl other = DbUrl.parse(dbUrl, home);
        if (other.jdbc().equals(url.jdbc()) && java.util.Objects.equals(other.user(), url.user())) {
            return this;
        }
        return others.computeIfAbsent(other.jdbc() + "|" + other.user(), k -> {
            DatabaseComponent d = new DatabaseComponent();
            Config base = config;
            d.start(new Config() {
                @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return Config.class; }
                @Override public String db__url() { return dbUrl; }
                @Override public int pool__size() { return base.pool__size(); }
                @Override public int connect__timeout() { return base.connect__timeout(); }
            }, home);
            return d;
        });
    }

    @Override
    public String url() {
        return url.shown();
    }

    @Override
    public String dialect() {
        return url.dialect();
    }

    @Override
    public Connection connection() throws SQLException {
        try {
            return pool.get();
        } catch (SQLException e) {
            throw new SQLException("database " + url.shown() + ": " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /** Synchronized: modules starting together must not race on {@code siphon_schema} (other nodes are handled below). */
    @Override
    public synchronized int migrate(String module, List<String> migrations) throws SQLException {
        try (Connection c = connection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS siphon_schema (module VARCHAR(64) PRIMARY KEY, version INT NOT NULL)");
            }
            int version = version(c, module);
            while (version < migrations.size()) {
                int next = version + 1;
                c.setAutoCommit(false);
                try {
                    for (String sql : statements(migrations.get(next - 1))) {
                        try (Statement s = c.createStatement()) {
                            s.execute(sql);
                        }
                    }
                    record(c, module, version, next);
                    c.commit();
                    LOG.info("database: tables of {} now at version {}", module, next);
                    version = next;
                } catch (SQLException e) {
                    c.rollback();
                    int now = version(c, module);
                    if (now <= version) {
                        throw new SQLException("migrating " + module + " to version " + next + ": " + e.getMessage(), e);
                    }
                    version = now; // another node migrated meanwhile
                } finally {
                    c.setAutoCommit(true);
                }
            }
            return version;
        }
    }

    private static int version(Connection c, String module) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM siphon_schema WHERE module = ?")) {
            ps.setString(1, module);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    private static void record(Connection c, String module, int from, int to) throws SQLException {
        String sql = from == 0 ? "INSERT INTO siphon_schema (version, module) VALUES (?, ?)"
                : "UPDATE siphon_schema SET version = ? WHERE module = ? AND version = " + from;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, to);
            ps.setString(2, module);
            if (ps.executeUpdate() != 1) {
                throw new SQLException("the recorded version of " + module + " changed meanwhile");
            }
        }
    }

    /** Synchronized like {@link #migrate}: modules starting together create the version table once. */
    @Override
    public synchronized boolean requireTable(String table, int version, String createSql) throws SQLException {
        try (Connection c = connection()) {
            boolean created = KamailioTables.require(c, url.dialect(), table, version, createSql);
            if (created) {
                LOG.info("database: created table {} (Kamailio's layout, version {})", table, version);
            }
            return created;
        }
    }

    @Override
    public java.util.Set<String> columns(String table) throws SQLException {
        try (Connection c = connection()) {
            return KamailioTables.columns(c, table);
        }
    }

    /** The statements of one migration: split at {@code ;} ending a line. */
    static List<String> statements(String migration) {
        return java.util.Arrays.stream(migration.split(";\\s*(\\r?\\n|$)")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }
}
