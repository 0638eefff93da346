package org.siphon.core.internal.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.siphon.core.sip.SipEdits;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.UriParser;

class SipMessageWriterTest {

    private static SipMessageImpl invite() {
        return SipMessageParserTest.parse(SipMessageParserTest.INVITE, true);
    }

    private static String text(SipMessage m) {
        return new String(SipMessageWriter.write(m), StandardCharsets.UTF_8);
    }

    @Test
    void anUneditedMessageIsWrittenAsReceived() {
        assertEquals(SipMessageParserTest.INVITE, text(invite()));
        String compact = "OPTIONS sip:x SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@x>;tag=1\r\n"
                + "t: <sip:b@y>\r\ni: c\r\nCSeq: 1 OPTIONS\r\nl: 0\r\nSubject: a\r\n  folded\r\n\r\n";
        String out = text(SipMessageParserTest.parse(compact, false));
        assertEquals(compact.replace("l: 0", "Content-Length: 0"), out);
    }

    @Test
    void replacingTheSameHeaderTwiceKeepsTheLastValue() {
        SipMessageImpl m = invite();
        SipHeader from = m.header(SipHeaderNames.FROM);
        m.edits().replace(from, "<sip:bob@x>;tag=1");
        m.edits().replace(from, "<sip:carol@x>;tag=1");
        String out = text(m);
        assertTrue(out.contains("From: <sip:carol@x>;tag=1\r\n"), out);
        assertFalse(out.contains("bob@x"), out);
        assertEquals("1928301774", m.from().tag(), "reads see the received message until apply()");
        assertEquals("carol", ((SipUri) m.edits().apply().from().uri()).user());
    }

    @Test
    void headersAreInsertedAppendedAndRemoved() {
        SipMessageImpl m = invite();
        SipEdits e = m.edits();
        e.insertFirst("Via", "SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1");
        e.append("X-Added", "1");
        SipHeader added = e.append("X-Gone", "2");
        e.remove(added);
        e.insertBefore(m.header("Call-ID"), "Record-Route", "<sip:proxy.example.com;lr>");
        assertEquals(1, e.removeAll("contact"));
        SipMessage applied = e.apply();
        assertNull(applied.error());
        assertEquals("proxy.example.com", applied.topVia().host());
        assertEquals(2, applied.vias().size());
        assertEquals("1", applied.headerValue("X-Added"));
        assertNull(applied.header("X-Gone"));
        assertTrue(applied.contacts().isEmpty());
        assertEquals(1, applied.recordRoutes().size());
        String out = text(m);
        assertTrue(out.indexOf("Record-Route") < out.indexOf("Call-ID"), out);
        assertTrue(out.indexOf("X-Added") > out.indexOf("Content-Type"), out);
    }

    @Test
    void eachKindOfChangeWorksAsTheFirstChange() {
        SipMessageImpl m = invite();
        m.edits().remove(m.header("Contact"));
        assertFalse(text(m).contains("Contact:"));
        m = invite();
        assertEquals(1, m.edits().removeAll("Max-Forwards"));
        assertFalse(text(m).contains("Max-Forwards"));
        m = invite();
        assertEquals(0, m.edits().removeAll("X-None"));
        assertTrue(m.edits().isEmpty());
        assertFalse(m.edits().changes("Contact"));
        assertEquals("70", m.edits().valueOf("Max-Forwards"));
        m = invite();
        m.edits().replace(m.header("Max-Forwards"), "69");
        m.edits().remove(m.header("Max-Forwards"));
        assertFalse(text(m).contains("Max-Forwards"));
        m = invite();
        m.edits().insertBefore(m.header("To"), "X-B", "b");
        assertTrue(text(m).contains("X-B: b\r\nTo:"), text(m));
        m = invite();
        m.edits().append("X-L", "l");
        assertEquals("l", m.edits().valueOf("X-L"));
        assertEquals(1, m.edits().removeAll("X-L"));
        assertTrue(m.edits().isEmpty());
    }

    @Test
    void requestUriAndBodyChangesRewriteStartLineAndContentLength() {
        SipMessageImpl m = invite();
        m.edits().setRequestUri(UriParser.parse("sip:bob@10.0.0.2:5080"));
        m.edits().setRequestUri(UriParser.parse("sip:bob@10.0.0.3:5080"));
        m.edits().setBody("hello body".getBytes(StandardCharsets.UTF_8), "text/plain");
        String out = text(m);
        assertTrue(out.startsWith("INVITE sip:bob@10.0.0.3:5080 SIP/2.0\r\n"), out);
        assertTrue(out.contains("Content-Length: 10\r\n"), out);
        assertTrue(out.contains("Content-Type: text/plain\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\nhello body"), out);
        SipRequest r = (SipRequest) m.edits().apply();
        assertEquals("sip:bob@10.0.0.3:5080", r.requestUri().toString());
        assertEquals("text/plain", r.contentType().essence());
    }

    @Test
    void responseStatusCanBeChanged() {
        SipMessageImpl m = SipMessageParserTest.parse("SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@y>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
                true);
        m.edits().setStatus(480, null);
        assertTrue(text(m).startsWith("SIP/2.0 480 Temporarily Unavailable\r\n"));
    }
}
