package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class XmlDocsTest {

    @TempDir
    Path dir;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void externalEntitiesAndDtdsAreRefusedAndNothingIsFetched() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String http = "http://127.0.0.1:" + listener.getLocalPort() + "/x.dtd";
            for (String xxe : new String[] {
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>",
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + http + "\">]><r>&x;</r>",
                    "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"" + http + "\"><r/>",
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY % p SYSTEM \"" + http + "\"> %p;]><r/>",
                    "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><r>&b;</r>",
                    "<r xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"" + secret.toUri() + "\" parse=\"text\"/></r>" }) {
                if (xxe.contains("XInclude")) {
                    Document d = XmlDocs.parse(utf8(xxe));
                    assertFalse(XmlDocs.write(d).contains("TOP-SECRET"), "XInclude is not processed");
                    continue;
                }
                XmlDocs.NotWellFormed e = assertThrows(XmlDocs.NotWellFormed.class, () -> XmlDocs.parse(utf8(xxe)), xxe);
                assertFalse(e.getMessage().contains("TOP-SECRET"));
            }
            assertThrows(SocketTimeoutException.class, listener::accept, "no connection was made to fetch a DTD or entity");
        }
    }

    @Test
    void notWellFormedEmptyAndOversized() {
        for (String bad : new String[] { "", "<a>", "<a></b>", "not xml", "<a x='1' x='2'/>", "<a/><b/>" }) {
            assertThrows(XmlDocs.NotWellFormed.class, () -> XmlDocs.parse(utf8(bad)), bad);
        }
        byte[] big = utf8("<a>" + "x".repeat(XmlDocs.MAX_BYTES) + "</a>");
        assertTrue(assertThrows(XmlDocs.NotWellFormed.class, () -> XmlDocs.parse(big)).getMessage().contains("larger"));
    }

    @Test
    void rootElementPerAuid() throws Exception {
        assertTrue(XmlDocs.validFor(XmlDocs.parse(utf8("<ruleset xmlns='urn:ietf:params:xml:ns:common-policy'/>")),
                Auid.PRES_RULES));
        assertFalse(XmlDocs.validFor(XmlDocs.parse(utf8("<ruleset/>")), Auid.PRES_RULES), "no namespace");
        assertFalse(XmlDocs.validFor(XmlDocs.parse(utf8("<ruleset xmlns='urn:ietf:params:xml:ns:common-policy'/>")),
                Auid.RESOURCE_LISTS));
    }

    @Test
    void writesElementsWithoutDeclarationAndErrorBodies() throws Exception {
        Document d = XmlDocs.parse(utf8("<a xmlns='urn:x'><b id='1'>t</b></a>"));
        assertEquals("<b id=\"1\" xmlns=\"urn:x\">t</b>", XmlDocs.write(d.getDocumentElement().getFirstChild()));
        assertTrue(XmlDocs.errorBody("not-well-formed").contains(
                "<xcap-error xmlns=\"urn:ietf:params:xml:ns:xcap-error\"><not-well-formed/></xcap-error>"));
    }
}
