package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.proxy.Outgoing;

/** Lockstep tests of the INVITE client transaction (RFC 3261 §17.1.1, RFC 6026) on a virtual clock. */
class InviteClientTransactionTest {

    final VirtualClock clock = new VirtualClock();
    final Wire wire = new Wire();
    final TimerTable timers = new TimerTable(500, 4000, 5000, 30_000, 120_000, 180_000, 32_000);

    InviteClientTransaction start(String transport, boolean restartFr) {
        Outgoing invite = Wire.request("INVITE", transport);
        InviteClientTransaction ct = new InviteClientTransaction("z9hG4bKtest.0", invite, timers, clock, wire::send, wire,
                restartFr, r -> Requests.ack(Requests.Sent.of(Wire.parsed(invite)), invite, r));
        ct.start();
        return ct;
    }

    @Test
    void timerADoublesUntilTimerBFires() {
        InviteClientTransaction ct = start("udp", true);
        assertEquals(1, wire.sent.size());
        clock.advance(499);
        assertEquals(1, wire.sent.size());
        clock.advance(1);
        assertEquals(2, wire.sent.size(), "first retransmission at T1");
        clock.advance(1000);
        assertEquals(3, wire.sent.size(), "then 2*T1 later");
        clock.advance(2000);
        assertEquals(4, wire.sent.size());
        clock.advance(4000);
        clock.advance(8000);
        assertEquals(6, wire.sent.size(), "Timer A is not capped by T2 (sends at 0, .5, 1.5, 3.5, 7.5, 15.5 s)");
        clock.advance(30_000 - clock.now() - 1);
        assertEquals(List.of(), wire.events);
        clock.advance(1);
        assertEquals(List.of("timeout", "terminated"), wire.events, "Timer B = fr_timer");
        assertEquals(InviteClientTransaction.State.TERMINATED, ct.state());
        assertEquals(0, clock.pending());
    }

    @Test
    void provisionalStopsRetransmissionsAndSwitchesToFrInvTimer() {
        InviteClientTransaction ct = start("udp", true);
        clock.advance(500);
        ct.receive(Wire.response(180, "INVITE"));
        assertEquals(InviteClientTransaction.State.PROCEEDING, ct.state());
        int sent = wire.sent.size();
        clock.advance(20_000);
        assertEquals(sent, wire.sent.size(), "no retransmission once Proceeding");
        ct.receive(Wire.response(183, "INVITE"));
        clock.advance(119_999);
        assertEquals(List.of("response 180", "response 183"), wire.events, "fr_inv_timer restarted by the 183");
        clock.advance(1);
        assertEquals(List.of("response 180", "response 183", "timeout", "terminated"), wire.events);
    }

    @Test
    void frInvTimerNeverPassesMaxInvLifetime() {
        InviteClientTransaction ct = start("udp", true);
        clock.advance(1_000);
        ct.receive(Wire.response(180, "INVITE"));
        clock.advance(99_000);
        ct.receive(Wire.response(180, "INVITE"));
        clock.advance(79_999);
        assertEquals(List.of("response 180", "response 180"), wire.events, "restarted, but only up to 180 s");
        clock.advance(1);
        assertEquals(List.of("response 180", "response 180", "timeout", "terminated"), wire.events);
    }

    @Test
    void negativeFinalIsAckedAndItsRetransmissionsAckedAgainOnly() {
        InviteClientTransaction ct = start("udp", true);
        ct.receive(Wire.response(486, "INVITE"));
        assertEquals("ACK sip:bob@127.0.0.1:5070 SIP/2.0", wire.sent.get(1));
        assertEquals(List.of("response 486"), wire.events);
        assertEquals(0, ct.request.bytes().length, "completed: the INVITE's bytes are let go");
        assertEquals("udp", ct.request.destination().transport(), "its destination stays for tm.list");
        ct.receive(Wire.response(486, "INVITE"));
        assertEquals(3, wire.sent.size(), "the retransmitted 486 is ACKed again");
        assertEquals("ACK sip:bob@127.0.0.1:5070 SIP/2.0", wire.sent.get(2));
        assertEquals(List.of("response 486"), wire.events, "and not passed up again");
        clock.advance(4_999);
        assertEquals(InviteClientTransaction.State.COMPLETED, ct.state());
        clock.advance(1);
        assertEquals(InviteClientTransaction.State.TERMINATED, ct.state(), "Timer D = T4");
    }

    @Test
    void overTcpTimerDIsZeroAndNothingIsRetransmitted() {
        InviteClientTransaction ct = start("tcp", true);
        clock.advance(10_000);
        assertEquals(1, wire.sent.size());
        ct.receive(Wire.response(404, "INVITE"));
        assertEquals(InviteClientTransaction.State.TERMINATED, ct.state());
        assertEquals(List.of("response 404", "terminated"), wire.events);
    }

    @Test
    void every2xxPassesWhileAccepted() {
        InviteClientTransaction ct = start("udp", true);
        ct.receive(Wire.response(200, "INVITE"));
        ct.receive(Wire.response(200, "INVITE"));
        assertEquals(List.of("response 200", "response 200"), wire.events);
        assertEquals(1, wire.sent.size(), "a 2xx is ACKed end to end, not by the transaction");
        assertEquals(0, ct.request.bytes().length, "accepted: the INVITE's bytes are let go");
        clock.advance(5_000);
        assertEquals(InviteClientTransaction.State.TERMINATED, ct.state(), "Timer M");
    }

    @Test
    void transportFailureEndsTheTransaction() {
        wire.failSends = true;
        InviteClientTransaction ct = start("tcp", true);
        clock.advance(0);
        assertEquals(List.of("transport error", "terminated"), wire.events);
        assertEquals(InviteClientTransaction.State.TERMINATED, ct.state());
    }
}
