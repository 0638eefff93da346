package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Lockstep tests of the non-INVITE server transaction (RFC 3261 §17.2.2) on a virtual clock. */
class NonInviteServerTransactionTest {

    final VirtualClock clock = new VirtualClock();
    final Wire wire = new Wire();
    final TimerTable timers = new TimerTable(500, 4000, 5000, 30_000, 120_000, 180_000, 32_000);

    @Test
    void retransmissionsGetWhatTheStateHas() {
        NonInviteServerTransaction st = new NonInviteServerTransaction(false, timers, clock, wire::reply, wire);
        st.retransmission();
        assertEquals(List.of(), wire.sent, "Trying: discarded");
        st.reply(100, Wire.replyBytes(100));
        st.retransmission();
        st.reply(200, Wire.replyBytes(200));
        st.retransmission();
        assertEquals(List.of("SIP/2.0 100 X", "SIP/2.0 100 X", "SIP/2.0 200 X", "SIP/2.0 200 X"), wire.sent);
        assertFalse(st.reply(500, Wire.replyBytes(500)), "one final reply only");
        clock.advance(4999);
        assertEquals(NonInviteServerTransaction.State.COMPLETED, st.state());
        clock.advance(1);
        assertEquals(NonInviteServerTransaction.State.TERMINATED, st.state(), "Timer J = T4");
        assertEquals(List.of("terminated"), wire.events);
    }

    @Test
    void reliableTransportEndsAtTheFinalReply() {
        NonInviteServerTransaction st = new NonInviteServerTransaction(true, timers, clock, wire::reply, wire);
        st.reply(404, Wire.replyBytes(404));
        assertEquals(NonInviteServerTransaction.State.TERMINATED, st.state());
        assertEquals(0, clock.pending());
    }
}
