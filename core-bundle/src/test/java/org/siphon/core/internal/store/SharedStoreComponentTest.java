package org.siphon.core.internal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.siphon.core.store.StoreTable;

class SharedStoreComponentTest {

    long now = 1_000;
    final SharedStoreComponent store = new SharedStoreComponent(() -> now);

    @Test
    void tablesAreNamedAndKeptUntilDropped() {
        StoreTable a = store.table("a");
        a.put("k", "v", 0);
        assertSame(a, store.table("a"));
        assertEquals(Set.of("a"), store.tables());
        assertTrue(store.drop("a"));
        assertNull(store.table("a").get("k"), "dropped with its contents");
    }

    @Test
    void entriesExpire() {
        StoreTable t = store.table("t");
        t.put("short", "x", 500);
        t.put("forever", 7L, 0);
        assertEquals(1500, t.expiresAt("short"));
        assertEquals(0, t.expiresAt("forever"));
        now += 500;
        assertNull(t.get("short"));
        assertEquals(-1, t.expiresAt("short"));
        assertEquals(Map.of("forever", 7L), t.snapshot());
        assertNull(t.remove("short"));
    }

    @Test
    void forEachWalksTheLiveEntriesAndAllowsChanges() {
        StoreTable t = store.table("w");
        t.put("short", "x", 500);
        t.put("a", 1L, 0);
        t.put("b", 2L, 0);
        now += 500;
        Map<String, Object> seen = new java.util.HashMap<>();
        t.forEach((k, v) -> {
            seen.put(k, v);
            t.update(k, old -> (Long) old * 10, 0);
        });
        assertEquals(Map.of("a", 1L, "b", 2L), seen, "the expired entry is not given");
        assertEquals(Map.of("a", 10L, "b", 20L), t.snapshot());
    }

    @Test
    void addIsAtomicAndStartsFromTheInitialValue() throws Exception {
        StoreTable t = store.table("c");
        assertEquals(11, t.add("n", 1, 10, 0));
        t.put("s", "text", 0);
        assertEquals(5, t.add("s", 5, 0, 0), "a non-number counts as the initial value");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4000; i++) {
            pool.execute(() -> t.add("m", 1, 0, 0));
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(4000L, t.get("m"));
    }
}
