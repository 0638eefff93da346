package org.siphon.sanity.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class SanityComponentTest {

    private final List<String> replies = new ArrayList<>();

    private SanityComponent sanity(int autodrop, String proxyRequire) {
        SanityComponent s = new SanityComponent(new StubSipCore() {
            @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) {
                SanityComponentTest.this.replies.add(status + " " + reason + (extra.isEmpty() ? "" : " | " + extra.get(0)));
            }
        });
        s.activate(config(999, autodrop, proxyRequire));
        return s;
    }

    private static SanityComponent.Config config(int defaultChecks, int autodrop, String proxyRequire) {
        return new SanityComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return SanityComponent.Config.class; }
            @Override public int default__checks() { return defaultChecks; }
            @Override public int uri__checks() { return 7; }
            @Override public int autodrop() { return autodrop; }
            @Override public String proxy__require() { return proxyRequire; }
        };
    }

    private static TestActionContext ctx(String ruri, String via, String extra) {
        String text = "INVITE " + ruri + " SIP/2.0\r\nVia: " + via + "\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\n"
                + "Call-ID: c\r\nCSeq: 1 INVITE\r\n" + extra + "Content-Length: 0\r\n\r\n";
        return new TestActionContext(TestMessages.parse(text), RouteType.REQUEST);
    }

    private int run(SanityComponent s, TestActionContext c, String... args) throws Exception {
        var f = s.functions().get(0);
        return f.handler().call(c, f.fixup().apply(List.of(args)));
    }

    @Test
    void aSaneRequestPasses() throws Exception {
        assertEquals(1, run(sanity(1, ""), ctx("sip:b@x", "SIP/2.0/UDP h;branch=z9hG4bK1", "Expires: 60\r\n"), "4095", "15"));
        assertEquals(List.of(), replies);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "unknown R-URI scheme => name:user => SIP/2.0/UDP h;branch=z9hG4bK1 => => 2 => 416 Unsupported URI Scheme in Request URI",
        "unknown Via transport => sip:b@x => SIP/2.0/PIGEON h;branch=z9hG4bK1 => => 16 => 400 Unsupported Transport in Topmost Via",
        "bad Expires => sip:b@x => SIP/2.0/UDP h;branch=z9hG4bK1 => Expires: soon\\r\\n => 256 => 400 Expires value is illegal",
        "Proxy-Require => sip:b@x => SIP/2.0/UDP h;branch=z9hG4bK1 => Proxy-Require: foo\\r\\n => 512 => 420 Bad Extension | Unsupported: foo",
        "bad Contact => sip:b@x => SIP/2.0/UDP h;branch=z9hG4bK1 => Contact: <sip:a@>\\r\\n => 1024 => 400 Bad Contact URI",
        "bad credentials => sip:b@x => SIP/2.0/UDP h;branch=z9hG4bK1 => Authorization: Digest realm=\\\"x\\r\\n => 2048 => 400 Credentials header is invalid",
        "missing credentials => sip:b@x => SIP/2.0/UDP h;branch=z9hG4bK1 => Authorization: Digest realm=\\\"x\\\"\\r\\n => 2048 => 400 Credentials missing" })
    void failedChecksAreAnsweredAndEndTheScript(String name, String ruri, String via, String extra, String checks, String reply)
            throws Exception {
        String headers = extra == null ? "" : extra.replace("\\r\\n", "\r\n").replace("\\\"", "\"");
        assertEquals(0, run(sanity(1, ""), ctx(ruri, via, headers), checks, "15"), name);
        assertEquals(List.of(reply), replies);
    }

    @Test
    void theLowestFailedCheckIsTheOneAnswered() throws Exception {
        // bits 2 (R-URI scheme) and 256 (Expires) both fail: Kamailio's order, lowest bit first
        assertEquals(0, run(sanity(1, ""), ctx("name:user", "SIP/2.0/UDP h;branch=z9hG4bK1", "Expires: soon\r\n"), "258", "15"));
        assertEquals(List.of("416 Unsupported URI Scheme in Request URI"), replies);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "bad From URI => <sip:a@>;tag=1 => <sip:b@x> => 400 Bad From URI",
        "bad To URI => <sip:a@x>;tag=1 => <sip:b@> => 400 Bad To URI" })
    void fromAndToUrisAreParsedByCheck1024(String name, String from, String to, String reply) throws Exception {
        String text = "INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: " + from + "\r\nTo: " + to
                + "\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        var c = new TestActionContext(TestMessages.parse(text), RouteType.REQUEST);
        assertEquals(1, run(sanity(1, ""), c, "1024", "1"), name + ": only the Request-URI asked for");
        assertEquals(0, run(sanity(1, ""), c, "1024", "7"), name);
        assertEquals(List.of(reply), replies);
    }

    @Test
    void withoutAutodropAFailedCheckIsFalse() throws Exception {
        assertEquals(-1, run(sanity(0, ""), ctx("name:user", "SIP/2.0/UDP h;branch=z9hG4bK1", "")));
        assertEquals(1, run(sanity(1, "foo"), ctx("sip:b@x", "SIP/2.0/UDP h;branch=z9hG4bK1", "Proxy-Require: foo\r\n"), "512"),
                "an option tag named in proxy_require is supported");
        assertThrows(IllegalArgumentException.class, () -> sanity(1, "").functions().get(0).fixup().apply(List.of("all")));
    }

    /** cfg.reload: the export registered at activation uses the new autodrop, proxy_require and default_checks. */
    @Test
    void changedParametersApplyInPlace() throws Exception {
        SanityComponent s = sanity(1, "");
        var registered = s.functions().get(0);
        TestActionContext foo = ctx("sip:b@x", "SIP/2.0/UDP h;branch=z9hG4bK1", "Proxy-Require: foo\r\n");
        assertEquals(0, registered.handler().call(foo, registered.fixup().apply(List.of("512"))), "foo unsupported, autodrop");
        assertEquals(List.of("420 Bad Extension | Unsupported: foo"), replies);
        TestActionContext badScheme = ctx("name:user", "SIP/2.0/UDP h;branch=z9hG4bK1", "");
        assertEquals(0, registered.handler().call(badScheme, new Object[0]), "default_checks 999 has bit 2");

        s.modified(config(512, 0, "foo"));
        replies.clear();
        assertEquals(1, registered.handler().call(foo, registered.fixup().apply(List.of("512"))), "foo is supported now");
        assertEquals(1, registered.handler().call(badScheme, new Object[0]), "default_checks 512 leaves the scheme alone");
        TestActionContext bar = ctx("sip:b@x", "SIP/2.0/UDP h;branch=z9hG4bK1", "Proxy-Require: bar\r\n");
        assertEquals(-1, registered.handler().call(bar, new Object[0]), "autodrop 0: a failed check is false");
        assertEquals(List.of("420 Bad Extension | Unsupported: bar"), replies);
        assertEquals(java.util.Set.of(), s.restartParameters());
    }

    /** The stock kamailio.cfg calls sanity_check("17604", "6") in reply_route: a reply is checked, never answered. */
    @Test
    void aReplyIsCheckedWithoutAnAnswer() throws Exception {
        String good = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:b@x>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        assertEquals(1, run(sanity(0, ""), reply(good), "17604", "6"));
        String badFrom = good.replace("From: <sip:a@x>", "From: <sip:a@>");
        assertEquals(-1, run(sanity(0, ""), reply(badFrom), "17604", "6"), "From URI parsed (1024, uri_checks 2)");
        assertEquals(-1, run(sanity(0, ""), reply(good.replace("tag=2", "tag=2;tag=3")), "4096"), "duplicate To tag");
        assertEquals(1, run(sanity(0, ""), reply(good.replace("CSeq: 1 INVITE", "CSeq: 1 BYE")), "32"),
                "the CSeq method check is one for requests only");
        assertEquals(List.of(), replies, "nothing answers a reply");
        assertEquals(java.util.Set.of(RouteType.REQUEST, RouteType.ONREPLY), sanity(0, "").functions().get(0).routeTypes());
    }

    private static TestActionContext reply(String text) {
        return new TestActionContext(TestMessages.parse(text),
                RouteType.ONREPLY);
    }
}
