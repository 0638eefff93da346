package org.siphon.nathelper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipResponse;
import org.siphon.registrar.Locations;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;

/** NAT pings over stubs of registrar's Locations, tm's TmApi and the core's sender. */
class NatPingerTest {

    long now = 1_000_000;
    final List<Locations.Binding> table = new ArrayList<>();
    final List<String> removedContacts = new ArrayList<>();
    final List<Outgoing> sent = new ArrayList<>();
    final List<UacRequest> requests = new ArrayList<>();
    boolean answers = true;

    final Locations locations = new Locations() {
        @Override public List<Binding> contacts() { return List.copyOf(table); }
        @Override public boolean remove(String aor, String uri) {
            removedContacts.add(aor + " " + uri);
            return table.removeIf(b -> b.aor().equals(aor) && b.uri().equals(uri));
        }
    };

    final TmApi tm = new TmApi() {
        @Override public CompletableFuture<SipResponse> send(UacRequest r) {
            requests.add(r);
            String reply = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKp\r\nFrom: <" + r.from() + ">;tag=1\r\n"
                    + "To: <" + r.requestUri() + ">;tag=2\r\nCall-ID: p\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
            SipResponse resp = (SipResponse) (answers
                    ? SipMessages.parse(reply.getBytes(StandardCharsets.UTF_8), new org.siphon.core.sip.SipSource("udp",
                            new java.net.InetSocketAddress("198.51.100.7", 40123), new java.net.InetSocketAddress("127.0.0.1", 5060)))
                    : SipMessages.parse(reply.replace("200 OK", "408 Request Timeout").getBytes(StandardCharsets.UTF_8)));
            return CompletableFuture.completedFuture(resp);
        }
        @Override public int transactionCount() { return 0; }
    };

    final StatefulCore core = (StatefulCore) java.lang.reflect.Proxy.newProxyInstance(StatefulCore.class.getClassLoader(),
            new Class<?>[] { StatefulCore.class }, (p, m, a) -> {
                if (m.getName().equals("send")) {
                    sent.add((Outgoing) a[0]);
                    return CompletableFuture.completedFuture(null);
                }
                throw new UnsupportedOperationException(m.getName());
            });

    final NatPinger pinger = new NatPinger(() -> locations, () -> tm, () -> core, () -> now);

    static NatPinger.Settings settings(boolean natedOnly, int sipBflag, long timeoutMillis) {
        return new NatPinger.Settings(natedOnly, sipBflag, 8, "sip:pinger@example.net", "OPTIONS", timeoutMillis);
    }

    @Test
    void udpPingsGoToWhereTheContactRegisteredFrom() {
        table.add(new Locations.Binding("alice", "sip:alice@192.168.1.5:5060", "sip:198.51.100.7:40123", null, 1 << 6, true, now + 60_000));
        table.add(new Locations.Binding("bob", "sip:bob@203.0.113.2:5062", null, null, 0, false, now + 60_000));
        table.add(new Locations.Binding("carol", "sip:carol@10.0.0.9", "sip:198.51.100.8:5070", null, 1 << 8, true, now + 60_000));
        assertEquals(2, pinger.round(settings(false, -1, 0)), "carol has natping_disable_bflag 8");
        assertEquals("/198.51.100.7:40123", sent.get(0).destination().address().toString());
        assertEquals("\r\n\r\n", new String(sent.get(0).bytes(), StandardCharsets.US_ASCII));
        assertEquals("/203.0.113.2:5062", sent.get(1).destination().address().toString());
        sent.clear();
        assertEquals(1, pinger.round(settings(true, -1, 0)), "ping_nated_only: alice only");
        assertEquals(0, requests.size());
    }

    @Test
    void sipPingsAndTheKeepaliveTimeout() {
        table.add(new Locations.Binding("alice", "sip:alice@192.168.1.5:5060", "sip:198.51.100.7:40123", null, 1 << 7, true, now + 600_000));
        table.add(new Locations.Binding("dave", "sip:dave@192.168.1.6:5060;transport=tcp", "sip:198.51.100.9:40000;transport=tcp",
                null, 0, true, now + 600_000));
        assertEquals(1, pinger.round(settings(true, 7, 30_000)), "alice by SIP; dave gets no 4-byte ping over TCP");
        UacRequest r = requests.get(0);
        assertEquals("OPTIONS", r.method());
        assertEquals("sip:alice@192.168.1.5:5060", r.requestUri());
        assertEquals("sip:198.51.100.7:40123", r.nextHop());
        assertEquals("sip:pinger@example.net", r.from());
        answers = false; // alice's NAT binding is gone: only tm's own 408s from now on
        now += 20_000;
        pinger.round(settings(true, 7, 30_000));
        assertEquals(List.of(), removedContacts, "20 s without an answer is within keepalive_timeout");
        now += 15_000;
        pinger.round(settings(true, 7, 30_000));
        assertEquals(List.of("alice sip:alice@192.168.1.5:5060"), removedContacts);
        assertEquals(1, pinger.removed.sum());
        assertTrue(table.stream().noneMatch(b -> b.aor().equals("alice")));
    }

    @Test
    void anAnsweringContactStays() {
        table.add(new Locations.Binding("erin", "sip:erin@192.168.1.7", "sip:198.51.100.7:40200", null, 1 << 7, true, now + 600_000));
        for (int i = 0; i < 5; i++) {
            pinger.round(settings(false, 7, 30_000));
            now += 20_000;
        }
        assertEquals(List.of(), removedContacts);
        assertEquals(5, requests.size(), "ping_nated_only 0 with sipping_bflag: SIP pings to all");
    }
}
