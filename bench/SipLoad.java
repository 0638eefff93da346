import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * sipbench's load generator for REGISTER over TLS (Debian's SIPp is built without TLS) and TCP:
 * {@code --rate} REGISTERs a second for {@code --duration} seconds over {@code --connections}
 * connections, each closed and opened again (a full handshake: a new TLS context, no session
 * resumption) after {@code --handshake-every} requests once their replies are in (0: never).
 * Prints one line of {@code key=value}: sent, ok, failed, timeouts (no final reply within
 * {@code --timeout-ms} of the last send), achieved rate ((n-1)/span of the 200s), latency
 * REGISTER→200 in ms (mean, p50, p95, p99, max; nanosecond clock), handshakes. Loopback only.
 *
 * <pre>java SipLoad.java --target 127.0.0.1:5081 --transport tls --rate 4000 --duration 10
 *      [--connections 1] [--handshake-every 0] [--users 10000] [--domain D] [--timeout-ms 5000]</pre>
 */
public final class SipLoad {

    private static String host;
    private static int port;
    private static String transport = "tls";
    private static String domain;
    private static int rate = 1000, duration = 10, connections = 1, handshakeEvery = 0, users = 10000;
    private static long timeoutMs = 5000;

    private static long t0;
    private static int total;
    private static long[] sentAt;
    private static AtomicLongArray answeredAt;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final AtomicInteger OK = new AtomicInteger(), FAILED = new AtomicInteger();
    private static final AtomicInteger HANDSHAKES = new AtomicInteger(), CONNECT_ERRORS = new AtomicInteger();
    private static final AtomicLong FIRST_OK = new AtomicLong(Long.MAX_VALUE), LAST_OK = new AtomicLong();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i += 2) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--target" -> { host = v.substring(0, v.lastIndexOf(':')); port = Integer.parseInt(v.substring(v.lastIndexOf(':') + 1)); }
                case "--transport" -> transport = v;
                case "--rate" -> rate = Integer.parseInt(v);
                case "--duration" -> duration = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--handshake-every" -> handshakeEvery = Integer.parseInt(v);
                case "--users" -> users = Integer.parseInt(v);
                case "--domain" -> domain = v;
                case "--timeout-ms" -> timeoutMs = Long.parseLong(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (host == null || !host.startsWith("127.")) {
            throw new IllegalArgumentException("--target must be 127.x.x.x:PORT (loopback only)");
        }
        if (!transport.equals("tls") && !transport.equals("tcp")) {
            throw new IllegalArgumentException("--transport tls|tcp");
        }
        if (domain == null) {
            domain = host + ":" + port;
        }
        total = rate * duration;
        sentAt = new long[total];
        answeredAt = new AtomicLongArray(total);
        t0 = System.nanoTime() + 200_000_000L; // connections are set up before the first send is due
        List<Thread> slots = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(SipLoad::slot, "slot-" + c);
            t.setDaemon(true);
            t.start();
            slots.add(t);
        }
        long deadline = t0 + (duration + 10L) * 1_000_000_000L + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Thread t : slots) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        report();
        System.exit(0);
    }

    /** One connection slot: connect, send its share of the schedule, reconnect every handshakeEvery requests. */
    private static void slot() {
        while (NEXT.get() < total) {
            Socket s;
            try {
                s = open();
            } catch (IOException e) {
                CONNECT_ERRORS.incrementAndGet();
                LockSupport.parkNanos(10_000_000L);
                if (System.nanoTime() - t0 > (duration + 5L) * 1_000_000_000L) {
                    return;
                }
                continue;
            }
            List<Integer> mine = new ArrayList<>();
            CountDownLatch readerDone = new CountDownLatch(1);
            Thread reader = new Thread(() -> read(s, readerDone), "reader");
            reader.setDaemon(true);
            reader.start();
            try (s) {
                OutputStream out = s.getOutputStream();
                int local = s.getLocalPort();
                while (handshakeEvery == 0 || mine.size() < handshakeEvery) {
                    int i = NEXT.getAndIncrement();
                    if (i >= total) {
                        break;
                    }
                    long due = t0 + (long) (i * (1e9 / rate));
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    byte[] msg = register(i, local);
                    sentAt[i] = System.nanoTime();
                    out.write(msg);
                    out.flush();
                    mine.add(i);
                }
                // the replies of this connection, then close it (a new handshake for the next batch)
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                for (int i : mine) {
                    while (answeredAt.get(i) == 0 && System.nanoTime() < until && readerDone.getCount() > 0) {
                        LockSupport.parkNanos(100_000L);
                    }
                }
            } catch (IOException e) {
                // counted as timeouts below (requests without a final reply)
            }
        }
    }

    private static Socket open() throws IOException {
        Socket plain = new Socket();
        plain.setTcpNoDelay(true);
        plain.connect(new InetSocketAddress(host, port), 3000);
        if (transport.equals("tcp")) {
            return plain;
        }
        try {
            // a new context per connection: every handshake is a full one, no session resumption
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            s.startHandshake();
            HANDSHAKES.incrementAndGet();
            return s;
        } catch (java.security.GeneralSecurityException e) {
            plain.close();
            throw new IOException(e);
        }
    }

    private static byte[] register(int i, int localPort) {
        String user = String.format("%suser%06d", transport, 1 + i % users);
        String proto = transport.toUpperCase();
        String m = "REGISTER sip:" + domain + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + proto + " 127.0.0.1:" + localPort + ";branch=z9hG4bK-sl-" + i + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@" + domain + ">;tag=sl" + i + "\r\n"
                + "To: <sip:" + user + "@" + domain + ">\r\n"
                + "Call-ID: sl-" + i + "@127.0.0.1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:" + localPort + ";transport=" + transport + ">\r\n"
                + "Expires: 3600\r\n"
                + "User-Agent: sipbench\r\n"
                + "Content-Length: 0\r\n\r\n";
        return m.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads replies off one connection until it closes; a final reply settles its request by Call-ID. */
    private static void read(Socket s, CountDownLatch done) {
        try (Bytes in = new Bytes(s.getInputStream())) {
            StringBuilder line = new StringBuilder();
            int status = 0, index = -1, length = 0;
            boolean first = true;
            int b;
            while ((b = in.read()) >= 0) {
                if (b == '\r') {
                    continue;
                }
                if (b != '\n') {
                    line.append((char) b);
                    continue;
                }
                String l = line.toString();
                line.setLength(0);
                if (first) {
                    if (l.isEmpty()) {
                        continue; // CRLF keep-alive
                    }
                    status = l.startsWith("SIP/2.0 ") && l.length() >= 11 ? Integer.parseInt(l.substring(8, 11)) : 0;
                    first = false;
                } else if (!l.isEmpty()) {
                    String lower = l.toLowerCase();
                    if (lower.startsWith("call-id:") || lower.startsWith("i:")) {
                        String v = l.substring(l.indexOf(':') + 1).trim();
                        index = v.startsWith("sl-") ? Integer.parseInt(v.substring(3, v.indexOf('@'))) : -1;
                    } else if (lower.startsWith("content-length:") || lower.startsWith("l:")) {
                        length = Integer.parseInt(l.substring(l.indexOf(':') + 1).trim());
                    }
                } else {
                    in.skip(length);
                    settle(index, status);
                    first = true;
                    status = 0;
                    index = -1;
                    length = 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the connection ended (closed by the slot, or by the server)
        } finally {
            done.countDown();
        }
    }

    private static void settle(int index, int status) {
        if (index < 0 || index >= total || status < 200) {
            return;
        }
        long now = System.nanoTime();
        if (!answeredAt.compareAndSet(index, 0, now)) {
            return; // a second final reply
        }
        if (status == 200) {
            OK.incrementAndGet();
            FIRST_OK.accumulateAndGet(now, Math::min);
            LAST_OK.accumulateAndGet(now, Math::max);
        } else {
            FAILED.incrementAndGet();
        }
    }

    private static void report() {
        int sent = Math.min(NEXT.get(), total);
        int ok = OK.get(), failed = FAILED.get();
        long[] lat = new long[ok + failed];
        int n = 0;
        for (int i = 0; i < total; i++) {
            long a = answeredAt.get(i);
            if (a != 0 && n < lat.length) {
                lat[n++] = a - sentAt[i];
            }
        }
        lat = Arrays.copyOf(lat, n);
        Arrays.sort(lat);
        double mean = n == 0 ? 0 : Arrays.stream(lat).average().orElse(0) / 1e6;
        double span = (LAST_OK.get() - FIRST_OK.get()) / 1e9;
        double achieved = ok > 1 && span > 0 ? (ok - 1) / span : 0;
        System.out.printf("calls=%d ok=%d failed=%d timeouts=%d achieved=%.1f lat_mean_ms=%.3f p50=%s p95=%s p99=%s max=%s "
                + "handshakes=%d connect_errors=%d%n", sent, ok, failed, total - ok - failed, achieved, mean, pct(lat, 0.50),
                pct(lat, 0.95), pct(lat, 0.99), n == 0 ? "NA" : String.format("%.2f", lat[n - 1] / 1e6), HANDSHAKES.get(),
                CONNECT_ERRORS.get());
    }

    private static String pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return "NA";
        }
        int i = Math.max(0, (int) Math.ceil(sorted.length * p) - 1);
        return String.format("%.2f", sorted[i] / 1e6);
    }

    /** An unsynchronized buffered reader of one connection's bytes. */
    private static final class Bytes implements AutoCloseable {
        private final InputStream in;
        private final byte[] buf = new byte[65536];
        private int pos, lim;

        Bytes(InputStream in) {
            this.in = in;
        }

        int read() throws IOException {
            if (pos == lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    return -1;
                }
            }
            return buf[pos++] & 0xff;
        }

        void skip(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                if (read() < 0) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The bench's certificate is made at run time and self-signed: trust any (loopback only). */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
