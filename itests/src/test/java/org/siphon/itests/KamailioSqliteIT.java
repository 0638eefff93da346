package org.siphon.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.condition.EnabledIf;

/**
 * {@link KamailioDatabase} on sqlite, the database made by {@code sqlite3} from Kamailio's own
 * schema files (Debian's {@code kamailio-sqlite-modules}, {@code /usr/share/kamailio/db_sqlite}).
 */
@EnabledIf("schemaInstalled")
class KamailioSqliteIT extends KamailioDatabase {

    static final Path SCHEMA = Path.of("/usr/share/kamailio/db_sqlite");

    static boolean schemaInstalled() {
        return Files.isDirectory(SCHEMA) && Files.isReadable(KamailioConfigIT.stock())
                && Files.isExecutable(Path.of("/usr/bin/sqlite3"));
    }

    Path file() {
        return dir.resolve("kamailio.db");
    }

    @Override
    String dbUrl() {
        return "sqlite://" + file();
    }

    @Override
    void createDatabase() throws Exception {
        for (String t : List.of("standard", "auth_db", "usrloc", "acc")) {
            query(Files.readString(SCHEMA.resolve(t + "-create.sql")));
        }
    }

    @Override
    List<String> query(String sql) throws Exception {
        return lines(SiphonServer.run(new ArrayList<>(List.of("/usr/bin/sqlite3", "-bail", "-cmd", ".timeout 5000", file().toString(), sql))), sql);
    }
}
