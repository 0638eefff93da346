package org.siphon.core.internal.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@code db_url} as Kamailio operators write it, turned into a JDBC URL: {@code h2:PATH}
 * (a file database; a relative PATH is under the server's home), {@code h2:mem:NAME},
 * {@code postgres://USER:PASS@HOST[:PORT]/DB} (also {@code postgresql://}),
 * {@code mysql://USER:PASS@HOST[:PORT]/DB} (MySQL and MariaDB, through the MariaDB driver),
 * {@code sqlite:///ABSOLUTE/PATH.db} (also {@code sqlite://relative/path.db}, under the home); a
 * {@code jdbc:} URL is taken as it is. Immutable.
 *
 * @param dialect  {@code h2}, {@code postgres}, {@code mysql} or {@code sqlite}
 * @param jdbc     the JDBC URL
 * @param user     user name, or null
 * @param password password, or null
 * @param shown    the URL with the password hidden, for logs and RPC
 */
record DbUrl(String dialect, String jdbc, String user, String password, String shown) {

    static DbUrl parse(String url, Path home) {
        String u = url.trim();
        if (u.startsWith("jdbc:h2:")) {
            return new DbUrl("h2", u, null, null, u);
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return new DbUrl("postgres", u, null, null, u.replaceAll("password=[^&]*", "password=***"));
        }
        if (u.startsWith("h2:")) {
            String rest = u.substring(3);
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("db_url h2: needs a path, e.g. h2:data/siphon");
            }
            String target = rest.startsWith("mem:") ? rest
                    : (Path.of(rest).isAbsolute() || home == null ? Path.of(rest) : home.resolve(rest)).toAbsolutePath().toString();
            // a file database is closed by the core when its pool closes (modules first, on shutdown):
            // H2's own JVM shutdown hook would close it under modules still writing (presence's timer)
            return new DbUrl("h2", "jdbc:h2:" + target + (rest.startsWith("mem:") ? ";DB_CLOSE_DELAY=-1" : ";DB_CLOSE_ON_EXIT=FALSE"),
                    null, null, u);
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return new DbUrl("mysql", u.replaceFirst("^jdbc:mysql:", "jdbc:mariadb:"), null, null,
                    u.replaceAll("password=[^&]*", "password=***"));
        }
        if (u.startsWith("jdbc:sqlite:")) {
            return new DbUrl("sqlite", u, null, null, u);
        }
        for (String scheme : new String[] { "postgres://", "postgresql://" }) {
            if (u.startsWith(scheme)) {
                return remote("postgres", "jdbc:postgresql://", u, u.substring(scheme.length()));
            }
        }
        if (u.startsWith("mysql://")) {
            return remote("mysql", "jdbc:mariadb://", u, u.substring("mysql://".length()));
        }
        if (u.startsWith("sqlite://")) {
            String rest = u.substring("sqlite://".length());
            if (rest.isEmpty() || rest.equals("/")) {
                throw new IllegalArgumentException("db_url sqlite:// needs a file, e.g. sqlite:///var/lib/siphon/siphon.db");
            }
            Path file = Path.of(rest).isAbsolute() || home == null ? Path.of(rest) : home.resolve(rest);
            // times as text, as Kamailio's db_sqlite writes them, so that both read each other's rows
            return new DbUrl("sqlite", "jdbc:sqlite:" + file.toAbsolutePath() + "?date_class=TEXT"
                    + "&date_string_format=yyyy-MM-dd HH:mm:ss", null, null, u);
        }
        throw new IllegalArgumentException("db_url " + (u.startsWith("text://") ? "text:// (db_text) is not supported" : "\""
                + url + "\" is not one Siphon takes") + ": use h2:PATH, h2:mem:NAME, postgres://user:pass@host[:port]/db, "
                + "mysql://user:pass@host[:port]/db, sqlite:///path/to/file.db or a jdbc: URL");
    }

    private static DbUrl remote(String dialect, String jdbcPrefix, String original, String rest) {
        int at = rest.lastIndexOf('@');
        String credentials = at < 0 ? "" : rest.substring(0, at);
        String hostDb = at < 0 ? rest : rest.substring(at + 1);
        int slash = hostDb.indexOf('/');
        if (slash <= 0 || slash == hostDb.length() - 1) {
            throw new IllegalArgumentException("db_url " + original + ": expected " + dialect + "://user:pass@host[:port]/db");
        }
        int colon = credentials.indexOf(':');
        String user = credentials.isEmpty() ? null : decode(colon < 0 ? credentials : credentials.substring(0, colon));
        String password = colon < 0 ? null : decode(credentials.substring(colon + 1));
        String shown = password == null ? original : original.replace(":" + credentials.substring(colon + 1) + "@", ":***@");
        return new DbUrl(dialect, jdbcPrefix + hostDb, user, password, shown);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
