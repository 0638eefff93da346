package org.siphon.shell.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginFailuresTest {

    @Test
    void tenFailuresInAMinuteRefuseThatAddressUntilTheMinuteIsOver() {
        AtomicLong now = new AtomicLong(120_000);
        LoginFailures f = new LoginFailures(now::get, 10);
        for (int i = 1; i <= 9; i++) {
            assertEquals(i, f.failed("127.0.0.2"));
            assertFalse(f.refused("127.0.0.2"), "after " + i + " failures");
        }
        assertEquals(10, f.failed("127.0.0.2"));
        assertTrue(f.refused("127.0.0.2"), "the tenth failure refuses the address");
        assertFalse(f.refused("127.0.0.1"), "another address still logs in");
        now.addAndGet(59_999);
        assertTrue(f.refused("127.0.0.2"), "until the minute is over");
        now.incrementAndGet();
        assertFalse(f.refused("127.0.0.2"), "the next minute starts afresh");
        assertEquals(1, f.failed("127.0.0.2"));
    }

    @Test
    void manyAddressesAreForgottenOncePastTheirMinute() {
        AtomicLong now = new AtomicLong(0);
        LoginFailures f = new LoginFailures(now::get, 10);
        for (int i = 0; i < 10_001; i++) {
            f.failed("10.0." + (i / 256) + "." + (i % 256));
        }
        now.addAndGet(60_000);
        f.failed("192.0.2.1"); // over 10,000 remembered: the old minute goes
        assertFalse(f.refused("10.0.0.0"));
        assertEquals(1, f.failed("10.0.0.0"), "forgotten, counted from 1 again");
    }
}
