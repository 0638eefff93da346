package org.siphon.core.sip.header;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.siphon.core.sip.uri.SipUri;

class HeaderParsersTest {

    @Test
    void viaWithEveryParameter() {
        Via v = Via.parse("SIP/2.0/TCP client.example.com:5061;branch=z9hG4bK74bf9;received=192.0.2.1;rport;maddr=x;ttl=16");
        assertEquals("SIP/2.0", v.protocol());
        assertEquals("tcp", v.transportLower());
        assertEquals(5061, v.port());
        assertTrue(v.isRfc3261Branch());
        assertTrue(v.hasRport());
        assertEquals(-1, v.rport());
        assertEquals("192.0.2.1", v.received());
        assertEquals("SIP/2.0/TCP client.example.com:5061;branch=z9hG4bK74bf9;received=192.0.2.1;rport;maddr=x;ttl=16",
                v.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "SIP/2.0 host", "SIP/2.0/UDP", "SIP/2.0/UDP host:99999", "SIP/2.0/UDP host;branch=",
        "SIP/2.0/UDP host;ttl=300", "SIP/2.0/UDP host;rport=x", "SIP/2.0/UDP host garbage", "SIP/2.0/UDP h;;x" })
    void badViasAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> Via.parse(text));
    }

    @Test
    void nameAddressForms() {
        NameAddress a = NameAddress.parse("\"Bob \\\"B\\\"\" <sip:bob@biloxi.com;transport=tcp>;tag=a6c85cf;expires=3600");
        assertEquals("Bob \"B\"", a.displayNameUnquoted());
        assertEquals("tcp", ((SipUri) a.uri()).transport());
        assertEquals("a6c85cf", a.tag());
        NameAddress spec = NameAddress.parse("sip:alice@atlanta.com;tag=88sja8x");
        assertEquals("sip:alice@atlanta.com", spec.uri().toString());
        assertEquals("88sja8x", spec.tag());
        NameAddress tokens = NameAddress.parse("Anonymous Caller <sip:c@x>");
        assertEquals("Anonymous Caller", tokens.displayName());
        assertTrue(NameAddress.parse(" * ").isWildcard());
        List<NameAddress> list = NameAddress.parseAll("<sip:a@x;lr>, \"x, y\" <sip:b@y>");
        assertEquals(2, list.size());
        assertEquals("\"x, y\"", list.get(1).displayName());
        assertEquals("<sip:a@x;lr>", list.get(0).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "<sip:a@x", "Bob sip:a@x", "\"unterminated <sip:a@x>", "<sip:a@x>;tag=", "sip:a@x?h=1",
        "<sip:a@x>, ", "<>", "Bad<Name <sip:a@x>" })
    void badAddressesAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> NameAddress.parseAll(text));
    }

    @Test
    void cseqAuthMediaTypeEventOptionTags() {
        assertEquals(new CSeq(4711, "INVITE"), CSeq.parse(" 4711  INVITE "));
        assertThrows(IllegalArgumentException.class, () -> CSeq.parse("2147483648 INVITE"));
        assertThrows(IllegalArgumentException.class, () -> CSeq.parse("1INVITE"));
        assertThrows(IllegalArgumentException.class, () -> CSeq.parse("1 INVITE x"));

        AuthHeader auth = AuthHeader.parse("Digest username=\"bob\", realm=\"biloxi.com\", nonce=\"dcd98b\", "
                + "uri=\"sip:bob@biloxi.com\", qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae4\", "
                + "algorithm=SHA-256");
        assertTrue(auth.isDigest());
        assertEquals("bob", auth.param("UserName"));
        assertEquals("00000001", auth.param("nc"));
        assertEquals("SHA-256", auth.param("algorithm"));
        assertThrows(IllegalArgumentException.class, () -> AuthHeader.parse("Digest realm=\"a\", realm=\"b\""));
        assertThrows(IllegalArgumentException.class, () -> AuthHeader.parse("Digest realm=\"a"));

        MediaType mt = MediaType.parse("multipart/mixed ; boundary=\"unique-boundary-1\"");
        assertTrue(mt.is("Multipart", "MIXED"));
        assertEquals("unique-boundary-1", mt.params().unquoted("boundary"));

        EventHeader ev = EventHeader.parse("presence;id=17");
        assertEquals("presence", ev.eventPackage());
        assertEquals("17", ev.id());

        assertEquals(List.of("100rel", "timer"), OptionTags.parse("100rel , timer"));
        assertEquals(List.of(), OptionTags.parse(""));
        assertThrows(IllegalArgumentException.class, () -> OptionTags.parse("a,,b"));
        assertNull(NameAddress.parse("<sip:a@x>").tag());
    }
}
