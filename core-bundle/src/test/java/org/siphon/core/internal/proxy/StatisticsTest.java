package org.siphon.core.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    private final Map<String, Object> core = new LinkedHashMap<>();
    private final Map<String, Object> usrloc = new LinkedHashMap<>();

    private List<Statistics.Source> sources(long usrlocId) {
        return List.of(new Statistics.Source(-1, core), new Statistics.Source(usrlocId, usrloc));
    }

    @Test
    void selectionAsGetStatisticsTakesIt() {
        assertTrue(Statistics.matches("all", "core:rcv_requests"));
        assertTrue(Statistics.matches("core:", "core:rcv_requests"));
        assertFalse(Statistics.matches("core:", "usrloc:registered_users"));
        assertTrue(Statistics.matches("rcv_requests", "core:rcv_requests"));
        assertTrue(Statistics.matches("core:rcv_requests", "core:rcv_requests"));
        assertFalse(Statistics.matches("requests", "core:rcv_requests"), "a name matches whole, not its tail");
    }

    @Test
    void resetCountsFromZeroAndLeavesGaugesAlone() {
        Statistics stats = new Statistics();
        core.put("core:rcv_requests", 10L);
        core.put("core:bad_msg", 2L);
        usrloc.put("usrloc:registered_users", 5);
        usrloc.put("usrloc:location-users", 5);
        Map<String, Object> before = stats.reset(sources(7), k -> Statistics.matches("all", k));
        assertEquals(Map.of("core:rcv_requests", 10L, "core:bad_msg", 2L, "usrloc:registered_users", 5,
                "usrloc:location-users", 5), before, "clear answers the values before the reset");
        core.put("core:rcv_requests", 13L);
        Map<String, Object> now = stats.read(sources(7));
        assertEquals(3L, now.get("core:rcv_requests"));
        assertEquals(0L, now.get("core:bad_msg"));
        assertEquals(5, now.get("usrloc:registered_users"), "a level is not reset");
        assertEquals(List.of("core:bad_msg", "core:rcv_requests", "usrloc:location-users", "usrloc:registered_users"),
                List.copyOf(now.keySet()), "sorted by name");
    }

    @Test
    void resetOnlyWhatIsSelected() {
        Statistics stats = new Statistics();
        core.put("core:rcv_requests", 10L);
        core.put("core:fwd_requests", 4L);
        usrloc.put("registrar:accepted_regs", 9L);
        Map<String, Object> before = stats.reset(sources(7), k -> Statistics.matches("fwd_requests", k)
                || Statistics.matches("registrar:", k));
        assertEquals(Map.of("core:fwd_requests", 4L, "registrar:accepted_regs", 9L), before);
        Map<String, Object> now = stats.read(sources(7));
        assertEquals(10L, now.get("core:rcv_requests"));
        assertEquals(0L, now.get("core:fwd_requests"));
        assertEquals(0L, now.get("registrar:accepted_regs"));
    }

    @Test
    void aRestartedModuleCountsAfreshAndItsBaselinesGo() {
        Statistics stats = new Statistics();
        usrloc.put("registrar:accepted_regs", 9L);
        stats.reset(sources(7), k -> true);
        usrloc.put("registrar:accepted_regs", 12L);
        assertEquals(3L, stats.read(sources(7)).get("registrar:accepted_regs"));
        assertEquals(12L, stats.read(sources(8)).get("registrar:accepted_regs"),
                "a new instance of the module (service 8) has no baseline");
        usrloc.put("registrar:accepted_regs", 2L);
        assertEquals(2L, stats.read(sources(7)).get("registrar:accepted_regs"),
                "service 7's baseline went with it; a counter below a baseline is never negative");
    }

    @Test
    void nonNumbersPassThrough() {
        Statistics stats = new Statistics();
        core.put("core:odd", "text");
        core.put("core:ratio", 0.5);
        assertEquals(Map.of("core:odd", "text", "core:ratio", 0.5), stats.reset(sources(7), k -> true));
        assertEquals("text", stats.read(sources(7)).get("core:odd"));
        assertEquals(0.5, stats.read(sources(7)).get("core:ratio"));
    }
}
