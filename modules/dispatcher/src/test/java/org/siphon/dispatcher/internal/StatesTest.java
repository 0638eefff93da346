package org.siphon.dispatcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.store.StoreTable;
import org.siphon.test.TestStores;

class StatesTest {

    final States states = new States(TestStores.shared().table("dispatcher"));

    Destination dest(int flags) throws Exception {
        return ListFile.destination("t", "1", "sip:127.0.0.1:5070", String.valueOf(flags), "0", "");
    }

    @Test
    void probingThresholdThenInactiveThreshold() throws Exception {
        Destination d = dest(0);
        states.sync(new DsList(List.of(d), "t"));
        assertFalse(states.pingFailed(d, 3).wentDown());
        assertEquals("TP", States.letters(states.flags(d)));
        assertTrue(states.usable(d), "trying is still selected");
        states.pingFailed(d, 3);
        States.Change down = states.pingFailed(d, 3);
        assertTrue(down.wentDown());
        assertEquals("IP", States.letters(states.flags(d)));
        assertFalse(states.usable(d));
        assertFalse(states.pingOk(d, 2, false).wentUp());
        assertTrue(states.pingOk(d, 2, false).wentUp());
        assertEquals("AP", States.letters(states.flags(d)));
    }

    @Test
    void probingModeZeroClearsTheFlagOnSuccess() throws Exception {
        Destination d = dest(Destination.PROBING);
        states.sync(new DsList(List.of(d), "t"));
        assertTrue(Prober.pinged(states.flags(d), 0));
        states.pingOk(d, 1, true);
        assertFalse(Prober.pinged(states.flags(d), 0));
        assertTrue(Prober.pinged(states.flags(d), 1));
        assertFalse(Prober.pinged(Destination.DISABLED, 1), "disabled is never pinged");
        assertFalse(Prober.pinged(Destination.PROBING, 2), "mode 2: only inactive ones");
        assertTrue(Prober.pinged(Destination.PROBING | Destination.INACTIVE, 2));
    }

    @Test
    void reloadKeepsStateUnlessTheListChangedIt() throws Exception {
        Destination d = dest(0);
        states.sync(new DsList(List.of(d), "t"));
        states.set(d, "i", 1);
        states.sync(new DsList(List.of(d), "t"));
        assertEquals("IX", States.letters(states.flags(d)));
        Destination probing = dest(Destination.PROBING);
        states.sync(new DsList(List.of(probing), "t"));
        assertEquals("AP", States.letters(states.flags(probing)));
    }

    @Test
    void replyCodesAndLetters() {
        assertTrue(Prober.accepted(200, ""));
        assertFalse(Prober.accepted(404, ""));
        assertTrue(Prober.accepted(404, "class=4"));
        assertTrue(Prober.accepted(488, "class=2;code=403;code=488;class=3"));
        assertTrue(Prober.accepted(302, "class=2;code=403;code=488;class=3"));
        assertFalse(Prober.accepted(408, "class=2;code=403"));
        assertThrows(IllegalArgumentException.class, () -> States.parse("x"));
        assertThrows(IllegalArgumentException.class, () -> States.parse("dp"));
        assertEquals(Destination.INACTIVE | Destination.PROBING, States.parse("IP"));
    }

    @Test
    void latencyStatistics() {
        StoreTable t = TestStores.shared().table("latency");
        for (double ms : new double[] { 10, 20, 30 }) {
            Latency.sample(t, "k", ms, 0.5);
        }
        Latency.sample(t, "k", -1, 0.5);
        var m = Latency.rpc(t, "k");
        assertEquals(20.0, m.get("AVG"));
        assertEquals(10.0, m.get("STD"));
        assertEquals(22.5, m.get("EST"));
        assertEquals(30L, m.get("MAX"));
        assertEquals(1L, m.get("TIMEOUT"));
    }
}
