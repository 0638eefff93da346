package org.siphon.itests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs SIPp (Debian's {@code sip-tester}) on loopback, always bounded: a call count ({@code -m}),
 * a global timeout and a receive timeout, and a hard kill when a run overstays.
 */
final class Sipp {

    private Sipp() {
    }

    /** A SIPp process and where its output goes. */
    record Running(Process process, Path logFile) {
        int await(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("sipp still running after " + seconds + " s; log:\n" + log());
            }
            return process.exitValue();
        }

        String log() throws IOException {
            return Files.exists(logFile) ? Files.readString(logFile) : "";
        }

        /**
         * Waits until this SIPp has bound {@code port} (UDP, or a TCP listener for the {@code t*}
         * transports), as the kernel's socket tables ({@code /proc/net/udp}, {@code tcp}, {@code udp6},
         * {@code tcp6}) show it; fails with the log if SIPp exits first.
         */
        Running awaitListening(int port, String transport) throws Exception {
            boolean tcp = transport.startsWith("t");
            if (!SiphonServer.waitFor(10_000, () -> !process.isAlive() || bound(port, tcp)) || !process.isAlive()) {
                throw new IllegalStateException("sipp did not listen on port " + port + "; log:\n" + log());
            }
            return this;
        }

        private static boolean bound(int port, boolean tcp) {
            String local = String.format(":%04X", port);
            for (String table : tcp ? List.of("/proc/net/tcp", "/proc/net/tcp6") : List.of("/proc/net/udp", "/proc/net/udp6")) {
                try {
                    // sl local_address rem_address st ...; st 0A is LISTEN, 07 an unconnected UDP socket
                    if (Files.readAllLines(Path.of(table)).stream().skip(1).map(line -> line.trim().split("\\s+"))
                            .anyMatch(f -> f.length > 3 && f[1].endsWith(local) && f[3].equals(tcp ? "0A" : "07"))) {
                        return true;
                    }
                } catch (java.nio.file.NoSuchFileException e) {
                    // no IPv6 on this machine
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    static Path scenario(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        try (var in = Sipp.class.getResourceAsStream("/sipp/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    /** SIPp's built-in UAS on {@code host:port}, answering {@code calls} calls. */
    static Running uas(Path dir, String host, int port, String transport, int calls) throws IOException {
        return start(dir, "uas-" + port, List.of("-sn", "uas", "-i", host, "-p", Integer.toString(port),
                "-t", transport, "-m", Integer.toString(calls)));
    }

    /** A UAS running {@code scenario} on {@code host:port}, answering {@code calls} calls. */
    static Running uas(Path dir, Path scenario, String host, int port, String transport, int calls) throws IOException {
        return start(dir, "uas-" + port, List.of("-sf", scenario.toString(), "-i", host, "-p", Integer.toString(port),
                "-t", transport, "-m", Integer.toString(calls)));
    }

    /** A UAC running {@code scenario} through {@code proxy} to {@code service} (user@host:port[;params]). */
    static Running uac(Path dir, Path scenario, String host, int localPort, String proxy, String service,
            String transport, int calls) throws IOException {
        return uac(dir, scenario, host, localPort, proxy, service, transport, calls, 10);
    }

    /** As above, at {@code rate} new calls per second. */
    static Running uac(Path dir, Path scenario, String host, int localPort, String proxy, String service,
            String transport, int calls, int rate) throws IOException {
        return start(dir, "uac-" + localPort, List.of(proxy, "-sf", scenario.toString(), "-rsa", proxy, "-s", service,
                "-i", host, "-p", Integer.toString(localPort), "-t", transport, "-m", Integer.toString(calls),
                "-r", Integer.toString(rate)));
    }

    private static Running start(Path dir, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("timeout", "60", "sipp"));
        cmd.addAll(args);
        cmd.addAll(List.of("-nostdin", "-timeout", "40s", "-recv_timeout", "5000", "-trace_err",
                "-error_file", dir.resolve(name + "-errors.log").toString()));
        Path log = dir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Running(p, log);
    }
}
