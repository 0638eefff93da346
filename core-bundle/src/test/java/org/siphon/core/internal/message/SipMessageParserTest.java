package org.siphon.core.internal.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.SipUri;

class SipMessageParserTest {

    static final String INVITE = """
            INVITE sip:bob@biloxi.example.com SIP/2.0\r
            Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r
            Max-Forwards: 70\r
            To: Bob <sip:bob@biloxi.example.com>\r
            From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r
            Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r
            CSeq: 314159 INVITE\r
            Contact: <sip:alice@pc33.atlanta.example.com>\r
            Content-Type: application/sdp\r
            Content-Length: 4\r
            \r
            v=0
            """;

    static SipMessageImpl parse(String text, boolean datagram) {
        return SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), datagram);
    }

    @Test
    void parsesAnInviteWithItsRoutingHeaders() {
        SipRequest r = (SipRequest) parse(INVITE, true);
        assertNull(r.error());
        assertEquals("INVITE", r.method());
        assertEquals("bob", ((SipUri) r.requestUri()).user());
        assertEquals("pc33.atlanta.example.com", r.topVia().host());
        assertEquals("z9hG4bK776asdhds", r.topVia().branch());
        assertEquals(70, r.maxForwards());
        assertEquals("1928301774", r.from().tag());
        assertNull(r.to().tag());
        assertEquals("Bob", r.to().displayName());
        assertEquals("a84b4c76e66710@pc33.atlanta.example.com", r.callId());
        assertEquals(314159, r.cseq().number());
        assertEquals("application/sdp", r.contentType().essence());
        assertArrayEquals("v=0\n".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(1, r.contacts().size());
        assertTrue(r.routes().isEmpty());
        assertEquals(-1, r.expires());
    }

    @Test
    void compactFormsAnyCaseFoldingAndViaLists() {
        String text = """
                OPTIONS sip:[2001:db8::10]:5070;transport=tcp SIP/2.0\r
                v: SIP/2.0/TCP [2001:db8::9]:5060;branch=z9hG4bKa;received=2001:db8::9;rport=5061, SIP/2.0/UDP h2;branch=z9hG4bKb\r
                VIA: SIP / 2.0 / UDP h3\r
                 ;branch=z9hG4bKc\r
                f: "Alice \\"A\\"" <sip:a@x>;tag=1\r
                t: sip:b@y\r
                i: cid-1\r
                cseq:   7\t OPTIONS\r
                l: 0\r
                X-Custom:  folded\r
                \tvalue  \r
                \r
                """;
        SipMessageImpl m = parse(text, false);
        assertNull(m.error(), () -> m.error().toString());
        assertEquals(3, m.vias().size());
        assertEquals("[2001:db8::9]", m.topVia().host());
        assertEquals(5061, m.topVia().rport());
        assertEquals("2001:db8::9", m.topVia().received());
        assertEquals("h3", m.vias().get(2).host());
        assertEquals("z9hG4bKc", m.vias().get(2).branch());
        assertEquals("\"Alice \\\"A\\\"\"", m.from().displayName());
        assertEquals("Alice \"A\"", m.from().displayNameUnquoted());
        assertEquals("sip:b@y", m.to().uri().toString());
        assertEquals("folded value", m.headerValue("x-custom"));
        assertEquals(SipHeaderNames.CALL_ID, m.header("i").name());
        SipUri ruri = (SipUri) ((SipRequest) m).requestUri();
        assertEquals("2001:db8::10", ruri.hostAddress());
        assertEquals(5070, ruri.port());
        assertEquals("tcp", ruri.transport());
    }

    @Test
    void headersAreFoundByAnySpellingOfTheirName() {
        String text = "REGISTER sip:x SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nVIA: SIP/2.0/UDP h2\r\n"
                + "f: <sip:a@x>;tag=1\r\nt: <sip:x>\r\ni: c1\r\nEXPIRES: 60\r\nX-Foo: 1\r\nx-fOO: 2\r\nX-Fop: 3\r\nCSeq: 1 REGISTER\r\nl: 0\r\n\r\n";
        SipMessageImpl m = parse(text, true);
        assertNull(m.error());
        assertEquals(List.of("SIP/2.0/UDP h;branch=z9hG4bK1", "SIP/2.0/UDP h2"),
                m.headers("via").stream().map(h -> h.value()).toList());
        assertEquals(2, m.headers("V").size());
        assertEquals("60", m.headerValue("expires"));
        assertEquals("60", m.headerByCanonicalName(SipHeaderNames.EXPIRES).value());
        assertNull(m.headerByCanonicalName(SipHeaderNames.CONTACT));
        assertEquals(List.of("1", "2"), m.headers("X-FOO").stream().map(h -> h.value()).toList());
        assertEquals("2", m.headers("x-foo").get(1).value());
        assertEquals("3", m.headerValue("x-fop"));
        assertEquals(0, m.headers("X-Fo").size());
    }

    @Test
    void aResponse() {
        String text = "SIP/2.0 180 Ringing Now\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:b@y>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        SipResponse r = (SipResponse) parse(text, true);
        assertNull(r.error());
        assertEquals(180, r.status());
        assertEquals("Ringing Now", r.reason());
        assertEquals("2", r.to().tag());
    }

    @Test
    void onlyCrlfIsAKeepAlive() {
        assertNull(parse("\r\n\r\n", false));
        assertNull(parse("\r\n", true));
    }

    @Test
    void datagramBytesAfterContentLengthAreDropped() {
        SipMessageImpl m = parse(INVITE.replace("v=0\n", "v=0\nGARBAGE"), true);
        assertNull(m.error());
        assertEquals("v=0\n", new String(m.body(), StandardCharsets.UTF_8));
    }

    @Test
    void datagramWithoutContentLengthTakesTheRestAsBody() {
        SipMessageImpl m = parse(INVITE.replace("Content-Length: 4\r\n", ""), true);
        assertNull(m.error());
        assertEquals("v=0\n", new String(m.body(), StandardCharsets.UTF_8));
        String out = new String(SipMessageWriter.write(m), StandardCharsets.UTF_8);
        assertTrue(out.contains("Content-Length: 4\r\n"), out);
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "Content-Length: 4|Content-Length: 9|400 Content-Length Larger Than Body",
        "CSeq: 314159 INVITE|CSeq: 314159 BYE|400 CSeq Method Does Not Match Request",
        "CSeq: 314159 INVITE|CSeq: 3141592653589 INVITE|400 Bad CSeq Header",
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\\r\\n|Call-ID: a\\r\\nCall-ID: b\\r\\n|400 Multiple Call-ID Headers",
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\\r\\n||400 Missing Call-ID Header",
        "Max-Forwards: 70|Max-Forwards: seventy|400 Bad Max-Forwards Header",
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774|From: Alice <sip:alice@atl anta>;tag=1|400 Bad From Header",
        "SIP/2.0\\r\\nVia|SIP/7.0\\r\\nVia|505 Version Not Supported",
        "INVITE sip:bob@biloxi.example.com SIP|INVITE  sip:bob@biloxi.example.com SIP|400 Bad Request Line",
        "INVITE sip:bob@biloxi.example.com SIP|INVITE sip:bob@bil<oxi SIP|400 Bad Request-URI",
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\\r\\n||400 Missing Via Header",
        "Content-Type: application/sdp|Content Type: application/sdp|400 Bad Header Line",
        "To: Bob <sip:bob@biloxi.example.com>|To: *|400 Bad To Header",
    })
    void malformedRequestsAreMarkedWithTheFault(String from, String to, String expected) {
        String text = INVITE.replace(from.replace("\\r\\n", "\r\n"), to == null ? "" : to.replace("\\r\\n", "\r\n"));
        SipMessageImpl m = parse(text, true);
        assertNotNull(m.error(), "no error for " + expected);
        assertEquals(expected, m.error().status() + " " + m.error().reason());
    }

    @Test
    void limitsAreEnforced() {
        StringBuilder many = new StringBuilder(INVITE.replace("\r\n\r\n", "\r\n"));
        int at = many.indexOf("Content-Length");
        for (int i = 0; i < 300; i++) {
            many.insert(at, "X-H" + i + ": v\r\n");
        }
        assertEquals("Too Many Headers", parse(many.toString(), true).error().reason());
        String longLine = INVITE.replace("Max-Forwards: 70", "Subject: " + "x".repeat(20_000));
        assertEquals("Header Too Long", parse(longLine, true).error().reason());
        SipMessageImpl big = new SipMessageParser(new SipParserConfig(200, 256, 16_384)).parse(
                INVITE.getBytes(StandardCharsets.UTF_8), true);
        assertEquals(513, big.error().status());
    }

    @Test
    void aBadStatusLineMarksTheResponse() {
        SipMessageImpl m = parse("SIP/2.0 2000 OK\r\nVia: SIP/2.0/UDP h\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\n"
                + "Call-ID: c\r\nCSeq: 1 INVITE\r\n\r\n", true);
        assertTrue(m instanceof SipResponse);
        assertEquals("Bad Status Line", m.error().reason());
    }

    @Test
    void lazyHeadersAreParsedOnFirstUse() {
        SipMessage m = parse(INVITE.replace("Contact: <sip:alice@pc33.atlanta.example.com>",
                "Contact: <sip:a@h1>;q=0.5, \"B\" <sip:b@h2>;expires=60\r\nRoute: <sip:p1;lr>,<sip:p2;lr>\r\nExpires: 300"), true);
        assertEquals(2, m.contacts().size());
        assertEquals("60", m.contacts().get(1).params().get("expires"));
        assertEquals(List.of("sip:p1;lr", "sip:p2;lr"), m.routes().stream().map(a -> a.uri().toString()).toList());
        assertEquals(300, m.expires());
    }
}
