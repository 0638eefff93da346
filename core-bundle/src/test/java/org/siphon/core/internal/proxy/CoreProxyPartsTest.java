package org.siphon.core.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.transport.ListenSpec;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.proxy.UnresolvableException;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.Via;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

class CoreProxyPartsTest {

    static SipRequest request(String via, String remoteIp, int remotePort) {
        String text = "INVITE sip:bob@example.com SIP/2.0\r\nVia: " + via + "\r\nFrom: <sip:a@x>;tag=f1\r\n"
                + "To: <sip:bob@example.com>\r\nCall-ID: call-1\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), true);
        m.source(new SipSource("udp", new InetSocketAddress(remoteIp, remotePort), new InetSocketAddress("127.0.0.1", 5060)));
        return (SipRequest) m;
    }

    private static final ViaHandling.ReceivedPolicy LITERAL = new ViaHandling.ReceivedPolicy(new Resolver(60_000, 10_000),
            false, false);

    @Test
    void receivedAndRportFollowRfc3581() {
        Via v = ViaHandling.withReceived(request("SIP/2.0/UDP client.example;branch=z9hG4bK1;rport", "192.0.2.4", 4242), LITERAL);
        assertEquals("4242", v.params().get("rport"));
        assertEquals("192.0.2.4", v.received());
        Via onlyReceived = ViaHandling.withReceived(request("SIP/2.0/UDP client.example:5060;branch=z9hG4bK1", "192.0.2.4", 5060),
                LITERAL);
        assertEquals("192.0.2.4", onlyReceived.received());
        assertFalse(onlyReceived.params().has("rport"));
        assertNull(ViaHandling.withReceived(request("SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1", "192.0.2.4", 5060), LITERAL));
        Via forced = ViaHandling.withReceived(request("SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1", "192.0.2.4", 4000), LITERAL, true);
        assertEquals(4000, forced.rport(), "force_rport() acts as if rport had been asked");
        // localhost: from the hosts file, no DNS query
        SipRequest byName = request("SIP/2.0/UDP localhost:5060;branch=z9hG4bK1", "127.0.0.1", 5060);
        assertEquals("127.0.0.1", ViaHandling.withReceived(byName, LITERAL).received());
        assertNull(ViaHandling.withReceived(byName, new ViaHandling.ReceivedPolicy(new Resolver(60_000, 10_000), true, false)),
                "dns=yes: localhost resolves to the source, so no received=");
    }

    @Test
    void viaListsAreEditedElementWise() {
        SipHeader field = SipHeader.of("Via", "SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2");
        assertEquals("SIP/2.0/UDP b;branch=z9hG4bK2", ViaHandling.withoutFirst(field));
        assertNull(ViaHandling.withoutFirst(SipHeader.of("Via", "SIP/2.0/UDP a;branch=z9hG4bK1")));
        assertEquals("SIP/2.0/UDP c;branch=z9hG4bK3, SIP/2.0/UDP b;branch=z9hG4bK2",
                ViaHandling.replaceFirst(field, Via.parse("SIP/2.0/UDP c;branch=z9hG4bK3")));
    }

    @Test
    void statelessBranchesAreStablePerRequestAndDifferPerTarget() {
        SipRequest r = request("SIP/2.0/UDP a;branch=z9hG4bKabc", "127.0.0.1", 5070);
        String b1 = branch(r, "sip:bob@10.0.0.1", "udp:10.0.0.1:5060");
        assertEquals(b1, branch(r, "sip:bob@10.0.0.1", "udp:10.0.0.1:5060"));
        assertNotEquals(b1, branch(r, "sip:bob@10.0.0.2", "udp:10.0.0.2:5060"));
        assertTrue(b1.startsWith("z9hG4bK"));
        assertTrue(b1.endsWith("." + ViaHandling.loopHash(r, UriParser.parse("sip:bob@10.0.0.1"))),
                "the loop part a request coming back is checked against");
        SipRequest old = request("SIP/2.0/UDP a;branch=1", "127.0.0.1", 5070);
        assertTrue(branch(old, "sip:bob@10.0.0.1", "x").startsWith("z9hG4bK"));
    }

    private static String branch(SipRequest r, String target, String destination) {
        Uri uri = UriParser.parse(target);
        return ViaHandling.statelessBranch(r, uri, destination, ViaHandling.loopHash(r, uri));
    }

