package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transport bridging (issue 28, item 3) under the default script with WITH_TLS and
 * WITH_WEBSOCKETS: whole calls (INVITE/100/180/200/ACK, BYE from the callee and its 200) between
 * users on UDP, TLS, WS and WSS, in both directions of each pair. Each side sees the proxy's Via
 * with its own transport and the double Record-Route (RFC 5658): the side's own socket first, with
 * {@code transport=} of that side ({@code tls}, {@code ws} for WS and WSS as RFC 7118 and Kamailio
 * write it, none for UDP), {@code r2=on}, {@code lr}, and {@code nat=yes} when a WebSocket user is
 * in the dialog (the default script treats WebSocket users as NATed). The server's certificate is
 * made by openssl (subjectAltName IP:127.0.0.1) and trusted by the test's TLS and WSS clients, so
 * the WSS client checks the host name as a browser does.
 */
class TransportBridgingIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int udpPort;
    static int tcpPort;
    static int tlsPort;
    static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        udpPort = SiphonServer.freePort();
        tcpPort = SiphonServer.freePort();
        tlsPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, home -> makeKeyPair(home.resolve("config")), "-A", "WITH_TLS", "-A",
                "WITH_WEBSOCKETS", "-l", "udp:127.0.0.1:" + udpPort, "-l", "tcp:127.0.0.1:" + tcpPort,
                "-l", "tls:127.0.0.1:" + tlsPort).awaitSettled();
        trusting = trusting(server.home.resolve("config/siphon-tls.pem"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** The pair config/tls.cfg names, made as it says, for 127.0.0.1. */
    static void makeKeyPair(Path config) {
        try {
            Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "siphon-tls.key",
                    "-out", "siphon-tls.pem").directory(config.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(out);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client context that trusts only {@code pem}, checking the certificate as the JDK does. */
    static SSLContext trusting(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = java.nio.file.Files.newInputStream(pem)) {
            ks.setCertificateEntry("siphon", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A test UA on one transport: sends SIP to the proxy, collects what the proxy sends it. */
    abstract static class Phone implements AutoCloseable {
        final String user;

        Phone(String user) {
            this.user = user;
        }

        /** The Via transport: UDP, TLS, WS or WSS. */
        abstract String proto();

        /** The proxy's port this phone talks to. */
        abstract int proxyPort();

        /** Its Via sent-by. */
        abstract String sentBy();

        /** Its Contact URI. */
        abstract String contact();

        abstract void send(String sip) throws Exception;

        /** The next message starting with {@code start} within 5 s (others skipped), or null. */
        abstract String next(String start) throws Exception;

        /** The {@code transport} parameter of the proxy's Record-Route towards this phone (null for UDP). */
        String rrTransport() {
            return switch (proto()) {
                case "UDP" -> null;
                case "TLS" -> "tls";
                default -> "ws"; // RFC 7118: ws for WS and WSS alike
            };
        }

        boolean webSocket() {
            return proto().startsWith("WS");
        }

        String via(String branch) {
            return "SIP/2.0/" + proto() + " " + sentBy() + ";rport;branch=z9hG4bK" + branch;
        }

        private boolean registered;

        /** Registers its contact once. */
        void register() throws Exception {
            if (registered) {
                return;
            }
            registered = true;
            send("REGISTER sip:127.0.0.1:" + proxyPort() + " SIP/2.0\r\nVia: " + via("reg" + user) + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:" + user + "@127.0.0.1>;tag=r" + user + "\r\nTo: <sip:" + user
                    + "@127.0.0.1>\r\nCall-ID: reg-" + user + "\r\nCSeq: 1 REGISTER\r\nContact: <" + contact()
                    + ">\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n");
            String reply = next("SIP/2.0 ");
            assertTrue(reply != null && reply.startsWith("SIP/2.0 200"), proto() + " REGISTER of " + user + ": " + reply);
        }
    }

    static final class UdpPhone extends Phone {
        final UdpPeer peer;

        UdpPhone(String user) throws IOException {
            super(user);
            peer = new UdpPeer();
        }

        @Override String proto() { return "UDP"; }
        @Override int proxyPort() { return udpPort; }
        @Override String sentBy() { return "127.0.0.1:" + peer.port(); }
        @Override String contact() { return "sip:" + user + "@127.0.0.1:" + peer.port(); }
        @Override void send(String sip) throws IOException { peer.send(sip, udpPort); }
        @Override String next(String start) throws IOException { return peer.receive(start, 5000); }
        @Override public void close() { peer.close(); }
    }

    /** SIP over TLS on one connection, read by a thread of its own. */
    static final class TlsPhone extends Phone {
        final SSLSocket socket;
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

        TlsPhone(String user) throws Exception {
            super(user);
            socket = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1", tlsPort);
            javax.net.ssl.SSLParameters p = socket.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
            socket.setSSLParameters(p);
            socket.startHandshake();
            Thread reader = new Thread(() -> {
                try {
                    InputStream in = socket.getInputStream();
                    while (true) {
                        String m = TlsIT.read(in);
                        if (m.isEmpty()) {
                            return;
                        }
                        received.add(m);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "tls-phone-" + user);
            reader.setDaemon(true);
            reader.start();
        }

        @Override String proto() { return "TLS"; }
        @Override int proxyPort() { return tlsPort; }
        @Override String sentBy() { return "127.0.0.1:" + socket.getLocalPort(); }
        @Override String contact() { return "sip:" + user + "@127.0.0.1:" + socket.getLocalPort() + ";transport=tls"; }
        @Override void send(String sip) throws IOException { TlsIT.send(socket, sip); }

        @Override
        String next(String start) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < end) {
                String m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m.startsWith(start)) {
                    return m;
                }
            }
            return null;
        }

        @Override public void close() throws IOException { socket.close(); }
    }

    /** A browser: SIP over WebSocket (ws: on the TCP port, wss: on the TLS port) with an .invalid host. */
    static final class WsPhone extends Phone {
        final WebSocketIT.Client client = new WebSocketIT.Client();
        final boolean secure;
        final String host;

        WsPhone(String user, boolean secure) {
            super(user);
            this.secure = secure;
            this.host = user + "x" + (secure ? "s" : "") + ".invalid";
            HttpClient http = secure ? HttpClient.newBuilder().sslContext(trusting).build() : HttpClient.newHttpClient();
            client.ws = http.newWebSocketBuilder().subprotocols("sip").buildAsync(
                    URI.create((secure ? "wss://127.0.0.1:" + tlsPort : "ws://127.0.0.1:" + tcpPort) + "/"), client).join();
        }

        @Override String proto() { return secure ? "WSS" : "WS"; }
        @Override int proxyPort() { return secure ? tlsPort : tcpPort; }
        @Override String sentBy() { return host; }
        @Override String contact() { return "sip:" + user + "@" + host + ";transport=ws"; }
        @Override void send(String sip) { client.send(sip); }
        @Override String next(String start) throws InterruptedException { return client.next(start); }
        @Override public void close() { client.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye"); }
    }

    /** host:port and the parameters of a Record-Route value's URI. */
    static Map<String, String> route(String nameAddr) {
        String uri = SipDialog.uri(nameAddr);
        String[] parts = uri.split(";");
        Map<String, String> m = new LinkedHashMap<>();
        m.put("address", parts[0]);
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            m.put(eq < 0 ? parts[i] : parts[i].substring(0, eq), eq < 0 ? "" : parts[i].substring(eq + 1));
        }
        return m;
    }

    /** What the proxy's Record-Route value towards {@code side} must say. */
    static Map<String, String> expectedRoute(Phone side, boolean nat) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("address", "sip:127.0.0.1:" + side.proxyPort());
        if (side.rrTransport() != null) {
            m.put("transport", side.rrTransport());
        }
        m.put("r2", "on");
        m.put("lr", "");
        if (nat) {
            m.put("nat", "yes");
        }
        return m;
    }

    static void assertRecordRoute(String msg, Phone callee, Phone caller, String where) {
        boolean nat = caller.webSocket() || callee.webSocket();
        List<String> rr = SipDialog.values(msg, "Record-Route");
        assertEquals(2, rr.size(), "double Record-Route " + where + ": " + rr);
        List<Map<String, String>> seen = new ArrayList<>();
        for (String v : rr) {
            Map<String, String> r = route(v);
            seen.add(new java.util.TreeMap<>(r));
        }
        assertEquals(List.of(new java.util.TreeMap<>(expectedRoute(callee, nat)), new java.util.TreeMap<>(expectedRoute(caller, nat))),
                seen, "Record-Route " + where + ": the callee's side first, then the caller's: " + rr);
    }

    /**
     * A whole call from {@code caller} to {@code callee} (registered): INVITE, 100, 180, 200 with
     * the Via and Record-Route each side must see, the caller's ACK, the callee's BYE and its 200.
     */
    static void call(Phone caller, Phone callee) throws Exception {
        String id = caller.proto().toLowerCase() + "2" + callee.proto().toLowerCase();
        callee.register();
        caller.send("INVITE sip:" + callee.user + "@127.0.0.1:" + caller.proxyPort() + " SIP/2.0\r\nVia: "
                + caller.via(id + "inv") + "\r\nMax-Forwards: 70\r\nFrom: <sip:" + caller.user + "@127.0.0.1>;tag=f" + id
                + "\r\nTo: <sip:" + callee.user + "@127.0.0.1>\r\nCall-ID: call-" + id + "\r\nCSeq: 1 INVITE\r\n"
                + "Contact: <" + caller.contact() + ">\r\nContent-Length: 0\r\n\r\n");
        String invite = callee.next("INVITE ");
        assertNotNull(invite, id + ": the INVITE reaches the " + callee.proto() + " callee");
        assertNotNull(caller.next("SIP/2.0 100"), id + ": 100 Trying to the caller");
        List<String> vias = SipDialog.values(invite, "Via");
        assertEquals(2, vias.size(), vias.toString());
        assertTrue(vias.get(0).startsWith("SIP/2.0/" + callee.proto() + " 127.0.0.1:" + callee.proxyPort() + ";branch=z9hG4bK"),
                id + ": the proxy's Via names the callee's transport and socket: " + vias);
        assertTrue(vias.get(1).startsWith("SIP/2.0/" + caller.proto() + " " + caller.sentBy() + ";"), vias.toString());
        assertRecordRoute(invite, callee, caller, "at the callee (" + id + ")");
        String calleeContact = callee.contact();
        callee.send(SipDialog.reply(invite, 180, "Ringing", "t" + id, calleeContact));
        assertNotNull(caller.next("SIP/2.0 180"), id + ": 180 to the caller");
        callee.send(SipDialog.reply(invite, 200, "OK", "t" + id, calleeContact));
        String ok = caller.next("SIP/2.0 200");
        assertNotNull(ok, id + ": 200 to the caller");
        assertEquals(1, SipDialog.values(ok, "Via").size(), "only the caller's Via: " + ok);
        assertTrue(SipDialog.header(ok, "Via").startsWith("SIP/2.0/" + caller.proto() + " " + caller.sentBy()), ok);
        assertRecordRoute(ok, callee, caller, "in the 200 at the caller (" + id + ")");

        caller.send(SipDialog.fromCaller("ACK", invite, ok, caller.via(id + "ack"), 1));
        String ack = callee.next("ACK ");
        assertNotNull(ack, id + ": the ACK reaches the callee");
        assertEquals(null, SipDialog.header(ack, "Route"), id + ": both Record-Route values taken off: " + ack);
        assertTrue(ack.startsWith("ACK " + calleeContact + " "), id + ": to the callee's contact, alias taken off: " + ack);
        assertTrue(SipDialog.header(ack, "Via").startsWith("SIP/2.0/" + callee.proto() + " 127.0.0.1:" + callee.proxyPort()),
                ack);

        callee.send(SipDialog.fromCallee("BYE", invite, ok, callee.via(id + "bye"), 1));
        String bye = caller.next("BYE ");
        assertNotNull(bye, id + ": the callee's BYE reaches the caller");
        assertTrue(bye.startsWith("BYE " + caller.contact() + " "), id + ": to the caller's contact: " + bye);
        assertEquals(null, SipDialog.header(bye, "Route"), bye);
        assertTrue(SipDialog.header(bye, "Via").startsWith("SIP/2.0/" + caller.proto() + " 127.0.0.1:" + caller.proxyPort()),
                bye);
        caller.send(SipDialog.reply(bye, 200, "OK", "f" + id, null));
        assertNotNull(callee.next("SIP/2.0 200"), id + ": the BYE's 200 reaches the callee");
    }

    @Test
    void tlsToUdpAndBack() throws Exception {
        try (Phone tls = new TlsPhone("tina"); Phone udp = new UdpPhone("ulf")) {
            call(tls, udp);
            call(udp, tls);
        }
    }

    @Test
    void wssToUdpAndBack() throws Exception {
        try (Phone wss = new WsPhone("wanda", true); Phone udp = new UdpPhone("uma")) {
            call(wss, udp);
            call(udp, wss);
        }
    }

    @Test
    void tlsToWsAndBack() throws Exception {
        try (Phone tls = new TlsPhone("tom"); Phone ws = new WsPhone("will", false)) {
            call(tls, ws);
            call(ws, tls);
        }
    }

    @Test
    void tlsToWssAndBack() throws Exception {
        try (Phone tls = new TlsPhone("tara"); Phone wss = new WsPhone("wes", true)) {
            call(tls, wss);
            call(wss, tls);
        }
    }
}
