package org.siphon.pike.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class FloodTableTest {

    long now = 10_000;
    final FloodTable table = new FloodTable(2000, 5, 60_000, () -> now);

    private boolean hits(String ip, int n) {
        boolean hot = false;
        for (int i = 0; i < n; i++) {
            hot = table.hit(ip);
        }
        return hot;
    }

    @Test
    void aSourceAboveTheDensityFloodsAndOthersDoNot() {
        assertFalse(hits("10.0.0.1", 5), "5 per unit is allowed");
        assertTrue(table.hit("10.0.0.1"), "the 6th in one unit floods");
        assertFalse(hits("10.0.0.2", 5), "another source is not affected");
        assertEquals(List.of("10.0.0.1"), table.top(true).stream().map(FloodTable.Row::ip).toList());
    }

    @Test
    void aFloodLastsUntilAQuietUnitPasses() {
        hits("10.0.0.1", 20);
        now += 2000;
        assertTrue(table.hit("10.0.0.1"), "the next unit still sees the flooded previous one");
        now += 2000;
        assertFalse(table.hit("10.0.0.1"), "after a quiet unit (1 request) it is allowed again");
        now += 10_000;
        assertFalse(hits("10.0.0.1", 5), "counters start over after a gap");
    }

    @Test
    void idleSourcesAreForgotten() {
        hits("10.0.0.1", 3);
        now += 30_000;
        hits("10.0.0.2", 3);
        now += 31_000;
        assertEquals(1, table.expire());
        assertEquals(1, table.size());
        assertEquals("10.0.0.2", table.top(false).get(0).ip());
    }
}
