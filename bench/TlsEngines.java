import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import javax.net.ssl.*;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.*;

/**
 * The TLS engines alone, in one process and one thread: the server side of full TLS 1.3 handshakes
 * (RSA 2048 key, X25519) and of request/reply pairs (600 bytes in, 400 out, as a REGISTER and its 200)
 * with Netty's JDK {@code SSLEngine} and with netty-tcnative's BoringSSL ({@code SslProvider.OPENSSL}),
 * the client always the JDK's. Counts the server engine's thread CPU only, in rounds (the first is the
 * JIT's). Not part of {@code run}: a probe of whether OpenSSL would pay inside Siphon.
 *
 * <pre>
 * openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -subj /CN=probe -days 2
 * CP=$(netty-common, -buffer, -handler, -transport, -codec-base, -resolver, -transport-native-unix-common 4.2.18.Final,
 *      netty-tcnative-classes and netty-tcnative-boringssl-static:linux-x86_64 2.0.84.Final from ~/.m2)
 * javac -cp $CP TlsEngines.java && java -cp $CP:. TlsEngines HANDSHAKES PAIRS ROUNDS
 * </pre>
 */
public class TlsEngines {
    static final ThreadMXBean T = ManagementFactory.getThreadMXBean();
    static long serverCpu;
    static SSLContext clientCtx;

    public static void main(String[] a) throws Exception {
        System.out.println("OpenSsl.isAvailable=" + OpenSsl.isAvailable() + " " + OpenSsl.versionString()
                + (OpenSsl.isAvailable() ? "" : " cause=" + OpenSsl.unavailabilityCause()));
        clientCtx = SSLContext.getInstance("TLS");
        clientCtx.init(null, new TrustManager[] { new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String s) { }
            public void checkServerTrusted(X509Certificate[] c, String s) { }
            public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; } } }, null);
        int hs = Integer.parseInt(a[0]), msgs = Integer.parseInt(a[1]);
        for (int round = 0; round < Integer.parseInt(a[2]); round++) {
            for (SslProvider p : new SslProvider[] { SslProvider.JDK, SslProvider.OPENSSL }) {
                SslContext server = SslContextBuilder.forServer(new File("cert.pem"), new File("key.pem")).sslProvider(p)
                        .protocols("TLSv1.2", "TLSv1.3").build();
                serverCpu = 0;
                long w0 = System.nanoTime();
                for (int i = 0; i < hs; i++) {
                    pair(server, 0);
                }
                double hsCpu = serverCpu / 1e9;
                System.out.printf("round %d %s: %d handshakes, server engine CPU %.3f s -> %.0f handshakes per server CPU-s (wall %.2f s)%n",
                        round, p, hs, hsCpu, hs / hsCpu, (System.nanoTime() - w0) / 1e9);
                serverCpu = 0;
                pair(server, msgs);
                System.out.printf("round %d %s: %d request+reply pairs (600 B in, 400 B out), server engine CPU %.3f s -> %.0f pairs per server CPU-s%n",
                        round, p, msgs, serverCpu / 1e9, msgs / (serverCpu / 1e9));
            }
        }
    }

    static void pair(SslContext server, int msgs) throws Exception {
        SSLEngine c = clientCtx.createSSLEngine("probe", 5061);
        c.setUseClientMode(true);
        c.setEnabledProtocols(new String[] { "TLSv1.3" });
        SSLEngine s = server.newEngine(ByteBufAllocator.DEFAULT);
        int size = 64 * 1024;
        ByteBuffer cOut = ByteBuffer.allocateDirect(size), sOut = ByteBuffer.allocateDirect(size);
        ByteBuffer cApp = ByteBuffer.allocateDirect(size), sApp = ByteBuffer.allocateDirect(size);
        ByteBuffer empty = ByteBuffer.allocateDirect(0);
        c.beginHandshake();
        long t = T.getCurrentThreadCpuTime(); s.beginHandshake(); serverCpu += T.getCurrentThreadCpuTime() - t;
        for (int i = 0; i < 100 && (hsOn(c) || hsOn(s)); i++) {
            c.wrap(empty, cOut); runTasks(c, false);
            cOut.flip();
            t = T.getCurrentThreadCpuTime();
            while (cOut.hasRemaining()) { SSLEngineResult r = s.unwrap(cOut, sApp); runTasks(s, true); if (r.bytesConsumed() == 0 && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) break; if (r.bytesConsumed()==0) break; }
            cOut.compact();
            s.wrap(empty, sOut); runTasks(s, true);
            serverCpu += T.getCurrentThreadCpuTime() - t;
            sOut.flip();
            while (sOut.hasRemaining()) { SSLEngineResult r = c.unwrap(sOut, cApp); runTasks(c, false); if (r.bytesConsumed() == 0) break; }
            sOut.compact();
        }
        if (hsOn(c) || hsOn(s)) throw new IllegalStateException("no handshake " + c.getHandshakeStatus() + " " + s.getHandshakeStatus());
        byte[] req = new byte[600], rep = new byte[400];
        for (int m = 0; m < msgs; m++) {
            cOut.clear(); c.wrap(ByteBuffer.wrap(req), cOut); cOut.flip();
            t = T.getCurrentThreadCpuTime();
            sApp.clear(); while (cOut.hasRemaining()) { if (s.unwrap(cOut, sApp).bytesConsumed() == 0) break; }
            sOut.clear(); s.wrap(ByteBuffer.wrap(rep), sOut);
            serverCpu += T.getCurrentThreadCpuTime() - t;
            sOut.flip(); cApp.clear(); while (sOut.hasRemaining()) { if (c.unwrap(sOut, cApp).bytesConsumed() == 0) break; }
        }
        io.netty.util.ReferenceCountUtil.release(s);
    }

    static boolean hsOn(SSLEngine e) {
        SSLEngineResult.HandshakeStatus h = e.getHandshakeStatus();
        return h != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && h != SSLEngineResult.HandshakeStatus.FINISHED;
    }

    static void runTasks(SSLEngine e, boolean server) {
        Runnable r;
        while ((r = e.getDelegatedTask()) != null) r.run();
    }
}
