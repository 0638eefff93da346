package org.siphon.core.sip.uri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UriParserTest {

    @Test
    void sipUriParts() {
        SipUri u = UriParser.parseSip("sips:alice:secret@Atlanta.Example.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=x&priority=urgent");
        assertTrue(u.isSecure());
        assertEquals("alice", u.user());
        assertEquals("secret", u.password());
        assertEquals("Atlanta.Example.com", u.host());
        assertEquals("atlanta.example.com", u.hostAddress());
        assertEquals(5061, u.port());
        assertEquals("tcp", u.transport());
        assertTrue(u.isLooseRouter());
        assertEquals("239.255.255.1", u.params().get("maddr"));
        assertEquals("subject=x&priority=urgent", u.headers());
    }

    @Test
    void parametersEndWhereHeadersBegin() {
        SipUri u = UriParser.parseSip("sip:h:5060;a=1;b?x=1;y=2");
        assertEquals("h", u.host());
        assertEquals(5060, u.port());
        assertEquals("1", u.params().get("a"));
        assertTrue(u.params().has("b"));
        assertNull(u.params().get("y"), "y is a header's, not a parameter");
        assertEquals("x=1;y=2", u.headers());
        assertEquals("tcp", UriParser.parseSip("sip:h;transport=tcp").transport());
    }

    @Test
    void userPartMayHoldSemicolonsAndEscapes() {
        SipUri u = UriParser.parseSip("sip:user;par=u%40example.net@example.com");
        assertEquals("user;par=u%40example.net", u.user());
        assertEquals("user;par=u@example.net", u.userDecoded());
        assertEquals("example.com", u.host());
        SipUri odd = UriParser.parseSip("sip:a?b,/;c:pa$s@example.com;p=1?h=v");
        assertEquals("a?b,/;c", odd.user());
        assertEquals("pa$s", odd.password());
        assertEquals("h=v", odd.headers());
        assertEquals("1", odd.params().get("p"));
        SipUri nul = UriParser.parseSip("sip:null-%00-null@example.com");
        assertEquals("null-\u0000-null", nul.userDecoded());
    }

    @Test
    void ipv6ReferencesAndDefaults() {
        SipUri u = UriParser.parseSip("sip:[2001:db8::10]");
        assertEquals("[2001:db8::10]", u.host());
        assertEquals("2001:db8::10", u.hostAddress());
        assertEquals(-1, u.port());
        assertEquals(5060, u.portOrDefault());
        assertEquals(5090, UriParser.parseSip("sip:[::1]:5090").port());
        assertNull(u.user());
    }

    @Test
    void printsAsWrittenUntilChanged() {
        String text = "sip:Bob@Biloxi.example.com;Transport=UDP";
        SipUri u = UriParser.parseSip(text);
        assertEquals(text, u.toString());
        assertEquals("sip:carol@Biloxi.example.com:5080;Transport=UDP", u.withUser("carol").withPort(5080).toString());
        assertEquals("sip:Bob@h;Transport=UDP;lr", u.withHost("h").withParam("lr", null).toString());
    }

    @Test
    void telAndOtherSchemes() {
        TelUri t = (TelUri) UriParser.parse("tel:+1-201-555-0123;phone-context=example.com");
        assertTrue(t.isGlobal());
        assertEquals("example.com", t.params().get("phone-context"));
        Uri http = UriParser.parse("http://www.example.com/x");
        assertTrue(http instanceof OpaqueUri);
        assertEquals("http", http.scheme());
        assertEquals("http://www.example.com/x", http.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "sip", "sip:", "nocolon", "sip:user@", "sip:@host", "sip:host:99999", "sip:host:port",
        "sip:a@b@c", "sip:ho st", "sip:[2001:db8::1", "sip:[zz::1]", "sip:host;", "sip:host;=x", "sip:u%4@h",
        "sip:<h>", "1sip:x", "tel:", "tel:abc xyz", "sip:h\u0000", "sip:host:", "sip:host:123456", "sip:[::1]x",
        "sip:[::1]:", "sip:h:5060;a;;b", "sip::5060", "sip:h;a=1;" })
    void malformedUrisAreRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> UriParser.parse(text));
    }

    @Test
    void rfc3261Equivalence() {
        assertTrue(UriParser.equivalent(UriParser.parseSip("sip:%61lice@atlanta.com;transport=TCP"),
                UriParser.parseSip("sip:alice@AtLanTa.CoM;Transport=tcp")));
        assertFalse(UriParser.equivalent(UriParser.parseSip("sip:alice@atlanta.com"),
                UriParser.parseSip("sip:ALICE@atlanta.com")));
        assertFalse(UriParser.equivalent(UriParser.parseSip("sip:bob@biloxi.com"),
                UriParser.parseSip("sip:bob@biloxi.com:5060")));
        assertFalse(UriParser.equivalent(UriParser.parseSip("sip:bob@biloxi.com"),
                UriParser.parseSip("sip:bob@biloxi.com;transport=udp")));
        assertTrue(UriParser.equivalent(UriParser.parseSip("sip:carol@chicago.com;security=on"),
                UriParser.parseSip("sip:carol@chicago.com;newparam=5")));
    }
}
