package org.siphon.presence.xml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.presence.PresenceEvent;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** PIDF checks (well-formed, PIDF root, size, no DOCTYPE or external entity) and the aggregation of publications. */
class PidfEventTest {

    static final String NS = "urn:ietf:params:xml:ns:pidf";
    final PidfEvent event = new PidfEvent(4096, false);

    static byte[] pidf(String tuple, String extra) {
        return ("<?xml version=\"1.0\"?><presence xmlns=\"" + NS + "\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
                + "entity=\"sip:bob@example.com\"><tuple id=\"" + tuple + "\"><status><basic>open</basic></status></tuple>"
                + extra + "</presence>").getBytes(StandardCharsets.UTF_8);
    }

    static PresenceEvent.Publication pub(byte[] body, long received) {
        return new PresenceEvent.Publication("e" + received, received, received + 600, body, "", 0);
    }

    @Test
    void acceptsPidfAndRefusesTheRestWithTheParsersReason() {
        assertNull(event.check(pidf("t1", ""), "application/pidf+xml"));
        PresenceEvent.Rejection broken = event.check("<presence><tuple>".getBytes(), "application/pidf+xml");
        assertEquals(400, broken.status());
        assertTrue(broken.reason().startsWith("Bad PIDF: XML document structures must start and end"), broken.reason());
        assertTrue(!broken.reason().contains("\n"));
        PresenceEvent.Rejection notPidf = event.check("<presence xmlns=\"urn:x\"/>".getBytes(), "application/pidf+xml");
        assertEquals(400, notPidf.status());
        assertTrue(notPidf.reason().contains("root is not <presence"), notPidf.reason());
        byte[] big = pidf("t", "<note>" + "x".repeat(5000) + "</note>");
        assertEquals(413, event.check(big, "application/pidf+xml").status());
        assertNull(new PidfEvent(0, false).check(big, "application/pidf+xml"), "0: no limit of its own");
    }

    @Test
    void externalEntitiesAreNeverFetched(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        try (ServerSocket trap = new ServerSocket()) {
            trap.bind(new InetSocketAddress("127.0.0.1", 0));
            for (String system : List.of(secret.toUri().toString(), "http://127.0.0.1:" + trap.getLocalPort() + "/x")) {
                byte[] xxe = ("<?xml version=\"1.0\"?><!DOCTYPE presence [<!ENTITY x SYSTEM \"" + system + "\">]>"
                        + "<presence xmlns=\"" + NS + "\" entity=\"sip:a@b\"><note>&x;</note></presence>").getBytes();
                PresenceEvent.Rejection r = event.check(xxe, "application/pidf+xml");
                assertNotNull(r, system);
                assertEquals(400, r.status());
                assertTrue(r.reason().contains("DOCTYPE"), r.reason());
                assertTrue(!r.reason().contains("TOP-SECRET"));
            }
            trap.setSoTimeout(200);
            boolean connected;
            try (var s = trap.accept()) {
                connected = true;
            } catch (SocketTimeoutException e) {
                connected = false;
            }
            assertTrue(!connected, "the parser opened no connection");
        }
        byte[] bomb = ("<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>"
                + "<presence xmlns=\"" + NS + "\"><note>&b;</note></presence>").getBytes();
        assertEquals(400, event.check(bomb, "application/pidf+xml").status(), "no entity expansion");
    }

    @Test
    void oneBodyGoesAsPublishedSeveralAreAggregatedNewestFirst() throws Exception {
        byte[] one = pidf("phone", "");
        assertSame(one, event.notifyBody("sip:bob@example.com", List.of(pub(one, 1))));
        byte[] older = pidf("phone", "<dm:person id=\"p1\"><note>older</note></dm:person>");
        byte[] newer = pidf("laptop", "<dm:person id=\"p1\"><note>newer</note></dm:person><note>hi</note>");
        byte[] agg = event.notifyBody("sip:bob@example.com", List.of(pub(older, 1), pub(newer, 2)));
        Document d = Xml.parse(agg);
        assertEquals("presence", d.getDocumentElement().getLocalName());
        assertEquals(NS, d.getDocumentElement().getNamespaceURI());
        assertEquals("sip:bob@example.com", d.getDocumentElement().getAttribute("entity"));
        NodeList tuples = d.getElementsByTagNameNS(NS, "tuple");
        assertEquals(2, tuples.getLength());
        assertEquals("laptop", ((org.w3c.dom.Element) tuples.item(0)).getAttribute("id"), "newest first");
        NodeList persons = d.getElementsByTagNameNS("urn:ietf:params:xml:ns:pidf:data-model", "person");
        assertEquals(1, persons.getLength(), "one person per id: the newest");
        assertTrue(persons.item(0).getTextContent().contains("newer"));
        assertNull(event.notifyBody("sip:bob@example.com", List.of()), "nothing published: no body");
        assertTrue(new String(new PidfEvent(0, true).notifyBody("sip:bob@example.com", List.of()), StandardCharsets.UTF_8)
                .contains("<basic>open</basic>"), "force_dummy_presence");
    }
}
