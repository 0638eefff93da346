package org.siphon.core.internal.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;

/**
 * Torture messages in the categories of RFC 4475 (SIP) and RFC 5118 (IPv6), written for Siphon:
 * each valid one parses without fault and round-trips through the writer; each invalid one is
 * marked with the status and reason the server answers with. Line ends are CRLF; {@code {CL}} is
 * replaced by the real body length. Faults that only a routing decision can find (unknown URI
 * scheme 416, Proxy-Require 420, Max-Forwards 0 483) are covered by the forwarding itests.
 */
class TortureTest {

    private static final String HEADERS = """
            Via: SIP/2.0/UDP 192.0.2.2:5060;branch=z9hG4bK-torture
            From: <sip:caller@example.com>;tag=t1
            To: <sip:callee@example.com>
            Call-ID: torture-1@192.0.2.2
            CSeq: 1 INVITE
            Max-Forwards: 70
            """;

    static Stream<Arguments> valid() {
        return Stream.of(
            Arguments.of("whitespace, folding, case and compact forms", """
                INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0
                TO :
                 sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n
                from   : "J Rosenberg \\\\\\""       <sip:jdrosen@example.com>
                  ;
                  tag = 98asjd8
                MaX-fOrWaRdS: 0068
                Call-ID: wsinv.ndaksdj@192.0.2.1
                Content-Length   : {CL}
                cseq: 0009
                  INVITE
                Via  : SIP  /   2.0
                 /UDP
                    192.0.2.2;rport;branch=390skdjuw
                s :
                NewFangledHeader:   newfangled value
                 continued newfangled value
                UnknownHeaderWithUnusualValue: ;;,,;;,;
                Content-Type: application/sdp
                v:  SIP  / 2.0  / TCP     spindle.example.com   ;
                  branch  =   z9hG4bK9ikj8  ,
                 SIP  /    2.0   / UDP  192.168.255.111   ; branch=
                 z9hG4bK30239
                m:"Quoted string \\"\\"" <sip:jdrosen@example.com> ; newparam =
                      newvalue ;
                  secondparam ; q = 0.33

                v=0
                """),
            Arguments.of("unusual but legal characters everywhere", """
                !interesting-Method0123456789_*+`.%indeed'~ sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com SIP/2.0
                Via: SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~
                To: "BEL:\\\u0007 NUL:\\\u0000 DEL:\\\u007f" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>
                From: token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="\u0440\u0430\u0431\u043e\u0442\u0430\u044e\u0449\u0438\u0439";tag=_token~1'+`*%!-.
                Call-ID: intmeth.word%ZK-!.*_+'@word`~)(><:\\/"][?}{
                CSeq: 139122385 !interesting-Method0123456789_*+`.%indeed'~
                Max-Forwards: 255
                extensionHeader-!.%*+_`'~: \uFEFF\u5927\u5B9C\u7F8E\u5973
                Content-Length: {CL}

                """),
            Arguments.of("escapes and an escaped NUL in URIs", """
                INVITE sip:sips%3Auser%40example.com@example.net SIP/2.0
                To: sip:%75se%72@example.com
                From: <sip:I%20have%20spaces@example.net>;tag=938
                Max-Forwards: 87
                i: esc01.239409asdfakjkn23onasd0-3234
                CSeq: 234234 INVITE
                Via: SIP/2.0/UDP host5.example.net;rport;branch=z9hG4bKkdjuw
                C: application/sdp
                Contact: <sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31>
                Content-Length: {CL}

                v=0
                """),
            Arguments.of("NUL inside an escaped user part", """
                REGISTER sip:example.com SIP/2.0
                To: sip:null-%00-null@example.com
                From: sip:null-%00-null@example.com;tag=839923423
                Max-Forwards: 70
                Call-ID: esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf
                CSeq: 29 REGISTER
                Via: SIP/2.0/UDP host5.example.com;rport;branch=z9hG4bK209kj
                Contact: <sip:%00@host5.example.com>
                Contact: <sip:%00%00@host5.example.com>
                L:0

                """),
            Arguments.of("no space between display name and <", """
                OPTIONS sip:user@example.com SIP/2.0
                To: sip:user@example.com
                From: caller<sip:caller@example.com>;tag=323
                Max-Forwards: 70
                Call-ID: lwsdisp.1234abcd@funky.example.com
                CSeq: 60 OPTIONS
                Via: SIP/2.0/UDP funky.example.com;branch=z9hG4bKkdjuw
                l: 0

                """),
            Arguments.of("long values", """
                INVITE sip:user@example.com SIP/2.0
                To: "I have a user name of %s" <sip:%s@example.com>
                From: sip:caller@example.net;tag=%s
                Call-ID: longreq.onereallyreallyreallyreallyreallyreallyreallyreallyreallyreallylongcallid
                CSeq: 1 INVITE
                Max-Forwards: 70
                Via: SIP/2.0/TCP sip33.example.com;branch=z9hG4bK%s
                Via: SIP/2.0/TCP sip32.example.com
                Via: SIP/2.0/TCP sip31.example.com
                Contact: <sip:amazinglylongcallername@host5.example.net>
                X-Long: %s
                Content-Length: {CL}

                v=0
                """.formatted("x".repeat(200), "y".repeat(300), "z".repeat(500), "b".repeat(300), "w".repeat(8000))),
            Arguments.of("semicolons in the user part", """
                OPTIONS sip:user;par=u%40example.net@example.com SIP/2.0
                To: sip:j_user@example.com
                From: sip:caller@example.org;tag=33242
                Max-Forwards: 3
                Call-ID: semiuri.0ha0isndaksdj
                CSeq: 8 OPTIONS
                Accept: application/sdp, application/pkcs7-mime,
                        multipart/mixed, multipart/signed,
                        message/sip, message/sipfrag
                Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKkdjuw
                l: 0

                """),
            Arguments.of("unknown transports and a mixed Via list", """
                OPTIONS sip:user@example.com SIP/2.0
                To: sip:user@example.com
                From: <sip:caller@example.com>;tag=323
                Max-Forwards: 70
                Call-ID:  transports.kijh4akdnaqjkwendsasfdj
                Accept: application/sdp
                CSeq: 60 OPTIONS
                Via: SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw
                Via: SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf
                Via: SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj
                Via: SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en
                Via: SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee
                l: 0

                """),
            Arguments.of("multipart body kept as bytes", """
                MESSAGE sip:kumiko@example.org SIP/2.0
                Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport
                Max-Forwards: 70
                Route: <sip:127.0.0.1:5080>
                Identity: r5mwreLuyDRYBi/0TiPwEsY3rEVsk/G2WxhgTV1PF7hHuPLsoaXpbUNMxFTGFgKHfZDlb6pzX8PUq77hrRjkSjk8mjUx+zGDvM2WtDmfwJlK3tlCWXQX6CVcP2zp9fp2a+ycCRgcz8vXKZ81cTFz/pSgwnEtMeCekOw9GpIThH8=
                Identity-Info: <http://127.0.0.1:5080/cert>;alg=rsa-sha1
                To: <sip:kumiko@example.org>
                From: <sip:bob@example.net>;tag=ef75ae02
                Call-ID: 9df52bfc2d71b9a5@127.0.0.1
                CSeq: 1 MESSAGE
                Content-Transfer-Encoding: binary
                Content-Type: multipart/mixed;boundary=7a9cbec02ceef655
                Date: Sat, 15 Oct 2005 04:44:56 GMT
                User-Agent: SIPimp.org/0.2.5 (curses)
                Content-Length: {CL}

                --7a9cbec02ceef655
                Content-Type: text/plain
                Content-Transfer-Encoding: binary

                Hello
                --7a9cbec02ceef655--
                """),
            Arguments.of("response with an unusual reason phrase", """
                SIP/2.0 200 = 2**3 * 5**2 \u043d\u043e \u0441\u0442\u043e \u0434\u0435\u0432\u044f\u043d\u043e\u0441\u0442\u043e \u0434\u0435\u0432\u044f\u0442\u044c - \u043f\u0440\u043e\u0441\u0442\u043e\u0435
                Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923
                Call-ID: unreason.1234ksdfak3j2erwedfsASdf
                CSeq: 35 INVITE
                From: sip:user@example.com;tag=11141343
                To: sip:user@example.edu;tag=2229
                Content-Type: application/sdp
                Contact: <sip:user@host198.example.com>
                Content-Length: {CL}

                v=0
                """),
            Arguments.of("response with an empty reason phrase", """
                SIP/2.0 100 \n\
                Via: SIP/2.0/UDP 192.0.2.105;branch=z9hG4bK2398ndaoe
                Call-ID: noreason.asndj203insdf99223ndf
                CSeq: 35 INVITE
                From: <sip:user@example.com>;tag=39ansfi3
                To: <sip:user@example.edu>;tag=902jndnke3
                Content-Length: 0

                """),
            Arguments.of("IPv6 everywhere (RFC 5118)", """
                REGISTER sip:[2001:db8::10] SIP/2.0
                To: sip:user@example.com
                From: sip:user@example.com;tag=81x2
                Via: SIP/2.0/UDP [2001:db8::9:1];branch=z9hG4bKas3-111;received=2001:db8::9:255;rport=5060
                Via: SIP/2.0/UDP [2001:db8::9:255]:5070;branch=z9hG4bKas3-110
                Call-ID: SSG9559905523997077@hlau_4100
                Max-Forwards: 70
                Contact: "Caller" <sip:caller@[2001:db8::1]:5060;transport=tcp>;expires=3600
                Contact: <sip:caller@[::ffff:192.0.2.4]>
                CSeq: 98176 REGISTER
                Content-Length: 0

                """),
            Arguments.of("IPv4 and IPv6 mixed, port after the bracket", """
                BYE sip:[2001:db8::10]:5070 SIP/2.0
                To: sip:user@example.com;tag=bd76ya
                From: sip:user@example.com;tag=81x2
                Via: SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111
                Call-ID: SSG9559905523997077@hlau_4100
                Max-Forwards: 70
                CSeq: 321 BYE
                Content-Length: 0

                """),
            Arguments.of("REGISTER removing every binding", """
                REGISTER sip:example.com SIP/2.0
                Via: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bKstar
                From: <sip:u@example.com>;tag=1
                To: <sip:u@example.com>
                Call-ID: star-1
                CSeq: 5 REGISTER
                Contact: *
                Expires: 0
                Content-Length: 0

                """),
            Arguments.of("largest legal numbers", """
                OPTIONS sip:user@example.com SIP/2.0
                """ + HEADERS.replace("CSeq: 1 INVITE", "CSeq: 2147483647 OPTIONS").replace("Max-Forwards: 70", "Max-Forwards: 255")
                + "Content-Length: 0000\n\n"),
            Arguments.of("unknown method with matching CSeq, unknown URI scheme kept opaque", """
                NEWMETHOD name:user SIP/2.0
                """ + HEADERS.replace("CSeq: 1 INVITE", "CSeq: 1 NEWMETHOD") + "Content-Length: 0\n\n"));
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
            Arguments.of("Content-Length larger than the body", "400 Content-Length Larger Than Body",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS + "Content-Length: 9999\n\nv=0\n"),
            Arguments.of("negative Content-Length", "400 Bad Content-Length Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS + "Content-Length: -999\n\n"),
            Arguments.of("overflowing Content-Length", "400 Bad Content-Length Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS + "Content-Length: 9292929292929292929292\n\n"),
            Arguments.of("overflowing CSeq", "400 Bad CSeq Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("CSeq: 1 INVITE", "CSeq: 36893488147419103232 INVITE")
                + "Content-Length: 0\n\n"),
            Arguments.of("Max-Forwards beyond 255", "400 Bad Max-Forwards Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("Max-Forwards: 70", "Max-Forwards: 300")
                + "Content-Length: 0\n\n"),
            Arguments.of("unterminated quoted display name", "400 Bad From Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("From: <sip:caller", "From: \"Bel Canto <sip:caller")
                + "Content-Length: 0\n\n"),
            Arguments.of("Request-URI in angle brackets", "400 Bad Request-URI",
                "INVITE <sip:user@example.com> SIP/2.0\n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("LWS inside the Request-URI", "400 Bad Request Line",
                "INVITE sip:user@example.com; lr SIP/2.0\n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("several SP between request line elements", "400 Bad Request Line",
                "INVITE  sip:user@example.com  SIP/2.0\n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("SP after the version", "400 Bad Request Line",
                "INVITE sip:user@example.com SIP/2.0 \n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("headers in the Request-URI", "400 Bad Request-URI",
                "INVITE sip:user@example.com?Route=%3Csip:example.com%3E SIP/2.0\n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("unknown SIP version", "505 Version Not Supported",
                "INVITE sip:user@example.com SIP/7.0\n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("CSeq method not the request's", "400 CSeq Method Does Not Match Request",
                "OPTIONS sip:user@example.com SIP/2.0\n" + HEADERS + "Content-Length: 0\n\n"),
            Arguments.of("missing Call-ID", "400 Missing Call-ID Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("Call-ID: torture-1@192.0.2.2\n", "")
                + "Content-Length: 0\n\n"),
            Arguments.of("missing CSeq", "400 Missing CSeq Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("CSeq: 1 INVITE\n", "") + "Content-Length: 0\n\n"),
            Arguments.of("two From headers", "400 Multiple From Headers",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS + "From: <sip:other@example.com>;tag=2\nContent-Length: 0\n\n"),
            Arguments.of("two differing Content-Lengths", "400 Multiple Content-Length Headers",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS + "Content-Length: 0\nContent-Length: 4\n\nv=0\n"),
            Arguments.of("Via without host", "400 Bad Via Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("192.0.2.2:5060", "") + "Content-Length: 0\n\n"),
            Arguments.of("IPv6 reference without brackets in the Request-URI (RFC 5118)", "400 Bad Request-URI",
                "REGISTER sip:2001:db8::10 SIP/2.0\n" + HEADERS.replace("CSeq: 1 INVITE", "CSeq: 1 REGISTER")
                + "Content-Length: 0\n\n"),
            Arguments.of("IPv6 without brackets in Via (RFC 5118)", "400 Bad Via Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("192.0.2.2:5060", "2001:db8::9:5060")
                + "Content-Length: 0\n\n"),
            Arguments.of("unclosed IPv6 reference in Contact-less To", "400 Bad To Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("<sip:callee@example.com>", "<sip:callee@[2001:db8::10>")
                + "Content-Length: 0\n\n"),
            Arguments.of("header line without a colon", "400 Bad Header Line",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS + "This is not a header\nContent-Length: 0\n\n"),
            Arguments.of("wildcard From", "400 Bad From Header",
                "INVITE sip:user@example.com SIP/2.0\n" + HEADERS.replace("From: <sip:caller@example.com>;tag=t1", "From: *")
                + "Content-Length: 0\n\n"));
    }

    static String crlf(String text) {
        String t = text.replace("\r\n", "\n").replace("\n", "\r\n");
        int sep = t.indexOf("\r\n\r\n");
        if (t.contains("{CL}") && sep >= 0) {
            int body = t.substring(sep + 4).getBytes(StandardCharsets.UTF_8).length;
            t = t.replace("{CL}", Integer.toString(body));
        }
        return t;
    }

    @org.junit.jupiter.api.Test
    void theWhitespaceMessageMeansWhatItSays() {
        String text = (String) valid().findFirst().orElseThrow().get()[1];
        SipRequest r = (SipRequest) SipMessageParser.DEFAULT.parse(crlf(text).getBytes(StandardCharsets.UTF_8), true);
        assertEquals("98asjd8", r.from().tag());
        assertEquals("J Rosenberg \\\"", r.from().displayNameUnquoted());
        assertEquals("1918181833n", r.to().tag());
        assertEquals(9, r.cseq().number());
        assertEquals("INVITE", r.cseq().method());
        assertEquals(68, r.maxForwards());
        assertEquals(3, r.vias().size());
        assertEquals("spindle.example.com", r.vias().get(1).host());
        assertEquals("z9hG4bK30239", r.vias().get(2).branch());
        assertEquals("newfangled value continued newfangled value", r.headerValue("NewFangledHeader"));
        assertEquals("0.33", r.contacts().get(0).params().get("q"));
        assertEquals("v=0\r\n", new String(r.body(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validMessagesParseAndRoundTrip(String name, String text) {
        byte[] bytes = crlf(text).getBytes(StandardCharsets.UTF_8);
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(bytes, true);
        assertNull(m.error(), () -> name + ": " + m.error());
        SipMessage again = SipMessageParser.DEFAULT.parse(SipMessageWriter.write(m), false);
        assertNull(again.error(), () -> name + " after writing: " + again.error());
        assertEquals(m.callId(), again.callId());
        assertEquals(m.from().tag(), m.fromTag(), "the quick scan finds the From tag the full parse finds");
        assertEquals(m.to().tag(), m.toTag());
        assertEquals(m.vias(), again.vias());
        if (m instanceof SipRequest r) {
            assertEquals(r.requestUri().toString(), ((SipRequest) again).requestUri().toString());
        }
        assertEquals(new String(m.body(), StandardCharsets.UTF_8), new String(again.body(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void invalidMessagesAreMarkedWithTheirAnswer(String name, String expected, String text) {
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(crlf(text).getBytes(StandardCharsets.UTF_8), true);
        assertNotNull(m.error(), name);
        assertEquals(expected, m.error().status() + " " + m.error().reason(), name);
    }
}
