package org.siphon.core.internal.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A {@code db_url} as Kamailio operators write it, turned into a JDBC URL: {@code h2:PATH}
 * (a file database; a relative PATH is under the server's home), {@code h2:mem:NAME},
 * {@code postgres://USER:PASS@HOST[:PORT]/DB} (also {@code postgresql://}); a {@code jdbc:} URL
 * is taken as it is. Immutable.
 *
 * @param dialect  {@code h2} or {@code postgres}
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
            return new DbUrl("h2", "jdbc:h2:" + target + (rest.startsWith("mem:") ? ";DB_CLOSE_DELAY=-1" : ""), null, null, u);
        }
        for (String scheme : new String[] { "postgres://", "postgresql://" }) {
            if (u.startsWith(scheme)) {
                return postgres(u, u.substring(scheme.length()));
            }
        }
        throw new IllegalArgumentException("db_url must be h2:PATH, h2:mem:NAME, postgres://user:pass@host[:port]/db or a jdbc: URL, not \""
                + url + "\"");
    }

    private static DbUrl postgres(String original, String rest) {
        int at = rest.lastIndexOf('@');
        String credentials = at < 0 ? "" : rest.substring(0, at);
        String hostDb = at < 0 ? rest : rest.substring(at + 1);
        int slash = hostDb.indexOf('/');
        if (slash <= 0 || slash == hostDb.length() - 1) {
            throw new IllegalArgumentException("db_url " + original + ": expected postgres://user:pass@host[:port]/db");
        }
        int colon = credentials.indexOf(':');
        String user = credentials.isEmpty() ? null : decode(colon < 0 ? credentials : credentials.substring(0, colon));
        String password = colon < 0 ? null : decode(credentials.substring(colon + 1));
        String shown = password == null ? original : original.replace(":" + credentials.substring(colon + 1) + "@", ":***@");
        return new DbUrl("postgres", "jdbc:postgresql://" + hostDb, user, password, shown);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
