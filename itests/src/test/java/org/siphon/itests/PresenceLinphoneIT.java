package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client: Debian's {@code linphonec} (linphone-cli). Two of them register with Siphon,
 * publish their presence and subscribe to each other as buddies; alice's linphonec shows bob
 * Online once bob has published, and Offline when bob quits (and unpublishes). Skipped when
 * {@code linphonec} is not installed.
 */
class PresenceLinphoneIT {

    @TempDir
    Path dir;

    static final String SCRIPT = """
            #!KAMAILIO
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "maxfwd.so"
            loadmodule "textops.so"
            loadmodule "registrar.so"
            loadmodule "presence.so"
            loadmodule "presence_xml.so"
            modparam("presence_xml", "force_active", 1)

            request_route {
                if (is_method("REGISTER")) {
                    save("location");
                    exit;
                }
                if (is_method("PUBLISH|SUBSCRIBE")) {
                    if (!t_newtran()) {
                        sl_reply_error();
                        exit;
                    }
                    if (is_method("PUBLISH")) {
                        handle_publish();
                    } else {
                        handle_subscribe();
                    }
                    t_release();
                    exit;
                }
                if (is_method("ACK")) {
                    exit;
                }
                sl_send_reply("404", "Not here");
            }
            """;

    /** One linphonec with its own HOME and configuration; its output collected. */
    static final class Linphonec implements AutoCloseable {
        final Process process;
        final StringBuffer out = new StringBuffer();
        final OutputStream in;

        Linphonec(Path home, String user, String buddy, int sipPort, int serverPort) throws IOException {
            Files.createDirectories(home.resolve(".local/share/linphone"));
            Path rc = home.resolve("linphonerc");
            Files.writeString(rc, "[sip]\nsip_port=" + sipPort + "\nsip_tcp_port=-1\nsip_tls_port=-1\ndefault_proxy=0\n"
                    + "[rtp]\naudio_rtp_port=" + (sipPort + 1) + "\nvideo_rtp_port=" + (sipPort + 2) + "\n"
                    + "[proxy_0]\nreg_proxy=<sip:127.0.0.1:" + serverPort + ">\nreg_identity=sip:" + user
                    + "@127.0.0.1\nreg_expires=600\nreg_sendregister=1\npublish=1\n"
                    + "[friend_0]\nurl=<sip:" + buddy + "@127.0.0.1>\npol=accept\nsubscribe=1\n");
            ProcessBuilder pb = new ProcessBuilder("timeout", "120", "linphonec", "-c", rc.toString(), "-d", "0")
                    .redirectErrorStream(true);
            pb.environment().put("HOME", home.toString());
            process = pb.start();
            in = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (InputStream s = process.getInputStream()) {
                    byte[] b = new byte[4096];
                    int n;
                    while ((n = s.read(b)) > 0) {
                        out.append(new String(b, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "linphonec-" + user);
            reader.setDaemon(true);
            reader.start();
        }

        void command(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        @Override
        public void close() throws Exception {
            try {
                command("quit");
            } catch (IOException e) {
                // gone already
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    static boolean installed() {
        for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(p, "linphonec"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void linphonecSeesItsBuddyComeOnlineAndGoOffline() throws Exception {
        Assumptions.assumeTrue(installed(), "linphonec (Debian's linphone-cli) is not installed");
        Path cfg = dir.resolve("linphone.cfg");
        Files.createDirectories(dir);
        Files.writeString(cfg, SCRIPT);
        int sipPort = SiphonServer.freePort();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ports.add(SiphonServer.freePort());
        }
        try (SiphonServer s = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort)) {
            assertTrue(SiphonServer.waitFor(20_000, () -> {
                try {
                    return Boolean.TRUE.equals(((Map<?, ?>) s.rpc.call("cfg.status")).get("loaded"));
                } catch (Exception e) {
                    return false;
                }
            }), "the script loads: " + s.log());
            try (Linphonec alice = new Linphonec(dir.resolve("alice"), "alice", "bob", ports.get(0), sipPort)) {
                String online = "Friend \"bob\" <sip:bob@127.0.0.1> is Online";
                try (Linphonec bob = new Linphonec(dir.resolve("bob"), "bob", "alice", ports.get(1), sipPort)) {
                    assertTrue(SiphonServer.waitFor(30_000, () -> alice.out.indexOf(online) >= 0),
                            "alice's linphonec shows bob online: " + alice.out + "\n" + s.log());
                    assertTrue(SiphonServer.waitFor(10_000, () -> bob.out.indexOf(
                            "Friend \"alice\" <sip:alice@127.0.0.1> is Online") >= 0), "and bob sees alice: " + bob.out);
                    bob.command("quit");
                    assertTrue(bob.process.waitFor(20, TimeUnit.SECONDS), "bob's linphonec quits");
                }
                int at = alice.out.indexOf(online);
                assertTrue(SiphonServer.waitFor(15_000, () -> alice.out.indexOf("Friend \"bob\" <sip:bob@127.0.0.1> is Offline",
                        at) > at), "bob's unpublish reaches alice: " + alice.out);
            }
        }
    }
}
