package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * xcap_server from the distribution, driven as Kamailio's sample XCAP config drives it: HTTP on
 * the SIP TCP port, event_route[xhttp:request] splitting the URI with $xcapuri and calling
 * xcaps_put/xcaps_get/xcaps_del. Java's HttpClient does PUT/GET/DELETE per AUID with ETags and
 * conditional requests; not-well-formed and XXE documents get 409 (and the XXE fetches nothing);
 * a raw socket sends the {@code ../} paths a client library would normalise away.
 */
class XcapServerIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int port;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    static final String SCRIPT = """
            #!KAMAILIO
            tcp_accept_no_cl=yes
            loadmodule "sl.so"
            loadmodule "xhttp.so"
            loadmodule "xcap_server.so"
            modparam("xcap_server", "xcap_root", "/xcap-root/")
            modparam("xcap_server", "buf_size", 4096)
            modparam("xcap_server", "xml_ns", "rl=urn:ietf:params:xml:ns:resource-lists")
            modparam("xcap_server", "xml_ns", "my=urn:my:prefix")
            modparam("xcap_server", "directory_scheme", 0)

            request_route {
                sl_send_reply("404", "Not here");
            }

            event_route[xhttp:request] {
                if ($hu =~ "^/xcap-root/") {
                    $xcapuri(u=>data) = $hu;
                    $var(uri) = $xcapuri(u=>xuid);
                    if ($hdr(X-Parts) == "1") {
                        xhttp_reply("200", "OK", "text/plain",
                            "$xcapuri(u=>auid)|$xcapuri(u=>type)|$xcapuri(u=>tree)|$xcapuri(u=>xuid)|$xcapuri(u=>file)|$xcapuri(u=>adoc)|$xcapuri(u=>node)|$xcapuri(u=>target)|$xcapuri(u=>domain)");
                        exit;
                    }
                    if ($hu =~ "^/xcap-root/[^/]+/global/") {
                        $var(uri) = "sip:global@127.0.0.1";
                    }
                    if ($rm == "PUT") {
                        xcaps_put("$var(uri)", "$hu", "$rb");
                        exit;
                    }
                    if ($rm == "GET") {
                        xcaps_get("$var(uri)", "$hu");
                        exit;
                    }
                    if ($rm == "DELETE") {
                        xcaps_del("$var(uri)", "$hu");
                        exit;
                    }
                    xhttp_reply("405", "Method Not Allowed", "", "");
                    exit;
                }
                xhttp_reply("404", "Not Found", "", "");
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("xcap.cfg");
        Files.writeString(cfg, SCRIPT);
        port = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "tcp:127.0.0.1:" + port);
        server.awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = XcapServerIT.class.getResourceAsStream("/xcap/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String doc(String auid, String user, String file) {
        return "/xcap-root/" + auid + "/users/sip:" + user + "@example.com/" + file;
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String etag(HttpResponse<?> r) {
        String e = r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError("no ETag: " + r.headers()));
        assertTrue(e.startsWith("\"") && e.endsWith("\"") && e.length() > 2, e);
        return e;
    }

    static String type(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    @Test
    void putGetDeletePerAuidWithEtagsAndMimeTypes() throws Exception {
        Map<String, String[]> auids = Map.of(
                "pres-rules", new String[] { "pres-rules.xml", "application/auth-policy+xml" },
                "org.openmobilealliance.pres-rules", new String[] { "oma-pres-rules.xml", "application/auth-policy+xml" },
                "resource-lists", new String[] { "resource-lists.xml", "application/resource-lists+xml" },
                "rls-services", new String[] { "rls-services.xml", "application/rls-services+xml" },
                "pidf-manipulation", new String[] { "pidf-manipulation.xml", "application/pidf+xml" });
        for (var e : auids.entrySet()) {
            String path = doc(e.getKey(), "alice", "index");
            String body = resource(e.getValue()[0]);
            HttpResponse<String> put = send("PUT", path, body, "Content-Type", e.getValue()[1]);
            assertEquals(201, put.statusCode(), e.getKey() + ": " + put.body());
            String tag = etag(put);
            HttpResponse<String> get = send("GET", path, null);
            assertEquals(200, get.statusCode(), e.getKey());
            assertEquals(e.getValue()[1], type(get), e.getKey());
            assertEquals(body, get.body(), e.getKey());
            assertEquals(tag, etag(get), e.getKey());
            HttpResponse<String> again = send("PUT", path, body);
            assertEquals(200, again.statusCode(), e.getKey() + ": a replaced document");
            assertNotEquals(tag, etag(again), e.getKey() + ": a new ETag per change");
            HttpResponse<String> del = send("DELETE", path, null);
            assertEquals(200, del.statusCode(), e.getKey());
            assertEquals(404, send("GET", path, null).statusCode(), e.getKey() + " is gone");
        }
        String caps = "/xcap-root/xcap-caps/global/index";
        assertEquals(201, send("PUT", caps, resource("xcap-caps.xml")).statusCode());
        HttpResponse<String> got = send("GET", caps, null);
        assertEquals("application/xcap-caps+xml", type(got));
        etag(got);
        assertEquals(404, send("GET", doc("pres-rules", "nobody", "index"), null).statusCode());
        assertEquals(404, send("GET", "/xcap-root/no-such-auid/users/sip:a@example.com/index", null).statusCode());
    }

    @Test
    void conditionalRequests() throws Exception {
        String path = doc("resource-lists", "bob", "index");
        String body = resource("resource-lists.xml");
        HttpResponse<String> created = send("PUT", path, body, "If-None-Match", "*");
        assertEquals(201, created.statusCode());
        String e1 = etag(created);
        assertEquals(412, send("PUT", path, body, "If-None-Match", "*").statusCode(), "create-only, but it exists");
        HttpResponse<String> notModified = send("GET", path, null, "If-None-Match", e1);
        assertEquals(304, notModified.statusCode());
        assertEquals(e1, etag(notModified));
        assertEquals(200, send("GET", path, null, "If-None-Match", "\"other\"").statusCode());
        assertEquals(412, send("PUT", path, body, "If-Match", "\"stale\"").statusCode());
        HttpResponse<String> changed = send("PUT", path, body.replace("Carol", "Caroline"), "If-Match", e1);
        assertEquals(200, changed.statusCode());
        String e2 = etag(changed);
        assertEquals(412, send("GET", path, null, "If-Match", e1).statusCode(), "the old ETag no longer matches");
        assertEquals(412, send("DELETE", path, null, "If-Match", e1).statusCode());
        assertEquals(200, send("DELETE", path, null, "If-Match", e2).statusCode());
        assertEquals(412, send("PUT", path, body, "If-Match", e2).statusCode(), "If-Match with no document");
    }

    @Test
    void elementAndAttributeSelectors() throws Exception {
        String path = doc("resource-lists", "carol", "index");
        String tag = etag(send("PUT", path, resource("resource-lists.xml")));
        HttpResponse<String> el = send("GET", path + "/~~/resource-lists/list%5b@name=%22friends%22%5d/entry%5b2%5d", null);
        assertEquals(200, el.statusCode(), el.body());
        assertEquals("application/xcap-el+xml", type(el));
        assertTrue(el.body().startsWith("<entry") && el.body().contains("Carol") && !el.body().contains("Bob"), el.body());
        assertEquals(tag, etag(el));
        HttpResponse<String> att = send("GET", path + "/~~/rl:resource-lists/rl:list/rl:entry%5b1%5d/@uri", null);
        assertEquals(200, att.statusCode(), att.body());
        assertEquals("application/xcap-att+xml", type(att));
        assertEquals("sip:bob@example.com", att.body());
        assertEquals(404, send("GET", path + "/~~/resource-lists/list/entry%5b9%5d", null).statusCode());
        HttpResponse<String> gone = send("DELETE", path + "/~~/resource-lists/list/entry%5b1%5d", null);
        assertEquals(200, gone.statusCode());
        assertNotEquals(tag, etag(gone));
        assertFalse(send("GET", path, null).body().contains("Bob"));
    }

    @Test
    void notWellFormedAndInvalidDocumentsGet409WithTheXcapErrorBody() throws Exception {
        String path = doc("pres-rules", "erin", "index");
        HttpResponse<String> r = send("PUT", path, "<cr:ruleset xmlns:cr='urn:ietf:params:xml:ns:common-policy'><cr:rule>");
        assertEquals(409, r.statusCode());
        assertEquals("application/xcap-error+xml", type(r));
        assertTrue(r.body().contains("<xcap-error xmlns=\"urn:ietf:params:xml:ns:xcap-error\"><not-well-formed/></xcap-error>"),
                r.body());
        HttpResponse<String> wrong = send("PUT", path, resource("resource-lists.xml"));
        assertEquals(409, wrong.statusCode(), "a resource-lists document is no pres-rules document");
        assertTrue(wrong.body().contains("<schema-validation-error/>"), wrong.body());
        assertEquals(404, send("GET", path, null).statusCode(), "nothing was stored");
    }

    @Test
    void xxePayloadsAreRefusedAndNothingIsFetched() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-XCAP");
        try (ServerSocket trap = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            trap.setSoTimeout(500);
            String http = "http://127.0.0.1:" + trap.getLocalPort() + "/evil.dtd";
            String path = doc("resource-lists", "mallory", "index");
            for (String xxe : List.of(
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                            + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"><list name=\"&x;\"/></resource-lists>",
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + http + "\">]>"
                            + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\">&x;</resource-lists>",
                    "<?xml version=\"1.0\"?><!DOCTYPE resource-lists SYSTEM \"" + http + "\">"
                            + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"/>",
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"" + http + "\"> %p;]>"
                            + "<resource-lists xmlns=\"urn:ietf:params:xml:ns:resource-lists\"/>")) {
                HttpResponse<String> r = send("PUT", path, xxe);
                assertEquals(409, r.statusCode(), xxe);
                assertFalse(r.body().contains("TOP-SECRET"), r.body());
            }
            assertEquals(404, send("GET", path, null).statusCode(), "nothing was stored");
            assertThrows(SocketTimeoutException.class, trap::accept, "the server fetched no DTD or entity");
        }
        assertFalse(server.log().contains("TOP-SECRET"));
    }

    @Test
    void traversalIsRefusedAndTheServerStaysFine() throws Exception {
        assertEquals(201, send("PUT", doc("resource-lists", "victim", "index"), resource("resource-lists.xml")).statusCode());
        for (String bad : List.of("/xcap-root/resource-lists/users/sip:attacker@example.com/../sip:victim@example.com/index",
                "/xcap-root/resource-lists/users/sip:attacker@example.com/%2e%2e/sip:victim@example.com/index",
                "/xcap-root/resource-lists/users/sip:attacker@example.com/..%2fsip:victim@example.com%2findex",
                "/xcap-root/resource-lists/users/../../../etc/passwd")) {
            for (String method : List.of("GET", "DELETE", "PUT")) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    s.setSoTimeout(5000);
                    String body = method.equals("PUT") ? resource("resource-lists.xml") : "";
                    String req = method + " " + bad + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                            + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
                    s.getOutputStream().write(req.getBytes(StandardCharsets.UTF_8));
                    String status = statusLine(s.getInputStream());
                    assertTrue(status.startsWith("HTTP/1.1 400 "), method + " " + bad + ": " + status);
                }
            }
        }
        HttpResponse<String> victim = send("GET", doc("resource-lists", "victim", "index"), null);
        assertEquals(200, victim.statusCode(), "the victim's document is untouched");
        assertEquals(resource("resource-lists.xml"), victim.body());
    }

    @Test
    void xcapuriSplitsTheUriForTheScript() throws Exception {
        HttpResponse<String> r = send("GET", "/xcap-root/pres-rules/users/sip:alice@example.com/index/~~/ruleset/rule", null,
                "X-Parts", "1");
        assertEquals(200, r.statusCode());
        assertEquals("pres-rules|2|users|sip:alice@example.com|index|/xcap-root/pres-rules/users/sip:alice@example.com/index"
                + "|/ruleset/rule|rule|example.com", r.body());
    }

    @Test
    void oneConnectionCarriesSeveralRequestsWithOneReplyEach() throws Exception {
        String path = doc("pres-rules", "frank", "index");
        String body = resource("pres-rules.xml");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            String put = "PUT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/auth-policy+xml\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            String get = "GET " + path + "/~~/ruleset/rule/@id HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            s.getOutputStream().write((put + get).getBytes(StandardCharsets.UTF_8)); // pipelined
            XhttpIT.Response first = XhttpIT.read(s.getInputStream());
            assertEquals(201, first.status(), first.head());
            assertTrue(first.head().contains("\r\nETag: \""), first.head());
            XhttpIT.Response second = XhttpIT.read(s.getInputStream());
            assertEquals(200, second.status(), second.head());
            assertEquals("allow-bob", second.body());
            s.setSoTimeout(500);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(),
                    "no second reply (xhttp's 404) after xcap_server's");
        }
    }

    @Test
    void documentsKeepTheirBytesWhateverTheEncoding() throws Exception {
        String path = doc("resource-lists", "zoe", "index");
        String utf8 = resource("resource-lists.xml").replace("Carol", "Zoë Ünal 日本 $rU $var(x) $5");
        assertEquals(201, send("PUT", path, utf8).statusCode());
        assertEquals(utf8, send("GET", path, null).body());
        byte[] latin1 = ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<resource-lists xmlns=\"urn:ietf:params:xml:ns:"
                + "resource-lists\"><list name=\"Zoë\"/></resource-lists>\n").getBytes(StandardCharsets.ISO_8859_1);
        HttpRequest put = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(latin1)).build();
        assertEquals(200, HTTP.send(put, HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<byte[]> got = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(new String(latin1, StandardCharsets.ISO_8859_1), new String(got.body(), StandardCharsets.ISO_8859_1));
        HttpResponse<String> name = send("GET", path + "/~~/resource-lists/list/@name", null);
        assertEquals("Zoë", name.body(), "the attribute, read from the ISO-8859-1 document, answered in UTF-8");
    }

    @Test
    void updatesOfXcapServerAndXhttpLoseNoRequest() throws Exception {
        String path = doc("resource-lists", "grace", "index");
        String body = resource("resource-lists.xml");
        Exception[] failed = new Exception[1];
        Thread updater = new Thread(() -> {
            try {
                server.rpc.call("module.update", "xcap_server");
                server.rpc.call("module.update", "xhttp");
                server.rpc.call("module.update", "xcap_server");
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        String tag = null;
        int answered = 0;
        updater.start();
        while (updater.isAlive() || answered < 20) {
            HttpResponse<String> put = tag == null ? send("PUT", path, body) : send("PUT", path, body, "If-Match", tag);
            assertTrue(put.statusCode() == 200 || put.statusCode() == 201, "request " + answered + ": " + put.statusCode()
                    + " " + put.body());
            tag = etag(put);
            HttpResponse<String> get = send("GET", path, null);
            assertEquals(200, get.statusCode(), "request " + answered);
            assertEquals(tag, etag(get), "the document each PUT left");
            answered++;
        }
        updater.join();
        assertEquals(null, failed[0]);
        server.awaitSettled();
        assertTrue(!server.log().contains("restarts with the old"), "nothing restarted");
    }

    static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).trim();
    }
}