    @Test
    void repliesCopyTheDialogHeadersAndTagFinalOnes() {
        Replies replies = new Replies("secret", "Siphon (test)");
        SipRequest r = request("SIP/2.0/UDP a;branch=z9hG4bKabc;rport", "127.0.0.1", 5070);
        String ok = new String(replies.build(r, 404, null, List.of(SipHeader.of("X-Reason", "gone"))), StandardCharsets.UTF_8);
        assertTrue(ok.startsWith("SIP/2.0 404 Not Found\r\nVia: SIP/2.0/UDP a;branch=z9hG4bKabc;rport=5070;received=127.0.0.1\r\n"),
                "RFC 3581: rport filled in, received added: " + ok);
        assertTrue(ok.contains("To: <sip:bob@example.com>;tag=" + replies.toTag(r) + "\r\n"), ok);
        assertTrue(ok.contains("Call-ID: call-1\r\nCSeq: 1 INVITE\r\nServer: Siphon (test)\r\nX-Reason: gone\r\n"), ok);
        assertTrue(ok.endsWith("Content-Length: 0\r\n\r\n"), ok);
        String trying = new String(replies.build(r, 100, null, List.of()), StandardCharsets.UTF_8);
        assertTrue(trying.contains("To: <sip:bob@example.com>\r\n"), "100 Trying carries no To tag");
        assertTrue(replies.isOwnTag(r, replies.toTag(r)));
        assertEquals("SIP/2.0 500 a b\r\n", new String(replies.build(r, 500, "a\r\nb", List.of()), StandardCharsets.UTF_8)
                .substring(0, 17), "no header injection through the reason");
        byte[] body = "v=0\r\n".getBytes(StandardCharsets.UTF_8);
        String utf8 = new String(replies.build(r, 486, "Occupé", List.of(), null, "application/sdp", body), StandardCharsets.UTF_8);
        assertTrue(utf8.startsWith("SIP/2.0 486 Occupé\r\n"), utf8);
        assertTrue(utf8.endsWith("Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n"), utf8);
        String again = new String(replies.build(r, 404, null, List.of()), StandardCharsets.UTF_8);
        assertTrue(again.startsWith("SIP/2.0 404 Not Found\r\n") && again.endsWith("Content-Length: 0\r\n\r\n"),
                "the per-thread builder starts empty: " + again);
    }

    /** RFC 3261 §18.2.1 and RFC 3581 §4 on replies made here: only what is needed is added. */
    @Test
    void repliesFillInReceivedAndRport() {
        Replies replies = new Replies("secret", null);
        String same = new String(replies.build(request("SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1", "127.0.0.1", 5070),
                200, null, List.of()), StandardCharsets.UTF_8);
        assertTrue(same.contains("\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\n"), "sent-by is the source: " + same);
        String nat = new String(replies.build(request("SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK2", "127.0.0.1", 40000),
                200, null, List.of()), StandardCharsets.UTF_8);
        assertTrue(nat.contains("\r\nVia: SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK2;received=127.0.0.1\r\n"), nat);
        SipRequest forced = request("SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK3", "127.0.0.1", 40000);
        ((org.siphon.core.internal.message.SipMessageImpl) forced).forceRport(true);
        String f = new String(replies.build(forced, 200, null, List.of()), StandardCharsets.UTF_8);
        assertTrue(f.contains("\r\nVia: SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK3;rport=40000;received=127.0.0.1\r\n"),
                "force_rport(): " + f);
        String two = new String(replies.build(request("SIP/2.0/UDP a;branch=z9hG4bK4;rport, SIP/2.0/UDP b;branch=z9hG4bK5",
                "127.0.0.1", 5071), 200, null, List.of()), StandardCharsets.UTF_8);
        assertTrue(two.contains("Via: SIP/2.0/UDP a;branch=z9hG4bK4;rport=5071;received=127.0.0.1, SIP/2.0/UDP b;branch=z9hG4bK5\r\n"),
                "only the top Via: " + two);
    }

