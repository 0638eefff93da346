package org.siphon.presence.xml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.presence.PresenceEvent;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** RFC 3858 documents: full and partial, version, the watcher's attributes, escaping. */
class WinfoEventTest {

    @Test
    void fullAndPartialDocuments() throws Exception {
        WinfoEvent e = new WinfoEvent();
        assertEquals("presence", e.watcherInfoOf());
        assertTrue(!e.publishable());
        assertEquals(PresenceEvent.ACTIVE, e.authStatus("sip:bob@example.com", "sip:bob@example.com"));
        assertEquals(PresenceEvent.TERMINATED, e.authStatus("sip:eve@example.com", "sip:bob@example.com"),
                "only the presentity watches its watchers");
        byte[] full = e.watcherInfoBody("sip:bob@example.com", List.of(
                new PresenceEvent.Watcher("t1", "sip:alice@example.com", "active", "subscribe", 30, 570),
                new PresenceEvent.Watcher("t2", "sip:o'<x>@example.com", "pending", "subscribe", 0, 600)), 0, true);
        Document d = Xml.parse(full);
        Element root = d.getDocumentElement();
        assertEquals(WinfoEvent.NS, root.getNamespaceURI());
        assertEquals("0", root.getAttribute("version"));
        assertEquals("full", root.getAttribute("state"));
        Element list = (Element) root.getElementsByTagNameNS(WinfoEvent.NS, "watcher-list").item(0);
        assertEquals("sip:bob@example.com", list.getAttribute("resource"));
        assertEquals("presence", list.getAttribute("package"));
        Element w = (Element) list.getElementsByTagNameNS(WinfoEvent.NS, "watcher").item(0);
        assertEquals("t1", w.getAttribute("id"));
        assertEquals("active", w.getAttribute("status"));
        assertEquals("30", w.getAttribute("duration-subscribed"));
        assertEquals("570", w.getAttribute("expiration"));
        assertEquals("sip:alice@example.com", w.getTextContent());
        assertEquals("sip:o'<x>@example.com", list.getElementsByTagNameNS(WinfoEvent.NS, "watcher").item(1).getTextContent());

        byte[] partial = e.watcherInfoBody("sip:bob@example.com", List.of(
                new PresenceEvent.Watcher("t1", "sip:alice@example.com", "terminated", "timeout", 600, 0)), 3, false);
        Element p = Xml.parse(partial).getDocumentElement();
        assertEquals("partial", p.getAttribute("state"));
        assertEquals("3", p.getAttribute("version"));
        Element gone = (Element) p.getElementsByTagNameNS(WinfoEvent.NS, "watcher").item(0);
        assertEquals("timeout", gone.getAttribute("event"));
        assertEquals("", gone.getAttribute("expiration"), "no expiration for a terminated watcher");
    }
}
