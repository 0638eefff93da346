package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Lockstep tests of the INVITE server transaction (RFC 3261 §17.2.1, RFC 6026) on a virtual clock. */
class InviteServerTransactionTest {

    final VirtualClock clock = new VirtualClock();
    final Wire wire = new Wire();
    final TimerTable timers = new TimerTable(500, 4000, 5000, 30_000, 120_000, 180_000, 32_000);

    InviteServerTransaction st(boolean reliable) {
        return new InviteServerTransaction(reliable, timers, clock, wire::reply, wire);
    }

    @Test
    void retransmittedInviteGetsTheLastProvisional() {
        InviteServerTransaction st = st(false);
        st.retransmission();
        assertEquals(List.of(), wire.sent, "nothing to resend yet");
        st.reply(100, Wire.replyBytes(100));
        st.reply(180, Wire.replyBytes(180));
        st.retransmission();
        assertEquals(List.of("SIP/2.0 100 X", "SIP/2.0 180 X", "SIP/2.0 180 X"), wire.sent);
    }

    @Test
    void negativeFinalIsRetransmittedOnTimerGUntilTheAck() {
        InviteServerTransaction st = st(false);
        st.reply(486, Wire.replyBytes(486));
        clock.advance(500);
        clock.advance(1000);
        clock.advance(2000);
        clock.advance(4000);
        clock.advance(4000);
        assertEquals(6, wire.sent.size(), "sent, then at .5, 1.5, 3.5, 7.5, 11.5 s (G capped at T2)");
        st.retransmission();
        assertEquals(7, wire.sent.size(), "an INVITE retransmission gets the final reply");
        assertTrue(st.ack());
        assertEquals(InviteServerTransaction.State.CONFIRMED, st.state());
        clock.advance(4000);
        assertEquals(7, wire.sent.size(), "no more retransmissions once confirmed");
        assertTrue(st.ack(), "ACK retransmissions are absorbed");
        clock.advance(1000);
        assertEquals(InviteServerTransaction.State.TERMINATED, st.state(), "Timer I = T4");
        assertEquals(List.of("terminated"), wire.events);
    }

    @Test
    void timerHEndsAnUnacknowledgedFinal() {
        InviteServerTransaction st = st(false);
        st.reply(404, Wire.replyBytes(404));
        clock.advance(31_999);
        assertEquals(InviteServerTransaction.State.COMPLETED, st.state());
        clock.advance(1);
        assertEquals(InviteServerTransaction.State.TERMINATED, st.state(), "Timer H = 64*T1");
        assertEquals(0, clock.pending());
    }

    @Test
    void a2xxMovesToAcceptedWhereOnly2xxPass() {
        InviteServerTransaction st = st(false);
        st.reply(200, Wire.replyBytes(200));
        assertTrue(st.reply(200, Wire.replyBytes(200)), "a retransmitted 2xx from downstream passes");
        assertFalse(st.reply(486, Wire.replyBytes(486)));
        st.retransmission();
        assertEquals(2, wire.sent.size(), "INVITE retransmissions are absorbed while Accepted");
        assertFalse(st.ack(), "an ACK for a 2xx is not the transaction's");
        clock.advance(5000);
        assertEquals(InviteServerTransaction.State.TERMINATED, st.state(), "Timer L");
    }

    @Test
    void reliableTransportsSendTheFinalOnceAndEndAtTheAck() {
        InviteServerTransaction st = st(true);
        st.reply(603, Wire.replyBytes(603));
        clock.advance(10_000);
        assertEquals(1, wire.sent.size());
        st.ack();
        assertEquals(InviteServerTransaction.State.TERMINATED, st.state(), "Timer I is 0 over TCP");
    }
}
