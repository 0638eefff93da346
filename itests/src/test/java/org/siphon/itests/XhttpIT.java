package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xhttp and jsonrpcs from the distribution: HTTP on the SIP TCP port routed in
 * event_route[xhttp:request] as Kamailio's stock config (WITH_JSONRPC) routes it — POST /RPC
 * answered by jsonrpc_dispatch() with the same registry as the 8090 server, $hu and $si in a
 * reply, keep-alive and set_reply_close(), jsonrpc_exec with $jsonrpl, SIP still answered on the
 * same port, bad HTTP answered with a clear status, and module.update of xhttp and jsonrpcs
 * while a client keeps asking.
 */
class XhttpIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int port;

    static final String SCRIPT = """
            #!KAMAILIO
            tcp_accept_no_cl=yes
            tcp_msg_read_timeout=3
            tcp_msg_data_timeout=3
            loadmodule "sl.so"
            loadmodule "xhttp.so"
            loadmodule "jsonrpcs.so"
            modparam("jsonrpcs", "pretty_format", 1)
            modparam("jsonrpcs", "transport", 7)
            modparam("jsonrpcs", "fifo_name", "/run/kamailio/kamailio_rpc.fifo")
            modparam("xhttp", "url_skip", "^/skipped")

            request_route {
                if (is_method("OPTIONS")) {
                    sl_send_reply("200", "Keepalive");
                    exit;
                }
                sl_send_reply("404", "Not here");
            }

            event_route[xhttp:request] {
                if ($hu =~ "^/close") {
                    set_reply_close();
                }
                if (src_ip != 127.0.0.1) {
                    xhttp_reply("403", "Forbidden", "text/html", "<html><body>Not allowed from $si</body></html>");
                    exit;
                }
                if ($hu =~ "^/RPC") {
                    jsonrpc_dispatch();
                    exit;
                }
                if ($hu =~ "^/exec") {
                    jsonrpc_exec('{"jsonrpc": "2.0", "method": "core.version", "id": 1}');
                    xhttp_reply("200", "OK", "text/plain", "$jsonrpl(code) $jsonrpl(text)");
                    exit;
                }
                if ($hu =~ "^/dollar") {
                    $var(body) = $hdr(X-Text);
                    xhttp_reply("200", "OK", "text/plain", "$var(body)");
                    exit;
                }
                if ($hu =~ "^/silent") {
                    exit;
                }
                xhttp_reply("200", "OK", "text/html", "<html><body>Wrong URL $hu from $si</body></html>");
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("xhttp.cfg");
        Files.writeString(cfg, SCRIPT);
        port = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "tcp:127.0.0.1:" + port).awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** One HTTP response: status line, headers, body (by Content-Length). */
    record Response(String statusLine, String head, String body) {
        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    static Response read(InputStream in) throws IOException {
        String text = WebSocketWire.readHead(in);
        if (text.isEmpty()) {
            throw new IOException("connection closed before a response");
        }
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return new Response(text.substring(0, text.indexOf("\r\n")), text, new String(body, StandardCharsets.UTF_8));
    }

    static Response exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        return read(s.getInputStream());
    }

    static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(5000);
        return s;
    }

    static String post(String path, String json, String extraHeaders) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extraHeaders
                + "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + json;
    }

    static boolean closedByServer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Test
    void jsonRpcOnTheSipPortAnswersAsThe8090ServerDoes() throws Exception {
        try (Socket s = connect()) {
            Response r = exchange(s, post("/RPC", "{\"jsonrpc\": \"2.0\", \"method\": \"module.list\", \"id\": 7}", ""));
            assertEquals("HTTP/1.1 200 OK", r.statusLine(), r.head());
            assertTrue(r.head().contains("Content-Type: application/json"), r.head());
            assertTrue(r.body().contains("\"id\": 7") && r.body().contains("\"xhttp\"") && r.body().contains("\n"),
                    "pretty JSON with the module list: " + r.body());
            // keep-alive: the next request on the same connection, an unknown method
            Response unknown = exchange(s, post("/RPC", "{\"jsonrpc\":\"2.0\",\"method\":\"no.such\",\"id\":8}", ""));
            assertEquals(200, unknown.status());
            assertTrue(unknown.body().contains("-32601"), unknown.body());
            Response garbage = exchange(s, post("/RPC", "{not json", ""));
            assertTrue(garbage.body().contains("-32700"), garbage.body());
        }
    }

    @Test
    void theRouteSeesTheUrlAndTheSourceAndCanCloseTheConnection() throws Exception {
        try (Socket s = connect()) {
            Response r = exchange(s, "GET /hello?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(200, r.status());
            assertEquals("<html><body>Wrong URL /hello?x=1 from 127.0.0.1</body></html>", r.body());
            Response closing = exchange(s, "GET /close HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(200, closing.status());
            assertTrue(closedByServer(s), "set_reply_close() ends the connection after the reply");
        }
        try (Socket s = connect()) {
            Response r = exchange(s, "GET /plain HTTP/1.0\r\n\r\n");
            assertTrue(r.head().contains("Connection: close"), r.head());
            assertTrue(closedByServer(s), "HTTP/1.0 without keep-alive closes");
        }
    }

    @Test
    void aValueIsExpandedOnce() throws Exception {
        try (Socket s = connect()) {
            assertEquals("costs $5 at $hu", exchange(s, "GET /dollar HTTP/1.1\r\nHost: x\r\nX-Text: costs $5 at $hu\r\n\r\n").body(),
                    "a $ inside a variable's value is not expanded again");
        }
    }

    @Test
    void jsonrpcExecLeavesItsAnswerInJsonrpl() throws Exception {
        try (Socket s = connect()) {
            Response r = exchange(s, "GET /exec HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals("200 OK", r.body());
        }
    }

    @Test
    void skippedAndUnansweredUrlsGet404() throws Exception {
        try (Socket s = connect()) {
            assertEquals(404, exchange(s, "GET /skipped HTTP/1.1\r\nHost: x\r\n\r\n").status(), "url_skip");
        }
        try (Socket s = connect()) {
            assertEquals(404, exchange(s, "GET /silent HTTP/1.1\r\nHost: x\r\n\r\n").status(), "the route sent nothing");
        }
    }

    @Test
    void sipStillWorksOnTheSamePort() throws Exception {
        try (Socket s = connect()) {
            String options = "OPTIONS sip:127.0.0.1:" + port + ";transport=tcp SIP/2.0\r\n"
                    + "Via: SIP/2.0/TCP 127.0.0.1:" + s.getLocalPort() + ";branch=z9hG4bKxhttp1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:127.0.0.1>\r\n"
                    + "Call-ID: xhttp-sip\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            Response r = exchange(s, options);
            assertEquals("SIP/2.0 200 Keepalive", r.statusLine());
            Response http = exchange(s, "GET /after-sip HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(200, http.status(), "HTTP after SIP on one connection");
        }
    }

    @Test
    void badHttpGetsAClearStatus() throws Exception {
        try (Socket s = connect()) {
            Response r = exchange(s, "GET /x HTTP/1.1\r\nthis is no header\r\n\r\n");
            assertEquals(400, r.status(), r.head());
            assertTrue(closedByServer(s));
        }
        try (Socket s = connect()) {
            String big = "GET /x HTTP/1.1\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n";
            Response r = exchange(s, big);
            assertEquals(431, r.status(), r.head());
        }
        try (Socket s = connect()) {
            Response r = exchange(s, "POST /RPC HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n");
            assertEquals(413, r.status(), r.head());
        }
    }

    @Test
    void aHalfSentRequestAndASilentConnectionAreClosed() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("POST /RPC HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"".getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited >= 2_000 && waited < 9_000, "after tcp_msg_read_timeout (3 s): " + waited + " ms");
        }
        try (Socket s = connect()) {
            s.setSoTimeout(10_000);
            assertEquals(-1, s.getInputStream().read(), "a connection that never speaks is closed (tcp_msg_data_timeout)");
        }
        assertTrue(SiphonServer.waitFor(5000, () -> {
            try {
                return server.log().contains("tcp_msg_read_timeout") && server.log().contains("tcp_msg_data_timeout");
            } catch (IOException e) {
                return false;
            }
        }), "both are logged");
    }

    @Test
    void modulesUpdateWhileAClientKeepsAsking() throws Exception {
        Thread[] updater = new Thread[1];
        Exception[] failed = new Exception[1];
        updater[0] = new Thread(() -> {
            try {
                server.rpc.call("module.update", "xhttp");
                server.rpc.call("module.update", "jsonrpcs");
                server.rpc.call("module.update", "xhttp");
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        int answered = 0;
        try (Socket s = connect()) {
            updater[0].start();
            while (updater[0].isAlive() || answered < 20) {
                Response r = exchange(s, post("/RPC", "{\"jsonrpc\":\"2.0\",\"method\":\"core.uptime\",\"id\":1}", ""));
                assertEquals(200, r.status(), "request " + answered + ": " + r.head() + r.body());
                assertTrue(r.body().contains("\"result\""), r.body());
                answered++;
            }
        }
        updater[0].join();
        assertEquals(null, failed[0]);
        String log = server.log();
        assertTrue(log.contains("module jsonrpcs: imports from xhttp: bundle"), "jsonrpcs moved to the new xhttp");
        assertTrue(!log.contains("restarts with the old") && !log.contains("restart with it"), "nothing restarted");
    }
}