    private static Transport fake(String proto, String host, int port, String advertise) {
        ListenSpec spec = new ListenSpec(proto, host, port, advertise, 0);
        InetSocketAddress local = new InetSocketAddress(host, port);
        return new Transport() {
            @Override public String proto() { return proto; }
            @Override public InetSocketAddress local() { return local; }
            @Override public ListenSpec spec() { return spec; }
            @Override public CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to) { return null; }
            @Override public void close() { }
        };
    }

    @Test
    void myselfMatchesListenAdvertiseAliasAndLocalhost() {
        Sockets s = new Sockets(List.of(fake("udp", "127.0.0.1", 5060, null), fake("tcp", "::1", 5070, "sip.example.com")),
                List.of("proxy.example.org", "other.example.org:5099"));
        assertTrue(s.isMyself("127.0.0.1", 5060));
        assertTrue(s.isMyself("localhost", 5060));
        assertFalse(s.isMyself("127.0.0.1", 5061));
        assertTrue(s.isMyself("[::1]", 5070));
        assertTrue(s.isMyself("[0:0:0:0:0:0:0:1]", 5070));
        assertTrue(s.isMyself("SIP.example.com", 5070));
        assertTrue(s.isMyself("proxy.example.org", 1234));
        assertTrue(s.isMyself("other.example.org", 5099));
        assertFalse(s.isMyself("other.example.org", 5060));
        assertTrue(s.isMyself("127.0.0.1", -1));
        assertFalse(s.isMyself("192.0.2.1", -1));
        assertEquals("tcp", s.pick("tcp", new InetSocketAddress("::1", 9)).proto());
        assertNull(s.pick("tcp", new InetSocketAddress("127.0.0.1", 9)));
    }

    /**
     * No DNS query leaves this test: literals are never looked up, {@code localhost} comes from the
     * hosts file, and the failure to cache is a name the JDK refuses before any lookup (an
     * unclosed IPv6 bracket, which is not a literal to the resolver).
     */
    @Test
    void resolverNeverLooksUpLiteralsAndCachesFailures() throws Exception {
        Resolver r = new Resolver(60_000, 10_000);
        assertEquals("192.0.2.7", r.resolve("192.0.2.7").getHostAddress());
        assertEquals("0:0:0:0:0:0:0:1", r.resolve("[::1]").getHostAddress());
        assertTrue(r.resolve("localhost").isLoopbackAddress());
        UnresolvableException first = assertThrows(UnresolvableException.class, () -> r.resolve("[::1"));
        assertFalse(first.getMessage().contains("cached"), first.getMessage());
        UnresolvableException cached = assertThrows(UnresolvableException.class, () -> r.resolve("[::1"));
        assertTrue(cached.getMessage().contains("cached"), cached.getMessage());
        assertTrue(Resolver.isLiteral("10.1.2.3"));
        assertFalse(Resolver.isLiteral("10.1.2"));
        assertFalse(Resolver.isLiteral("999.1.2.3"));
        assertFalse(Resolver.isLiteral("example.com"));
        assertFalse(Resolver.isLiteral("1.2.3.4."));
        assertFalse(Resolver.isLiteral("1..3.4"));
        assertFalse(Resolver.isLiteral("1.2.3.1234"));
        assertTrue(Resolver.isLiteral("255.0.0.1"));
    }

    @Test
    void hexIsFnv1a64OfThePartsWithMurmurFinish() {
        // the same function in python3 (see Hashes): pins the values so that a change is deliberate
        assertEquals("95ef7b15fee2bd14", Hashes.hex(16, "abc", null, "é"));
        assertEquals("95ef7b15fee2bd", Hashes.hex(14, "abc", null, "é"));
        assertEquals("95ef7b15fee2bd14", Hashes.hex(32, "abc", null, "é"), "at most 16 digits");
        assertEquals("0f1f9a063d230d5a", Hashes.hex(16, "ab", "c"));
        assertEquals("f7f8892eb72a7e0d", Hashes.hex(16, "a", "bc"), "where the parts split counts");
        assertNotEquals(Hashes.hex(16, "abc", ""), Hashes.hex(16, "abc", (String) null), "an empty part is not an absent one");
        assertEquals(Hashes.hex(16, "x".repeat(300)), Hashes.hex(16, "x".repeat(300)));
    }

    /** Double Record-Route: the outgoing socket's URI first (its transport, no other), then the incoming one; both r2=on. */
    @Test
    void doubleRecordRouteNamesBothSockets() {
        String written = "<sip:proxy@127.0.0.1:5060;lr;ftag=a1;transport=udp>;hp=1, <sip:other.example;lr>";
        java.util.List<String> values = org.siphon.core.sip.header.HeaderText.splitCommas(written);
        org.siphon.core.sip.header.NameAddress rr = org.siphon.core.sip.header.NameAddress.parse(values.get(0));
        String doubled = DoubleRecordRoute.doubled(rr, (org.siphon.core.sip.uri.SipUri) rr.uri(), values.subList(1, 2),
                fake("tcp", "::1", 5070, null), "tcp");
        assertEquals("<sip:[::1]:5070;transport=tcp;r2=on;lr;ftag=a1>, "
                + "<sip:proxy@127.0.0.1:5060;r2=on;lr;ftag=a1;transport=udp>;hp=1, <sip:other.example;lr>", doubled);
        String toUdp = DoubleRecordRoute.doubled(org.siphon.core.sip.header.NameAddress.parse("<sip:127.0.0.1:5080;lr>"),
                (org.siphon.core.sip.uri.SipUri) UriParser.parse("sip:127.0.0.1:5080;lr"), List.of(),
                fake("udp", "127.0.0.1", 5060, "sip.example.com"), "udp");
        assertEquals("<sip:sip.example.com:5060;r2=on;lr>, <sip:127.0.0.1:5080;r2=on;lr>", toUdp);
        assertTrue(DoubleRecordRoute.doubled(rr, (org.siphon.core.sip.uri.SipUri) rr.uri(), List.of(),
                fake("tcp", "127.0.0.1", 5070, null), "ws").startsWith("<sip:127.0.0.1:5070;transport=ws;r2=on;lr;ftag=a1>, "),
                "WebSocket rides on the TCP socket but is named ws");
    }
}
