package org.siphon.htable.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.store.SharedStoreComponent;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;

class HtableComponentTest {

    final SharedStoreComponent store = new SharedStoreComponent();
    final HtableComponent h = new HtableComponent(store, "ipban=>size=8;autoexpire=300;", "calls=>initval=10");

    private Object rpc(String method, Object... args) throws Exception {
        return h.rpcCommands().stream().filter(c -> c.name().equals(method)).findFirst().orElseThrow().handler()
                .call(new RpcParams(method, List.of(args)));
    }

    @Test
    void definitionsAsKamailioWritesThem() {
        assertEquals(new TableSpec("ipban", 300, null), TableSpec.parse("ipban=>size=8;autoexpire=300;"));
        assertEquals(10L, TableSpec.parse("calls=>initval=10").initval());
        assertThrows(IllegalArgumentException.class, () -> TableSpec.parse("broken"));
        assertThrows(IllegalArgumentException.class, () -> TableSpec.parse("t=>autoexpire=soon"));
        assertThrows(IllegalArgumentException.class, () -> HtableComponent.item("no-arrow"));
    }

    @Test
    void itemsExpireAsTheirTableSaysAndCountFromInitval() {
        h.set("ipban", "10.0.0.1", 1L);
        long at = store.table("htable:ipban").expiresAt("10.0.0.1");
        assertTrue(at > System.currentTimeMillis() + 299_000 && at <= System.currentTimeMillis() + 300_000, "autoexpire 300 s");
        assertEquals(11, h.add("calls", "alice", 1), "initval 10, then +1");
        assertEquals(1, h.add("other", "x", 1), "a table not defined counts from 0 and never expires");
        assertEquals(0, store.table("htable:other").expiresAt("x"));
        h.set("ipban", "10.0.0.1", null);
        assertNull(h.table("ipban").get("10.0.0.1"), "$null removes");
    }

    @Test
    void rpcReadsAndWritesTheTables() throws Exception {
        rpc("htable.sets", "calls", "bob", "busy");
        rpc("htable.seti", "calls", "carol", 3L);
        assertEquals(Map.of("item", Map.of("name", "bob", "value", "busy")), rpc("htable.get", "calls", "bob"));
        assertEquals(List.of(Map.of("name", "bob", "value", "busy"), Map.of("name", "carol", "value", 3L)),
                rpc("htable.dump", "calls"));
        rpc("htable.delete", "calls", "bob");
        RpcException missing = assertThrows(RpcException.class, () -> rpc("htable.get", "calls", "bob"));
        assertEquals(404, missing.code());
        List<?> tables = (List<?>) rpc("htable.listTables");
        assertEquals(List.of("calls", "ipban"), tables.stream().map(t -> ((Map<?, ?>) t).get("name")).toList());
        rpc("htable.reset", "calls");
        assertEquals(List.of(), rpc("htable.dump", "calls"));
    }

    @Test
    void contentsLiveInTheCoreStoreAndOutliveTheModule() {
        h.set("ipban", "10.0.0.9", 1L);
        HtableComponent newVersion = new HtableComponent(store, "ipban=>autoexpire=300");
        assertEquals(1L, newVersion.table("ipban").get("10.0.0.9"));
    }
}
