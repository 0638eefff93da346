package org.siphon.core.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipSource;

/** textopsx's remove_hf_value, through the script engine and on the written message. */
class HeaderValuesTest extends ScriptTestSupport {

    static SipMessage message() {
        String text = "INVITE sip:b@h SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\n"
                + "From: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\n"
                + "Supported: timer, 100rel\r\nSupported: path\r\n"
                + "Contact: <sip:a@10.0.0.1;transport=udp>;expires=60;+sip.instance=\"<urn:x>\"\r\n"
                + "Content-Length: 0\r\n\r\n";
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), true);
        m.source(new SipSource("udp", new InetSocketAddress("10.0.0.1", 5060), new InetSocketAddress("127.0.0.1", 5060)));
        return m;
    }

    private static String headers(SipMessage m) {
        String s = new String(SipMessageWriter.write(m), StandardCharsets.UTF_8);
        return s.substring(s.indexOf("Supported") < 0 ? s.indexOf("Contact") : s.indexOf("Supported"), s.indexOf("Content-Length"));
    }

    @Test
    void removesOneValueCountingAcrossFields() {
        SipMessage m = message();
        assertEquals(1L, HeaderValues.remove(m, HeaderValues.parse("Supported[2]")));
        assertEquals("Supported: timer\r\nSupported: path\r\nContact: <sip:a@10.0.0.1;transport=udp>;expires=60;"
                + "+sip.instance=\"<urn:x>\"\r\n", headers(m));
        SipMessage last = message();
        assertEquals(1L, HeaderValues.remove(last, HeaderValues.parse("supported[-1]")));
        assertEquals(-1L, HeaderValues.remove(message(), HeaderValues.parse("Supported[4]")), "there are 3 values");
    }

    @Test
    void removesEveryValueOrAParameter() {
        SipMessage m = message();
        assertEquals(1L, HeaderValues.remove(m, HeaderValues.parse("Supported")));
        assertEquals(1L, HeaderValues.remove(m, HeaderValues.parse("Contact[1].expires")));
        assertEquals("Contact: <sip:a@10.0.0.1;transport=udp>;+sip.instance=\"<urn:x>\"\r\n", headers(m));
        assertEquals(-1L, HeaderValues.remove(message(), HeaderValues.parse("Contact[1].transport")),
                "a URI parameter inside <> is not a header parameter");
        assertThrows(IllegalArgumentException.class, () -> HeaderValues.parse("Supported[0]"));
        assertThrows(IllegalArgumentException.class, () -> HeaderValues.parse("bad header[1]"));
    }

    @Test
    void theScriptCallsItAsTextopsx() throws Exception {
        ScriptRun r = run("$var(r) = remove_hf_value(\"Supported[1]\");", (org.siphon.core.sip.SipRequest) message());
        assertEquals(1L, r.var("r"));
        assertEquals("Supported: 100rel\r\nSupported: path\r\n", headers(r.message()).substring(0, 36));
    }
}
