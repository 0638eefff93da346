package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS from the distribution, with certificates made by openssl and Kamailio's tls.cfg:
 * OPTIONS and REGISTER over TLS, a call from a TLS caller relayed to a UDP callee, SNI choosing
 * the certificate, a replaced certificate served to the next handshake without a restart, mutual
 * TLS on a listener with require_certificate, plain text on the TLS port refused while the server
 * stays fine, and tls.info / tls.reload.
 */
class TlsIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int tlsPort;
    static int mutualPort;
    static int udpPort;
    static int crlPort;

    static final String SCRIPT = """
            #!KAMAILIO
            enable_tls=yes
            loadmodule "tls.so"
            loadmodule "sl.so"
            loadmodule "tm.so"
            loadmodule "registrar.so"
            modparam("tls", "config", "tls.cfg")

            request_route {
                if (is_method("OPTIONS")) {
                    if (is_peer_verified()) {
                        xlog("L_INFO", "TLS-PEER $ci $tls_version $tls_peer_subject_cn $tls_peer_verified $tls_my_subject_cn\n");
                    }
                    sl_send_reply("200", "TLS $pr");
                    exit;
                }
                if (is_method("REGISTER")) {
                    save("location");
                    exit;
                }
                if (has_totag()) {
                    t_relay();
                    exit;
                }
                if (!lookup("location")) {
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                t_on_reply("TLS_REPLY");
                t_relay();
            }

            onreply_route[TLS_REPLY] {
                if ($pr == "tls") {
                    xlog("L_INFO", "TLS-REPLY $ci $rs $tls_version $tls_peer_subject_cn $tls_peer_verified $tls_my_subject_cn\n");
                }
            }
            """;

    static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    }

    static void selfSigned(String name, String cn) throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                "-subj", "/CN=" + cn, "-days", "2");
    }

    @BeforeAll
    static void start() throws Exception {
        selfSigned("a", "siphon-a");
        selfSigned("b", "siphon-b");
        selfSigned("client", "trusted-client");
        // an RSA key in the old PKCS#1 form ("BEGIN RSA PRIVATE KEY"), as many Kamailio installations have
        openssl("rsa", "-in", "b.key", "-traditional", "-out", "b-pkcs1.key");
        openssl("pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12", "-passout", "pass:x");
        // a CA, two client certificates it signs, and its revocation list naming one of them (crl in tls.cfg)
        Files.writeString(dir.resolve("ca.cnf"), "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\ndefault_md = sha256\n"
                + "default_crl_days = 2\n");
        Files.writeString(dir.resolve("index.txt"), "");
        selfSigned("ca", "test-ca");
        int serial = 4100;
        for (String n : List.of("good", "revoked")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", n + ".key", "-out", n + ".csr", "-subj", "/CN=" + n + "-client");
            openssl("x509", "-req", "-in", n + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", Integer.toString(serial++),
                    "-days", "2", "-out", n + ".pem");
            openssl("pkcs12", "-export", "-in", n + ".pem", "-inkey", n + ".key", "-out", n + ".p12", "-passout", "pass:x");
        }
        openssl("ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-revoke", "revoked.pem");
        openssl("ca", "-config", "ca.cnf", "-keyfile", "ca.key", "-cert", "ca.pem", "-gencrl", "-out", "ca.crl");
        crlPort = SiphonServer.freePort();
        tlsPort = SiphonServer.freePort();
        mutualPort = SiphonServer.freePort();
        udpPort = SiphonServer.freePort();
        Files.writeString(dir.resolve("tls.cfg"), """
                # Kamailio's format
                [server:default]
                method = TLSv1.2+
                verify_certificate = no
                require_certificate = no
                private_key = a.key
                certificate = a.pem

                [server:default]
                server_name = b.example
                private_key = b-pkcs1.key
                certificate = b.pem

                [server:127.0.0.1:MUTUAL]
                verify_certificate = yes
                require_certificate = yes
                private_key = a.key
                certificate = a.pem
                ca_list = client.pem

                [server:127.0.0.1:CRL]
                verify_certificate = yes
                require_certificate = yes
                private_key = a.key
                certificate = a.pem
                ca_list = ca.pem
                crl = ca.crl

                [client:default]
                verify_certificate = no
                """.replace("MUTUAL", Integer.toString(mutualPort)).replace("CRL]", crlPort + "]"));
        Path cfg = dir.resolve("tls-test.cfg");
        Files.writeString(cfg, SCRIPT);
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "tls:127.0.0.1:" + tlsPort,
                "-l", "tls:127.0.0.1:" + mutualPort, "-l", "tls:127.0.0.1:" + crlPort, "-l", "udp:127.0.0.1:" + udpPort)
                .awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static final TrustManager TRUST_ANY = new X509TrustManager() {
        @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
        @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    };

    static boolean logHas(String text) {
        try {
            return server.log().contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static SSLSocket connect(int port, String sni, boolean clientCertificate) throws Exception {
        return connect(port, sni, clientCertificate ? "client.p12" : null);
    }

    /** A TLS connection presenting the certificate in PKCS#12 file {@code p12} (none when null). */
    static SSLSocket connect(int port, String sni, String p12) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (p12 != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(p12))) {
                ks.load(in, "x".toCharArray());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "x".toCharArray());
        }
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] { TRUST_ANY }, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        s.setSoTimeout(5000);
        if (sni != null) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(sni)));
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    static String subject(SSLSocket s) throws Exception {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }

    /** One SIP message off a stream, cut by Content-Length. */
    static String read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                break;
            }
        }
        String text = head.toString(StandardCharsets.UTF_8);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    static void send(Socket s, String msg) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(msg.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String options(Socket s, String callId) {
        return "OPTIONS sip:127.0.0.1:" + tlsPort + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=t1\r\nTo: <sip:127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void optionsAndRegisterOverTls() throws Exception {
        try (SSLSocket s = connect(tlsPort, null, false)) {
            assertTrue(subject(s).startsWith("CN=siphon-a"), subject(s)); // renewed by another test, maybe
            send(s, options(s, "tls-opt-1"));
            String reply = read(s.getInputStream());
            assertTrue(reply.startsWith("SIP/2.0 200 TLS tls"), reply);
            assertTrue(reply.contains("Via: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort()), reply);
            send(s, "REGISTER sips:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + s.getLocalPort()
                    + ";branch=z9hG4bKtlsreg1\r\nMax-Forwards: 70\r\nFrom: <sips:alice@127.0.0.1>;tag=r1\r\n"
                    + "To: <sips:alice@127.0.0.1>\r\nCall-ID: tls-reg-1\r\nCSeq: 1 REGISTER\r\n"
                    + "Contact: <sip:alice@127.0.0.1:" + s.getLocalPort() + ";transport=tls>\r\nExpires: 600\r\n"
                    + "Content-Length: 0\r\n\r\n");
            String registered = read(s.getInputStream());
            assertTrue(registered.startsWith("SIP/2.0 200"), registered);
            assertTrue(registered.contains("transport=tls"), registered);
        }
    }

    @Test
    void aCallFromATlsCallerReachesAUdpCallee() throws Exception {
        try (UdpPeer bob = new UdpPeer(); SSLSocket alice = connect(tlsPort, null, false)) {
            bob.send("REGISTER sip:127.0.0.1:" + udpPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKtlsbob;rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=b1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: tls-bob-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:"
                    + bob.port() + ">\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n", udpPort);
            assertNotNull(bob.receive("SIP/2.0 200", 3000), "bob registered over UDP");
            send(alice, "MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + alice.getLocalPort()
                    + ";branch=z9hG4bKtlsmsg1\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=m1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: tls-msg-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 5\r\n\r\nhello");
            String atBob = bob.receive("MESSAGE sip:bob@", 5000);
            assertNotNull(atBob, "the MESSAGE from the TLS caller reaches bob over UDP");
            assertTrue(atBob.contains("SIP/2.0/TLS 127.0.0.1:" + alice.getLocalPort()), "alice's TLS Via kept: " + atBob);
            bob.reply(atBob, 200, "OK", "bobtag", udpPort);
            String toAlice = read(alice.getInputStream());
            assertTrue(toAlice.startsWith("SIP/2.0 200"), "bob's 200 comes back over TLS: " + toAlice);
        }
    }

    @Test
    void aUdpCallerReachesATlsCalleeOverAConnectionSiphonOpens() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("client.p12"))) {
            ks.load(in, "x".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        ctx.init(kmf.getKeyManagers(), new TrustManager[] { TRUST_ANY }, null);
        try (javax.net.ssl.SSLServerSocket callee = (javax.net.ssl.SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1")); UdpPeer alice = new UdpPeer()) {
            callee.setSoTimeout(10_000);
            int calleePort = callee.getLocalPort();
            try (SSLSocket reg = connect(tlsPort, null, false)) {
                send(reg, "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + reg.getLocalPort()
                        + ";branch=z9hG4bKtlscarol\r\nMax-Forwards: 70\r\nFrom: <sip:carol@127.0.0.1>;tag=c1\r\n"
                        + "To: <sip:carol@127.0.0.1>\r\nCall-ID: tls-carol-reg\r\nCSeq: 1 REGISTER\r\n"
                        + "Contact: <sip:carol@127.0.0.1:" + calleePort + ";transport=tls>\r\nExpires: 600\r\n"
                        + "Content-Length: 0\r\n\r\n");
                assertTrue(read(reg.getInputStream()).startsWith("SIP/2.0 200"));
            }
            alice.send("MESSAGE sip:carol@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + alice.port()
                    + ";branch=z9hG4bKtlsout1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=ao1\r\n"
                    + "To: <sip:carol@127.0.0.1>\r\nCall-ID: tls-out-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\n\r\nhi", udpPort);
            try (SSLSocket in = (SSLSocket) callee.accept()) {
                in.setSoTimeout(5000);
                String atCarol = read(in.getInputStream());
                assertTrue(atCarol.startsWith("MESSAGE sip:carol@"), atCarol);
                assertTrue(atCarol.contains("Via: SIP/2.0/TLS "), "Siphon's Via says TLS: " + atCarol);
                StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
                for (String line : atCarol.split("\r\n")) {
                    String l = line.toLowerCase();
                    if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) {
                        ok.append(line).append("\r\n");
                    } else if (l.startsWith("to:")) {
                        ok.append(line).append(";tag=c2\r\n");
                    }
                }
                send(in, ok.append("Content-Length: 0\r\n\r\n").toString());
                assertNotNull(alice.receive("SIP/2.0 200", 5000), "carol's 200 over TLS reaches alice over UDP");
                String protocol = in.getSession().getProtocol();
                assertTrue(SiphonServer.waitFor(5000, () -> logHas("TLS-REPLY tls-out-1 200 " + protocol + " trusted-client 1 <null>")),
                        "the reply route sees the TLS server's certificate on the connection Siphon opened (and no "
                        + "certificate of Siphon's: [client:default] has none)");
                Map<?, ?> out = listed(calleePort);
                assertNotNull(out, "tls.list has the outgoing connection");
                assertEquals("out", out.get("direction"));
                assertEquals("client:default", out.get("dom"));
                assertEquals("established", out.get("state"));
                assertEquals(protocol, out.get("tls_version"));
            }
        }
    }

    @Test
    void sniChoosesTheCertificate() throws Exception {
        try (SSLSocket s = connect(tlsPort, "b.example", false)) {
            assertEquals("CN=siphon-b", subject(s), "[server:default] with server_name = b.example (a PKCS#1 key)");
        }
        try (SSLSocket s = connect(tlsPort, "other.example", false)) {
            assertTrue(subject(s).startsWith("CN=siphon-a"), "an unknown name gets the default: " + subject(s));
        }
    }

    /** The tls.list entry of the connection whose peer port is {@code port}, or null. */
    static Map<?, ?> listed(int port) throws Exception {
        for (Object o : (List<?>) server.rpc.call("tls.list")) {
            Map<?, ?> m = (Map<?, ?>) o;
            if (((Number) m.get("src_port")).intValue() == port) {
                return m;
            }
        }
        return null;
    }

    @Test
    void tlsListShowsTheLiveConnectionsAndTlsOptionsTheParameters() throws Exception {
        try (SSLSocket a = connect(tlsPort, null, false); SSLSocket b = connect(tlsPort, "b.example", false)) {
            send(a, options(a, "tls-list-1")); // the handshake is over on both sides once a reply came
            assertTrue(read(a.getInputStream()).startsWith("SIP/2.0 200"));
            send(b, options(b, "tls-list-2"));
            assertTrue(read(b.getInputStream()).startsWith("SIP/2.0 200"));
            Map<?, ?> la = listed(a.getLocalPort());
            assertNotNull(la, "tls.list has the first connection: " + server.rpc.call("tls.list"));
            assertEquals("127.0.0.1", la.get("src_ip"));
            assertEquals("127.0.0.1", la.get("dst_ip"));
            assertEquals((long) tlsPort, ((Number) la.get("dst_port")).longValue());
            assertEquals("established", la.get("state"));
            assertEquals("in", la.get("direction"));
            assertEquals("server:default", la.get("dom"));
            assertEquals("N/A", la.get("sni"), "no SNI asked for");
            assertEquals(a.getSession().getProtocol(), la.get("tls_version"));
            assertEquals(a.getSession().getCipherSuite() + " " + a.getSession().getProtocol(), la.get("cipher"));
            long timeout = ((Number) la.get("timeout")).longValue();
            assertTrue(timeout > 0 && timeout <= 120, "seconds left of tcp_connection_lifetime (120 s): " + timeout);
            assertTrue(((String) la.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), la.toString());
            Map<?, ?> lb = listed(b.getLocalPort());
            assertNotNull(lb, "the second connection");
            assertEquals("b.example", lb.get("sni"), "the SNI name the client asked for");
            assertEquals("server:default", lb.get("dom"), "the [server:default] section with server_name = b.example");
            assertTrue(((Number) lb.get("id")).longValue() > ((Number) la.get("id")).longValue(), "ids grow: " + la + " " + lb);
            Map<?, ?> info = (Map<?, ?>) server.rpc.call("tls.info");
            assertTrue(((Number) info.get("opened_connections")).intValue() >= 2, info.toString());
            int gone = b.getLocalPort();
            b.close();
            assertTrue(SiphonServer.waitFor(5000, () -> {
                try {
                    return listed(gone) == null;
                } catch (Exception e) {
                    return false;
                }
            }), "a closed connection leaves tls.list");
            assertNotNull(listed(a.getLocalPort()), "the other stays");
        }
        Map<?, ?> options = (Map<?, ?>) server.rpc.call("tls.options");
        assertEquals("tls.cfg", options.get("config"));
        assertEquals("TLSv1", options.get("method"), "the parameter's default: tls.cfg sets the method per profile");
        assertEquals(0L, ((Number) options.get("verify_certificate")).longValue());
        assertEquals(600L, ((Number) options.get("connection_timeout")).longValue());
        assertTrue(options.containsKey("ct_wq_blk_size") && options.containsKey("ssl_read_ahead"), options.toString());
    }

    @Test
    void anOutgoingConnectionStillHandshakingIsListed() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getByName("127.0.0.1"));
                UdpPeer alice = new UdpPeer()) {
            silent.setSoTimeout(10_000);
            int port = silent.getLocalPort();
            try (SSLSocket reg = connect(tlsPort, null, false)) {
                send(reg, "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:" + reg.getLocalPort()
                        + ";branch=z9hG4bKtlsdave\r\nMax-Forwards: 70\r\nFrom: <sip:dave@127.0.0.1>;tag=d1\r\n"
                        + "To: <sip:dave@127.0.0.1>\r\nCall-ID: tls-dave-reg\r\nCSeq: 1 REGISTER\r\n"
                        + "Contact: <sip:dave@127.0.0.1:" + port + ";transport=tls>\r\nExpires: 600\r\n"
                        + "Content-Length: 0\r\n\r\n");
                assertTrue(read(reg.getInputStream()).startsWith("SIP/2.0 200"));
            }
            alice.send("MESSAGE sip:dave@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + alice.port()
                    + ";branch=z9hG4bKtlsdave1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=ad1\r\n"
                    + "To: <sip:dave@127.0.0.1>\r\nCall-ID: tls-dave-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\n\r\nhi", udpPort);
            try (Socket in = silent.accept()) { // takes Siphon's ClientHello and never answers
                Map<?, ?>[] seen = new Map<?, ?>[1];
                assertTrue(SiphonServer.waitFor(5000, () -> {
                    try {
                        seen[0] = listed(port);
                        return seen[0] != null;
                    } catch (Exception e) {
                        return false;
                    }
                }), "tls.list has the connection Siphon opened while its handshake is under way");
                assertEquals("out", seen[0].get("direction"));
                assertEquals("tls_connect", seen[0].get("state"));
                assertEquals("client:default", seen[0].get("dom"));
                assertEquals("unknown", seen[0].get("tls_version"));
            }
            assertTrue(SiphonServer.waitFor(5000, () -> {
                try {
                    return listed(port) == null;
                } catch (Exception e) {
                    return false;
                }
            }), "closed by the peer, it leaves tls.list");
        }
    }

    @Test
    void mutualTlsRequiresATrustedClientCertificate() throws Exception {
        assertThrows(IOException.class, () -> {
            try (SSLSocket s = connect(mutualPort, null, false)) {
                send(s, options(s, "tls-mutual-0"));
                read(s.getInputStream()); // TLS 1.3 reports the refusal on the first read
                throw new AssertionError("answered without a client certificate");
            }
        });
        try (SSLSocket s = connect(mutualPort, null, true)) {
            send(s, options(s, "tls-mutual-1"));
            assertTrue(read(s.getInputStream()).startsWith("SIP/2.0 200"));
            String protocol = s.getSession().getProtocol();
            assertTrue(SiphonServer.waitFor(5000, () -> logHas("TLS-PEER tls-mutual-1 " + protocol + " trusted-client 1 siphon-a")),
                    "is_peer_verified() and the $tls_* variables see the client's certificate");
        }
    }

    @Test
    void aRevokedClientCertificateIsRefused() throws Exception {
        try (SSLSocket s = connect(crlPort, null, "good.p12")) {
            send(s, options(s, "tls-crl-good"));
            assertTrue(read(s.getInputStream()).startsWith("SIP/2.0 200"), "a certificate of the CA, not revoked");
        }
        assertThrows(IOException.class, () -> {
            try (SSLSocket s = connect(crlPort, null, "revoked.p12")) {
                send(s, options(s, "tls-crl-revoked"));
                read(s.getInputStream()); // TLS 1.3 reports the refusal on the first read
                throw new AssertionError("answered a client whose certificate the CRL revokes");
            }
        });
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("revoked")), "the refusal says why");
        assertThrows(IOException.class, () -> {
            try (SSLSocket s = connect(crlPort, null, "client.p12")) {
                send(s, options(s, "tls-crl-other"));
                read(s.getInputStream());
                throw new AssertionError("answered a client the CA did not sign");
            }
        });
    }

    /**
     * OpenSSL's {@code s_client} as a second, independent TLS peer: connects to {@code port},
     * writes {@code request} and returns what it printed (certificate, session, the server's
     * answer) once {@code until} appeared, or after 10 s.
     */
    static String sClient(int port, String request, String until, String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-ign_eof", "-nocommands"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.append(line).append('\n');
                    if (out.indexOf(until) >= 0) {
                        seen.countDown();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            seen.countDown();
        }, "s_client");
        reader.setDaemon(true);
        reader.start();
        try {
            p.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().flush();
            seen.await(10, java.util.concurrent.TimeUnit.SECONDS);
            return out.toString();
        } finally {
            p.destroyForcibly();
            p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    static String optionsFromOpenssl(int port, String callId) {
        return "OPTIONS sip:127.0.0.1:" + port + ";transport=tls SIP/2.0\r\n"
                + "Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK" + callId + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:openssl@127.0.0.1>;tag=o1\r\nTo: <sip:127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void opensslSClientIsServed() throws Exception {
        String plain = sClient(tlsPort, optionsFromOpenssl(tlsPort, "ossl-1"), "SIP/2.0 ");
        assertTrue(plain.contains("SIP/2.0 200 TLS tls"), "OPTIONS from s_client answered over TLS:\n" + plain);
        assertTrue(plain.matches("(?s).*subject=\\s*CN\\s*=\\s*siphon-a.*"), "the default certificate:\n" + plain);
        String sni = sClient(tlsPort, optionsFromOpenssl(tlsPort, "ossl-2"), "SIP/2.0 ", "-servername", "b.example");
        assertTrue(sni.contains("SIP/2.0 200 TLS tls"), sni);
        assertTrue(sni.matches("(?s).*subject=\\s*CN\\s*=\\s*siphon-b.*"), "SNI b.example chooses b's certificate:\n" + sni);
        String mutual = sClient(mutualPort, optionsFromOpenssl(mutualPort, "ossl-3"), "SIP/2.0 ", "-cert", "client.pem",
                "-key", "client.key");
        assertTrue(mutual.contains("SIP/2.0 200 TLS tls"), "s_client with a trusted certificate on the mutual listener:\n" + mutual);
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("TLS-PEER ossl-3 ")), "is_peer_verified() for OpenSSL's client certificate");
        String refused = sClient(mutualPort, optionsFromOpenssl(mutualPort, "ossl-4"), "SIP/2.0 ");
        assertFalse(refused.contains("SIP/2.0 "), "no answer to s_client without a certificate:\n" + refused);
    }

    @Test
    void plainTextOnTheTlsPortIsRefusedAndNothingElseIsAffected() throws Exception {
        String peer;
        try (Socket plain = new Socket("127.0.0.1", tlsPort)) {
            plain.setSoTimeout(5000);
            peer = "/127.0.0.1:" + plain.getLocalPort() + " on ";
            send(plain, "OPTIONS sip:127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n");
            assertEquals(-1, plain.getInputStream().read(), "the server closes the connection");
        }
        try (SSLSocket s = connect(tlsPort, null, false)) {
            send(s, options(s, "tls-after-plain"));
            assertTrue(read(s.getInputStream()).startsWith("SIP/2.0 200"));
        }
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("TLS handshake with " + peer)), "the refused handshake is logged");
        assertEquals(1, server.log().lines().filter(l -> l.contains(peer)).count(),
                "the refused handshake is logged once (Netty reports it as an event and as an exception)");
    }

    @Test
    void aReplacedCertificateServesTheNextHandshake() throws Exception {
        Map<?, ?> info = (Map<?, ?>) server.rpc.call("tls.info");
        assertTrue(info.toString().contains("CN=siphon-a"), info.toString());
        try (SSLSocket before = connect(tlsPort, null, false)) {
            assertEquals("CN=siphon-a", subject(before), "not renewed yet");
            // the operator renews the default certificate in place
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a-new.key", "-out", "a-new.pem",
                    "-subj", "/CN=siphon-a-renewed", "-days", "2");
            Files.move(dir.resolve("a-new.key"), dir.resolve("a.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(dir.resolve("a-new.pem"), dir.resolve("a.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertTrue(SiphonServer.waitFor(15_000, () -> {
                try (SSLSocket s = connect(tlsPort, null, false)) {
                    return subject(s).equals("CN=siphon-a-renewed");
                } catch (Exception e) {
                    return false;
                }
            }), "a new handshake gets the new certificate");
            send(before, options(before, "tls-live-conn"));
            assertTrue(read(before.getInputStream()).startsWith("SIP/2.0 200"), "the live connection goes on");
        }
        Map<?, ?> reloaded = (Map<?, ?>) server.rpc.call("tls.reload");
        assertEquals(5L, ((Number) reloaded.get("profiles")).longValue(), "server default, b.example, mutual, crl, client: " + reloaded);
        assertFalse(server.log().contains("ERROR"), "no ERROR in the log");
    }
}
