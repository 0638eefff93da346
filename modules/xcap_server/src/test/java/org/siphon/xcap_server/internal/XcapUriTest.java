package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class XcapUriTest {

    static final String ROOT = "/xcap-root/";

    @Test
    void splitsAUsersDocumentWithNodeSelector() throws Exception {
        XcapUri u = XcapUri.parse("/xcap-root/pres-rules/users/sip:alice@example.com/index/~~/ruleset/rule%5b@id=%22a%22%5d/@id",
                ROOT);
        assertEquals("/xcap-root", u.root());
        assertEquals("pres-rules", u.auid());
        assertEquals(Auid.PRES_RULES, u.usage());
        assertEquals("users", u.tree());
        assertEquals("sip:alice@example.com", u.xuid());
        assertEquals("index", u.file());
        assertEquals("/xcap-root/pres-rules/users/sip:alice@example.com/index", u.adoc());
        assertEquals("pres-rules/users/sip:alice@example.com/index", u.rdoc());
        assertEquals("/ruleset/rule[@id=\"a\"]/@id", u.node());
        assertEquals("@id", u.target());
        assertEquals("example.com", u.domain());
        assertEquals(u.adoc(), u.uriAdoc());
        assertEquals(2L, u.key("type"));
    }

    @Test
    void globalTreeAbsoluteUriNestedFileAndXmlns() throws Exception {
        XcapUri g = XcapUri.parse("/xcap-root/xcap-caps/global/index", ROOT);
        assertEquals("global", g.tree());
        assertEquals("", g.xuid());
        assertEquals("index", g.file());
        assertEquals("", g.node());
        XcapUri a = XcapUri.parse("http://xcap.example.com:5060/xcap-root/resource-lists/users/bob/dir/friends.xml/~~/"
                + "rl:resource-lists/rl:list?xmlns(rl=urn:ietf:params:xml:ns:resource-lists)", ROOT);
        assertEquals("http://xcap.example.com:5060/xcap-root", a.root());
        assertEquals("dir/friends.xml", a.file());
        assertEquals("/xcap-root/resource-lists/users/bob/dir/friends.xml", a.adoc());
        assertEquals("http://xcap.example.com:5060/xcap-root/resource-lists/users/bob/dir/friends.xml", a.uriAdoc());
        assertEquals("urn:ietf:params:xml:ns:resource-lists", a.namespaces().get("rl"));
        assertEquals("rl:list", a.target());
        assertEquals("", a.domain());
    }

    @Test
    void otherRootsAndTheDefaultKeys() throws Exception {
        XcapUri u = XcapUri.parse("/xcap/pidf-manipulation/users/sip:a@b/index", "xcap");
        assertEquals("/xcap", u.root());
        assertEquals(5L, u.key("type"));
        assertEquals(u.uri(), u.key("data"));
        assertEquals(0L, XcapUri.parse("/xcap-root/unknown/users/x/index", ROOT).key("type"));
    }

    @Test
    void traversalAndMalformedUrisAreRefused() {
        for (String bad : new String[] { "/xcap-root/pres-rules/users/sip:a@b/../sip:c@d/index",
                "/xcap-root/pres-rules/users/../../etc/passwd", "/xcap-root/pres-rules/users/sip:a@b/%2e%2e/x",
                "/xcap-root/pres-rules/users/sip:a@b/a%2fb", "/xcap-root/pres-rules/users/sip:a@b/a%5cb",
                "/xcap-root/pres-rules/users/sip:a@b//index", "/xcap-root/pres-rules/users/sip:a@b/./index",
                "/xcap-root/pres-rules/users/sip:a@b/in%00dex", "/other/pres-rules/users/sip:a@b/index",
                "/xcap-root/pres-rules/users/sip:a@b", "/xcap-root/pres-rules/people/x/index", "",
                "/xcap-root/pres-rules/users/" + "u".repeat(300) + "/index" }) {
            XcapUri.Invalid e = assertThrows(XcapUri.Invalid.class, () -> XcapUri.parse(bad, ROOT), bad);
            assertTrue(!e.getMessage().isEmpty());
        }
    }

    @Test
    void decodesUtf8AndKeepsBadEscapes() {
        assertEquals("é a", XcapUri.decode("%C3%A9%20a"));
        assertEquals("%zz%4", XcapUri.decode("%zz%4"));
    }
}
