package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Lockstep tests of the non-INVITE client transaction (RFC 3261 §17.1.2) on a virtual clock. */
class NonInviteClientTransactionTest {

    final VirtualClock clock = new VirtualClock();
    final Wire wire = new Wire();
    final TimerTable timers = new TimerTable(500, 4000, 5000, 30_000, 120_000, 180_000, 32_000);

    NonInviteClientTransaction start(String transport) {
        NonInviteClientTransaction ct = new NonInviteClientTransaction("z9hG4bKtest.0", Wire.request("BYE", transport),
                timers, clock, wire::send, wire);
        ct.start();
        return ct;
    }

    /** The times (ms) at which the request went out during {@code millis}. */
    private List<Long> sendTimes(long millis) {
        List<Long> times = new ArrayList<>();
        int seen = wire.sent.size();
        times.add(0L);
        for (long t = 1; t <= millis; t++) {
            clock.advance(1);
            if (wire.sent.size() > seen) {
                seen = wire.sent.size();
                times.add(clock.now());
            }
        }
        return times;
    }

    @Test
    void timerECapsAtT2AndTimerFEndsIt() {
        start("udp");
        assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L), sendTimes(29_999));
        assertEquals(List.of(), wire.events);
        clock.advance(1);
        assertEquals(List.of("timeout", "terminated"), wire.events);
    }

    @Test
    void proceedingRetransmitsEveryT2() {
        NonInviteClientTransaction ct = start("udp");
        clock.advance(500);
        ct.receive(Wire.response(100, "BYE"));
        assertEquals(NonInviteClientTransaction.State.PROCEEDING, ct.state());
        int before = wire.sent.size();
        clock.advance(1000);
        assertEquals(before + 1, wire.sent.size(), "the pending Timer E (1 s) fires");
        clock.advance(3999);
        assertEquals(before + 1, wire.sent.size());
        clock.advance(1);
        assertEquals(before + 2, wire.sent.size(), "then every T2");
    }

    @Test
    void finalReplyWaitsTimerKThenEnds() {
        NonInviteClientTransaction ct = start("udp");
        ct.receive(Wire.response(200, "BYE"));
        ct.receive(Wire.response(200, "BYE"));
        assertEquals(List.of("response 200"), wire.events, "the retransmitted final is absorbed");
        clock.advance(4999);
        assertEquals(NonInviteClientTransaction.State.COMPLETED, ct.state());
        clock.advance(1);
        assertEquals(NonInviteClientTransaction.State.TERMINATED, ct.state());
        assertEquals(1, wire.sent.size());
    }

    @Test
    void reliableTransportEndsAtTheFinalReply() {
        NonInviteClientTransaction ct = start("tcp");
        clock.advance(20_000);
        assertEquals(1, wire.sent.size(), "no retransmission over TCP");
        ct.receive(Wire.response(404, "BYE"));
        assertEquals(List.of("response 404", "terminated"), wire.events);
        assertEquals(0, clock.pending());
    }
}
