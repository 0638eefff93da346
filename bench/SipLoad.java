import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
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
        if (transport.equals("tcp")) {
            runNio();
            report();
            System.exit(0);
        }
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

    /**
     * TCP: all connections opened first, then one thread sends on them in turn at the rate and one
     * selector thread reads every connection's replies (1,000 connections without 1,000 threads).
     */
    private static void runNio() throws IOException {
        Selector selector = Selector.open();
        SocketChannel[] channels = new SocketChannel[connections];
        int[] ports = new int[connections];
        for (int c = 0; c < connections; c++) {
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress(host, port));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ, new Replies());
            channels[c] = ch;
            ports[c] = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        }
        HANDSHAKES.set(0);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (!stop.get()) {
                    selector.select(100);
                    for (SelectionKey k : selector.selectedKeys()) {
                        buf.clear();
                        int n;
                        try {
                            n = ((SocketChannel) k.channel()).read(buf);
                        } catch (IOException e) {
                            n = -1;
                        }
                        if (n < 0) {
                            k.cancel();
                        } else if (n > 0) {
                            ((Replies) k.attachment()).feed(buf.array(), 0, n);
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } catch (IOException e) {
                // the selector failed: what is unanswered counts as timeouts
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();
        t0 = System.nanoTime() + 50_000_000L;
        long lastSend = t0;
        for (int i = 0; i < total; i++) {
            long due = t0 + (long) (i * (1e9 / rate));
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int c = i % connections;
            ByteBuffer msg = ByteBuffer.wrap(register(i, ports[c]));
            sentAt[i] = System.nanoTime();
            NEXT.set(i + 1);
            try {
                while (msg.hasRemaining()) {
                    if (channels[c].write(msg) == 0) {
                        LockSupport.parkNanos(20_000L);
                    }
                }
            } catch (IOException e) {
                // this request stays unanswered (a timeout)
            }
            lastSend = System.nanoTime();
        }
        long until = lastSend + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (OK.get() + FAILED.get() < total && System.nanoTime() < until) {
            LockSupport.parkNanos(1_000_000L);
        }
        stop.set(true);
        for (SocketChannel ch : channels) {
            ch.close();
        }
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
        String n = Integer.toString(1 + i % users);
        String user = transport + "user" + "000000".substring(Math.min(6, n.length())) + n;
        StringBuilder m = new StringBuilder(512).append("REGISTER sip:").append(domain).append(" SIP/2.0\r\nVia: SIP/2.0/")
                .append(transport.equals("tls") ? "TLS" : "TCP").append(" 127.0.0.1:").append(localPort).append(";branch=z9hG4bK-sl-")
                .append(i).append("\r\nMax-Forwards: 70\r\nFrom: <sip:").append(user).append('@').append(domain).append(">;tag=sl")
                .append(i).append("\r\nTo: <sip:").append(user).append('@').append(domain).append(">\r\nCall-ID: sl-").append(i)
                .append("@127.0.0.1\r\nCSeq: 1 REGISTER\r\nContact: <sip:").append(user).append("@127.0.0.1:").append(localPort)
                .append(";transport=").append(transport).append(">\r\nExpires: 3600\r\nUser-Agent: sipbench\r\nContent-Length: 0\r\n\r\n");
        byte[] b = new byte[m.length()];
        for (int k = 0; k < b.length; k++) {
            b[k] = (byte) m.charAt(k);
        }
        return b;
    }

    /** Reads replies off one connection until it closes; a final reply settles its request by Call-ID. */
    private static void read(Socket s, CountDownLatch done) {
        try (InputStream in = s.getInputStream()) {
            Replies replies = new Replies();
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) >= 0) {
                replies.feed(buf, 0, n);
            }
        } catch (IOException | RuntimeException e) {
            // the connection ended (closed by the slot, or by the server)
        } finally {
            done.countDown();
        }
    }

    /** The replies of one connection, from its bytes as they come: status line, Call-ID, Content-Length, body. */
    private static final class Replies {
        private byte[] acc = new byte[65536];
        private int len;

        void feed(byte[] b, int off, int n) {
            if (len + n > acc.length) {
                acc = Arrays.copyOf(acc, Math.max(acc.length * 2, len + n));
            }
            System.arraycopy(b, off, acc, len, n);
            len += n;
            int pos = 0;
            int used;
            while ((used = one(pos)) > 0) {
                pos += used;
            }
            if (pos > 0) {
                System.arraycopy(acc, pos, acc, 0, len - pos);
                len -= pos;
            }
        }

        /** Parses one message at pos; its length, or 0 when it is not complete yet. */
        private int one(int pos) {
            int p = pos;
            while (p + 1 < len && acc[p] == '\r' && acc[p + 1] == '\n') {
                p += 2; // CRLF keep-alives
            }
            int status = 0, index = -1, length = 0;
            boolean first = true;
            while (true) {
                int eol = -1;
                for (int k = p; k + 1 < len; k++) {
                    if (acc[k] == '\r' && acc[k + 1] == '\n') {
                        eol = k;
                        break;
                    }
                }
                if (eol < 0) {
                    return 0;
                }
                if (eol == p) { // the empty line: the body follows
                    int end = eol + 2 + length;
                    if (end > len) {
                        return 0;
                    }
                    settle(index, status);
                    return end - pos;
                }
                if (first) {
                    if (eol - p >= 11 && acc[p] == 'S') {
                        status = (acc[p + 8] - '0') * 100 + (acc[p + 9] - '0') * 10 + (acc[p + 10] - '0');
                    }
                    first = false;
                } else {
                    int c = acc[p] | 0x20;
                    int colon = p;
                    while (colon < eol && acc[colon] != ':') {
                        colon++;
                    }
                    int nameLen = colon - p;
                    int v = colon + 1;
                    while (v < eol && acc[v] == ' ') {
                        v++;
                    }
                    if ((c == 'c' && nameLen == 7 || c == 'i' && nameLen == 1) && eol - v > 3 && acc[v] == 's' && acc[v + 1] == 'l'
                            && acc[v + 2] == '-') {
                        index = number(v + 3, eol);
                    } else if (c == 'c' && nameLen == 14 || c == 'l' && nameLen == 1) {
                        length = number(v, eol);
                    }
                }
                p = eol + 2;
            }
        }

        private int number(int from, int to) {
            int x = 0;
            for (int k = from; k < to && acc[k] >= '0' && acc[k] <= '9'; k++) {
                x = x * 10 + acc[k] - '0';
            }
            return x;
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
