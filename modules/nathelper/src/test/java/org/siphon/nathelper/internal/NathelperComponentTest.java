package org.siphon.nathelper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.sip.SipSource;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;
import org.siphon.test.TestMessages;

/** nathelper's functions on messages parsed by the core's API, from a UA at 198.51.100.7:40123. */
class NathelperComponentTest {

    static final String SDP = "v=0\r\no=- 1 1 IN IP4 192.168.1.5\r\ns=-\r\nc=IN IP4 192.168.1.5\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\na=rtcp:4001 IN IP4 192.168.1.5\r\n";

    static TestActionContext invite(String via, String contact, String body, String transport) {
        String text = "INVITE sip:bob@example.com SIP/2.0\r\nVia: " + via + "\r\nFrom: <sip:alice@example.com>;tag=1\r\n"
                + "To: <sip:bob@example.com>\r\nCall-ID: nat-1\r\nCSeq: 1 INVITE\r\n"
                + (contact == null ? "" : "Contact: " + contact + "\r\n")
                + (body == null ? "Content-Length: 0\r\n\r\n" : "Content-Type: application/sdp\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body);
        return TestActionContext.request(text, new SipSource(transport, new InetSocketAddress("198.51.100.7", 40123),
                new InetSocketAddress("127.0.0.1", 5060)));
    }

    static TestActionContext nated() {
        return invite("SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK1;rport", "<sip:alice@192.168.1.5:5060>;expires=60", SDP, "udp");
    }

    static TestActionContext open() {
        return invite("SIP/2.0/UDP 198.51.100.7:40123;branch=z9hG4bK2", "<sip:alice@198.51.100.7:40123>", SDP.replace(
                "192.168.1.5", "198.51.100.7"), "udp");
    }

    final NathelperComponent nh = component();

    static NathelperComponent component(Object... overrides) {
        NathelperComponent c = new NathelperComponent();
        c.activate(TestConfigs.of(NathelperComponent.Config.class, overrides));
        return c;
    }

    int call(String name, ActionContext ctx, String... args) throws Exception {
        FunctionExport f = nh.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    static String written(TestActionContext c) {
        return c.written();
    }

    @Test
    void everyNatUacTestBitTrueAndFalse() throws Exception {
        for (int bit : new int[] { 1, 2, 4, 8, 16, 128, 256 }) {
            assertEquals(1, call("nat_uac_test", nated(), Integer.toString(bit)), "bit " + bit + " on a NATed UA");
            assertEquals(-1, call("nat_uac_test", open(), Integer.toString(bit)), "bit " + bit + " on a public UA");
        }
        TestActionContext fromPrivate = TestActionContext.request("OPTIONS sip:x@y SIP/2.0\r\nVia: SIP/2.0/UDP 10.1.2.3;branch=z9hG4bK3\r\n"
                + "From: <sip:a@y>;tag=1\r\nTo: <sip:x@y>\r\nCall-ID: p\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n",
                TestMessages.udpFrom("10.1.2.3", 5060));
        assertEquals(1, call("nat_uac_test", fromPrivate, "32"));
        assertEquals(-1, call("nat_uac_test", nated(), "32"), "the source itself is public");
        assertEquals(1, call("nat_uac_test", invite("SIP/2.0/WS x.invalid;branch=z9hG4bK4", "<sip:a@x.invalid;transport=ws>",
                null, "ws"), "64"));
        assertEquals(-1, call("nat_uac_test", nated(), "64"));
        TestActionContext dst = open();
        assertEquals(-1, call("nat_uac_test", dst, "512"));
        dst.setDestination(org.siphon.core.sip.uri.UriParser.parse("sip:203.0.113.9:5080"));
        assertEquals(1, call("nat_uac_test", dst, "512"), "$du elsewhere than the R-URI");
        assertEquals(1, call("nat_uac_test", nated(), "19"), "bits combine");
        assertThrows(IllegalArgumentException.class, () -> call("nat_uac_test", nated(), "many"));
        assertEquals(-1, call("nat_uac_test", invite("SIP/2.0/UDP 198.51.100.7:40123;branch=z9hG4bK5", "garbage <<<", null,
                "udp"), "1"), "a Contact that does not parse is no private Contact");
    }

    @Test
    void privateAddresses() throws Exception {
        for (String ip : new String[] { "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.0.1", "100.64.0.1", "192.0.0.7" }) {
            assertEquals(1, call("is_rfc1918", open(), ip), ip);
        }
        for (String ip : new String[] { "172.32.0.1", "8.8.8.8", "100.128.0.1", "example.com", "::1", "10.0.0", "256.1.1.1" }) {
            assertEquals(-1, call("is_rfc1918", open(), ip), ip);
        }
        assertTrue(Addresses.isPrivate("192.0.0.100", true));
        assertTrue(!Addresses.isPrivate("192.0.0.100", false), "nat_addr_mode 0: 192.0.0.0/24 is not counted");
    }

    @Test
    void contactFixesAndReceived() throws Exception {
        TestActionContext c = nated();
        assertEquals(1, call("fix_nated_contact", c));
        assertTrue(written(c).contains("Contact: <sip:alice@198.51.100.7:40123>;expires=60\r\n"), written(c));
        TestActionContext r = nated();
        assertEquals(-1, call("fix_nated_register", r), "no received_avp set");
        NathelperComponent withAvp = component("received__avp", "$avp(RECEIVED)");
        FunctionExport f = withAvp.functions().stream().filter(e -> e.name().equals("fix_nated_register")).findFirst().orElseThrow();
        assertEquals(1, f.handler().call(r, f.fixup().apply(List.of())));
        assertEquals("sip:198.51.100.7:40123", r.avps().get("RECEIVED"));
        TestActionContext tcp = invite("SIP/2.0/TCP 192.168.1.5;branch=z9hG4bK6", "<sip:alice@192.168.1.5;transport=tcp>", null, "tcp");
        assertEquals(1, call("add_rcv_param", tcp));
        assertTrue(written(tcp).contains("Contact: <sip:alice@192.168.1.5;transport=tcp>;received=\"sip:198.51.100.7:40123;transport=tcp\""),
                written(tcp));
        assertEquals(-1, call("add_rcv_param", tcp, "1"), "into the URI over UDP only");
        TestActionContext udp = nated();
        assertEquals(1, call("add_rcv_param", udp, "1"));
        assertTrue(written(udp).contains("<sip:alice@192.168.1.5:5060;received=sip:198.51.100.7:40123>"), written(udp));
        assertEquals(-1, call("fix_nated_contact", invite("SIP/2.0/UDP a;branch=z9hG4bK7", "*", null, "udp")));
    }

    @Test
    void aliasRoundTrip() throws Exception {
        TestActionContext reg = nated();
        assertEquals(1, call("add_contact_alias", reg));
        String contact = org.siphon.core.sip.SipMessages.parse(reg.message().edits().apply().bytes(), reg.message().source())
                .header("Contact").value();
        assertTrue(contact.contains(";alias=198.51.100.7~40123~1"), contact);
        TestActionContext same = open();
        assertEquals(1, call("add_contact_alias", same));
        assertTrue(!written(same).contains("alias="), "reachable as it says: no alias");
        TestActionContext given = open();
        assertEquals(1, call("add_contact_alias", given, "203.0.113.1", "5070", "tcp"));
        assertTrue(written(given).contains(";alias=203.0.113.1~5070~2"), written(given));
        assertEquals(-1, call("add_contact_alias", open(), "not-an-ip", "5070", "tcp"));
        assertEquals(-1, call("add_contact_alias", open(), "203.0.113.1", "99999", "udp"));

        String uri = contact.substring(contact.indexOf('<') + 1, contact.indexOf('>'));
        TestActionContext inDialog = invite("SIP/2.0/UDP 203.0.113.50;branch=z9hG4bK8", null, null, "udp");
        inDialog.message().edits().setRequestUri(org.siphon.core.sip.uri.UriParser.parse(uri));
        assertEquals(1, call("handle_ruri_alias", inDialog));
        assertEquals("sip:198.51.100.7:40123", String.valueOf(inDialog.destination()));
        assertEquals("sip:alice@192.168.1.5:5060", String.valueOf(inDialog.message().edits().requestUri()), "alias removed");
        assertEquals(2, call("handle_ruri_alias", inDialog), "no alias left");
        TestActionContext bad = invite("SIP/2.0/UDP 203.0.113.50;branch=z9hG4bK9", null, null, "udp");
        bad.message().edits().setRequestUri(org.siphon.core.sip.uri.UriParser.parse("sip:a@b;alias=1.2.3.4~x~1"));
        assertEquals(-1, call("handle_ruri_alias", bad), "garbage alias");
        assertEquals(null, bad.destination());

        TestActionContext pv = invite("SIP/2.0/UDP a;branch=z9hG4bK10", "<sip:a@10.0.0.2;alias=198.51.100.7~5062~2>", null, "udp");
        assertEquals(1, call("set_alias_to_pv", pv, "$avp(aliasuri)"));
        assertEquals("sip:198.51.100.7:5062;transport=tcp", pv.avps().get("aliasuri"));
        assertEquals(-1, call("set_alias_to_pv", nated(), "$avp(aliasuri)"));
    }

    @Test
    void sdpRewriting() throws Exception {
        TestActionContext c = nated();
        assertEquals(1, call("fix_nated_sdp", c, "3"));
        String out = written(c);
        assertTrue(out.contains("c=IN IP4 198.51.100.7\r\n") && out.contains("a=rtcp:4001 IN IP4 198.51.100.7\r\n"), out);
        assertTrue(out.contains("o=- 1 1 IN IP4 192.168.1.5\r\n"), "o= only with 0x08: " + out);
        assertTrue(out.contains("a=direction:active\r\n") && out.contains("a=oldmediaip:192.168.1.5\r\n"), out);
        TestActionContext o = nated();
        assertEquals(1, call("fix_nated_sdp", o, "12", "203.0.113.77"));
        String out2 = written(o);
        assertTrue(out2.contains("o=- 1 1 IN IP4 203.0.113.77\r\n") && out2.contains("a=nortpproxy:yes\r\n")
                && out2.contains("c=IN IP4 192.168.1.5\r\n"), out2);
        assertEquals(2, call("fix_nated_sdp", open(), "2"), "nothing to replace");
        assertEquals(-1, call("fix_nated_sdp", invite("SIP/2.0/UDP a;branch=z9hG4bK11", null, null, "udp"), "2"), "no SDP");
        assertEquals(-1, call("fix_nated_sdp", invite("SIP/2.0/UDP a;branch=z9hG4bK12", null, "not sdp at all", "udp"), "2"),
                "a body that is no SDP");
        TestActionContext hold = invite("SIP/2.0/UDP 192.168.1.5;branch=z9hG4bK13", null, SDP.replace("c=IN IP4 192.168.1.5", "c=IN IP4 0.0.0.0"),
                "udp");
        call("fix_nated_sdp", hold, "2");
        assertTrue(written(hold).contains("c=IN IP4 0.0.0.0\r\n"), "a hold stays a hold");
    }

    @Test
    void recordRouteCounts() throws Exception {
        TestActionContext c = TestActionContext.request("INVITE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK14\r\n"
                + "Record-Route: <sip:p1;lr>, <sip:p2;lr>\r\nRecord-Route: <sip:p3;lr>\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:b@x>\r\nCall-ID: rr\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
                TestMessages.udpFrom("198.51.100.7", 5060));
        assertEquals(3L, nh.pseudoVariables().get(0).getter().get(c, null));
        assertEquals(2L, nh.pseudoVariables().get(1).getter().get(c, null));
    }

}
