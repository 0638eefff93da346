package org.siphon.core.internal.script;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PvTest {

    @Test
    void splitsClassInnerNameIndexAndTransformations() {
        assertArrayEquals(new String[] { "ru", null, null }, Pv.split("$ru"));
        assertArrayEquals(new String[] { "hdr", "Via", null }, Pv.split("$hdr(Via)"));
        assertArrayEquals(new String[] { "ulc", "caller=>addr[1]", null }, Pv.split("$ulc(caller=>addr)[1]"),
                "Kamailio's index reaches the name parser");
        assertArrayEquals(new String[] { "ulc", "caller=>addr[1]", "{s.len}" }, Pv.split("$(ulc(caller=>addr)[1]{s.len})"));
        assertArrayEquals(new String[] { "sht", "t=>$(ru)", null }, Pv.split("$sht(t=>$(ru))"));
    }
}
