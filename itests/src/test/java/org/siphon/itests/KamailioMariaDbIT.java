package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link KamailioDatabase} on MariaDB: the database {@code kamailio} with user {@code kamailio},
 * password {@code kamailiorw} and Kamailio's own mysql schema files, as {@code kamdbctl create}
 * leaves it; {@code .ci/run} makes it and sets {@code SIPHON_MYSQL_URL}. Then, where Kamailio is
 * installed, Kamailio itself on the same database and stock config finds the contact Siphon
 * registered: what a mixed or migrating installation relies on.
 */
@EnabledIfEnvironmentVariable(named = "SIPHON_MYSQL_URL", matches = "mysql://.+")
class KamailioMariaDbIT extends KamailioDatabase {

    @Override
    String dbUrl() {
        return System.getenv("SIPHON_MYSQL_URL");
    }

    @Override
    void createDatabase() throws Exception {
        for (String t : List.of("subscriber", "location", "acc", "missed_calls")) {
            query("DELETE FROM " + t);
        }
    }

    @Override
    void alsoKamailio(UdpPeer carol, UdpPeer bob) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/kamailio"))) {
            return;
        }
        int port = SiphonServer.freePort();
        Path run = Files.createDirectories(dir.resolve("kamailio-run"));
        Process kamailio = new ProcessBuilder("/usr/sbin/kamailio", "-f", cfg.toString(), "-A", "WITH_MYSQL", "-A",
                "WITH_USRLOCDB", "-A", "DBURL=\"" + dbUrl() + "\"", "-l", "udp:127.0.0.1:" + port, "-Y", run.toString(), "-D",
                "-E", "-n", "1", "-m", "64", "-M", "8").redirectErrorStream(true)
                .redirectOutput(dir.resolve("kamailio.out").toFile()).start();
        try {
            assertTrue(SiphonServer.waitFor(10_000, () -> {
                try {
                    return Files.readString(dir.resolve("kamailio.out")).contains("ctl");
                } catch (java.io.IOException e) {
                    return false;
                }
            }) && kamailio.isAlive(), "Kamailio started: " + Files.readString(dir.resolve("kamailio.out")));
            inviteReachesBob(carol, bob, port, "kamcall");
        } finally {
            kamailio.destroy();
            if (!kamailio.waitFor(10, TimeUnit.SECONDS)) {
                kamailio.destroyForcibly();
            }
        }
    }

    @Override
    List<String> query(String sql) throws Exception {
        return lines(SiphonServer.run(List.of("mariadb", "-h127.0.0.1", "-ukamailio", "-pkamailiorw", "-N", "-B", "kamailio",
                "-e", sql)), sql);
    }
}
