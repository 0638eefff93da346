package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gogo console over SSH with OpenSSH's client: a generated key in etc/authorized_keys logs
 * in and runs {@code lb} and {@code sip:modules} (exit status 0; a failing command 1); the sip:
 * commands print Karaf-style tables; no key, no login (logged); garbage on the SSH port changes
 * nothing.
 */
@EnabledIf("sshInstalled")
class SshConsoleIT {

    static boolean sshInstalled() {
        return Files.isExecutable(Path.of("/usr/bin/ssh")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sshPort;
    static Path key;

    @BeforeAll
    static void start() throws Exception {
        key = dir.resolve("id_ecdsa");
        SiphonServer.Run gen = SiphonServer.run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", key.toString()));
        assertEquals(0, gen.exitCode(), gen.err());
        sshPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, home -> {
            try {
                Files.copy(Path.of(key + ".pub"), home.resolve("etc/authorized_keys"));
                Files.writeString(home.resolve("config/org.siphon.shell.ssh.cfg"), "port = " + sshPort + "\n");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }, "-l", "udp:127.0.0.1:" + SiphonServer.freePort());
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return server.log().contains("SSH console on 127.0.0.1:" + sshPort);
            } catch (java.io.IOException e) {
                return false;
            }
        }), "the SSH console listens");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static SiphonServer.Run ssh(Path identity, String command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh", "-p", Integer.toString(sshPort), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10", "-F", "/dev/null"));
        if (identity != null) {
            cmd.addAll(List.of("-i", identity.toString()));
        }
        cmd.addAll(List.of("admin@127.0.0.1", command));
        return SiphonServer.run(cmd);
    }

    @Test
    void aKeyLogsInAndRunsCommands() throws Exception {
        SiphonServer.Run lb = ssh(key, "lb");
        assertEquals(0, lb.exitCode(), lb.err());
        assertTrue(lb.out().contains("Siphon core") && lb.out().contains("Active"), lb.out());
        SiphonServer.Run modules = ssh(key, "sip:modules");
        assertEquals(0, modules.exitCode(), modules.err());
        List<String> lines = modules.out().lines().toList();
        assertTrue(lines.get(0).matches("ID +\\| Name +\\| Version +\\| State +\\| Exporting \\| Functions \\| PVs \\| RPC"),
                "a header as Karaf's tables have: " + modules.out());
        assertTrue(lines.get(1).matches("-+(-\\+-+)+"), "a rule under it: " + lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.matches(" *\\d+ \\| tm +\\| \\S+ +\\| active +\\| yes +\\| +\\d+ \\| +\\d+ \\| +\\d+")),
                "a row per module, numbers right-aligned: " + modules.out());
        int bar = lines.get(0).indexOf(" | ");
        assertTrue(lines.stream().skip(2).allMatch(l -> l.indexOf(" | ") == bar), "aligned columns: " + modules.out());

        SiphonServer.Run log = ssh(key, "sip:log");
        assertEquals(0, log.exitCode(), log.err());
        assertTrue(log.out().matches("(?s)Logger +\\| Level\\n-+\\+-+\\n.*\\* \\(default\\) +\\| info\\n.*"), log.out());
        SiphonServer.Run set = ssh(key, "sip:log tm debug");
        assertTrue(set.out().matches("(?s)Logger +\\| Level\\n-+\\+-+\\norg\\.siphon\\.tm \\| debug\\n"), set.out());
        SiphonServer.Run badLevel = ssh(key, "sip:log tm loud");
        assertEquals(1, badLevel.exitCode(), badLevel.out());
        assertTrue(badLevel.err().contains("level must be trace, debug, info, warn or error"), badLevel.err());

        SiphonServer.Run status = ssh(key, "sip:status");
        assertEquals(0, status.exitCode(), status.err());
        assertTrue(status.out().matches("(?s)Name +\\| Value\\n.*\\nfile +\\| \\S+siphon\\.cfg\\n.*\\nmodules:\\nName +\\| Version +\\| Bundle id +\\| State\\n.*"),
                status.out());
        SiphonServer.Run ps = ssh(key, "sip:rpc core.ps");
        assertEquals(0, ps.exitCode(), ps.err());
        assertTrue(ps.out().lines().findFirst().orElse("").matches("(PID|IDX|DSC) *( \\| (PID|IDX|DSC) *)+"), ps.out());
        assertTrue(ps.out().contains("SIP worker 1"), ps.out());
        SiphonServer.Run help = ssh(key, "help sip");
        assertEquals(0, help.exitCode(), help.err());
        assertTrue(help.out().contains("modules - list the core and every installed module") && help.out().contains("log - log levels")
                && help.out().contains("scope: sip"), "help sip lists the sip: commands: " + help.out());
        SiphonServer.Run bad = ssh(key, "no-such-command");
        assertEquals(1, bad.exitCode(), "a failing command exits 1: " + bad.out());
        assertTrue(bad.err().contains("Command not found"), bad.err());
    }

    @Test
    void noKeyNoLoginAndGarbageChangesNothing() throws Exception {
        Path other = dir.resolve("other_ecdsa");
        SiphonServer.run(List.of("/usr/bin/ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", other.toString()));
        SiphonServer.Run refused = ssh(other, "lb");
        assertEquals(255, refused.exitCode(), "a key not in authorized_keys: " + refused.out());
        assertTrue(refused.err().contains("Permission denied"), refused.err());
        assertTrue(SiphonServer.waitFor(3000, () -> {
            try {
                return server.log().contains("SSH console: login of admin from 127.0.0.1 refused");
            } catch (java.io.IOException e) {
                return false;
            }
        }), "the failed login is logged");
        try (Socket s = new Socket("127.0.0.1", sshPort); OutputStream o = s.getOutputStream()) {
            o.write("GET / HTTP/1.0\r\n\r\n\u0000\u0001garbage\r\n".getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
            s.setSoTimeout(5000);
            s.getInputStream().read(new byte[1024]);
        }
        SiphonServer.Run after = ssh(key, "sip:status");
        assertEquals(0, after.exitCode(), "still serving: " + after.err());
    }

    /**
     * An interactive session (ssh -tt, as a terminal): TAB completes a command and an RPC method,
     * the up arrow brings back an earlier line, Ctrl-C drops the line being typed, exit leaves; the
     * history is kept for the next session.
     */
    @Test
    void anInteractiveSessionEditsCompletesAndRemembers() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ssh", "-tt", "-p", Integer.toString(sshPort), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "IdentitiesOnly=yes",
                "-o", "ConnectTimeout=10", "-F", "/dev/null", "-i", key.toString(), "admin@127.0.0.1"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TERM", "xterm");
        Process p = pb.start();
        StringBuffer out = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = p.getInputStream()) {
                byte[] buf = new byte[4096];
                for (int n; (n = in.read(buf)) > 0;) {
                    out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                // the process ended
            }
        });
        reader.start();
        OutputStream keys = p.getOutputStream();
        java.util.function.IntPredicate prompts = n -> {
            int count = 0;
            for (int at = out.indexOf("siphon> "); at >= 0; at = out.indexOf("siphon> ", at + 1)) {
                count++;
            }
            return count >= n;
        };
        try {
            String[] typed = { "sip:mod\t\r", "sip:rpc core.vers\t\r", "no-such-thing\u0003", "\u001b[A\u001bOA\r", "exit\r" };
            for (int i = 0; i < typed.length; i++) {
                int prompt = i + 1;
                assertTrue(SiphonServer.waitFor(15_000, () -> prompts.test(prompt)), "prompt " + prompt + ": " + out);
                keys.write(typed[i].getBytes(StandardCharsets.UTF_8));
                keys.flush();
            }
            assertTrue(p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS), "exit leaves: " + out);
            reader.join(5000);
        } finally {
            p.destroyForcibly();
        }
        String text = out.toString();
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("TAB completes"), text);
        int first = text.indexOf("ID | Name");
        assertTrue(first >= 0, "sip:mod<TAB> completed to sip:modules and ran: " + text);
        assertTrue(text.contains("siphon 0."), "sip:rpc core.vers<TAB> completed to core.version: " + text);
        assertTrue(text.indexOf("ID | Name", first + 1) > first, "the up arrow (twice) ran sip:modules again: " + text);
        assertTrue(!text.contains("Command not found"), "Ctrl-C dropped the line: " + text);
        Path history = server.home.resolve("data/ssh-history-admin");
        assertTrue(SiphonServer.waitFor(5000, () -> Files.exists(history)), "the history is kept");
        assertTrue(Files.readString(history).contains("sip:rpc core.version"), Files.readString(history));
    }
}
