package org.siphon.htable.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.store.SharedStore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;
import org.siphon.test.TestStores;

class HtableComponentTest {

    final SharedStore store = TestStores.shared();
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

    private static HtableComponent.Config config(String... definitions) {
        return new HtableComponent.Config() {
            @Override public Class<? extends java.lang.annotation.Annotation> annotationType() { return HtableComponent.Config.class; }
            @Override public String[] htable() { return definitions; }
        };
    }

    /** cfg.reload: new autoexpire and initval apply to the next set or increment; the items set before stay. */
    @Test
    void changedDefinitionsApplyInPlaceAndTheItemsStay() throws Exception {
        rpc("htable.sets", "ipban", "10.0.0.1", "banned");
        long before = store.table("htable:ipban").expiresAt("10.0.0.1");
        assertEquals(11, h.add("calls", "alice", 1));

        h.modified(config("ipban=>autoexpire=60", "calls=>initval=100", "fresh=>initval=5"));
        assertEquals(Map.of("item", Map.of("name", "10.0.0.1", "value", "banned")), rpc("htable.get", "ipban", "10.0.0.1"),
                "an item set before the change is still there");
        assertEquals(before, store.table("htable:ipban").expiresAt("10.0.0.1"), "and keeps the expiry it was given");
        rpc("htable.sets", "ipban", "10.0.0.2", "banned");
        long at = store.table("htable:ipban").expiresAt("10.0.0.2");
        assertTrue(at > System.currentTimeMillis() + 59_000 && at <= System.currentTimeMillis() + 60_000, "autoexpire 60 s now");
        assertEquals(12, h.add("calls", "alice", 1), "a counter continues");
        assertEquals(101, h.add("calls", "bob", 1), "a new one starts from the new initval");
        assertEquals(6, h.add("fresh", "x", 1), "a table defined by the change");
        List<?> tables = (List<?>) rpc("htable.listTables");
        assertEquals(Map.of("name", "ipban", "autoexpire", 60L, "initval", "", "items", 2),
                tables.stream().filter(t -> ((Map<?, ?>) t).get("name").equals("ipban")).findFirst().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> h.modified(config("ipban=>autoexpire=soon")));
        assertEquals(101, h.add("calls", "carol", 1), "a refused change leaves the definitions as they were");
        assertEquals(java.util.Set.of(), h.restartParameters());
    }

    /**
     * {@code $sht(t=>$ci:$subs(callid))}: the pseudo-variables in a key are read through the handle of
     * the run that reads the item, for that run's message (the handle sees the run's attributes:
     * core's RunHandleTest); one the handle cannot read is {@code <null>}, as in Kamailio's keys.
     */
    @Test
    void pseudoVariablesInAKeyAreReadThroughTheRunsHandleForItsMessage() {
        TestActionContext ctx = new TestActionContext(TestMessages.parse("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: c-9\r\n\r\n"),
                RouteType.REQUEST) {
            @Override
            public ScriptHandle scriptHandle() {
                ActionContext run = this;
                return new ScriptHandle() {
                    @Override public boolean hasRoute(String block) { return false; }
                    @Override public ActionContext run(String b, RouteType t, SipMessage m, Map<String, Object> a) { return null; }
                    @Override public Object value(String pv, SipMessage m) {
                        return switch (pv) {
                            case "$ci" -> m.callId();
                            case "$subs(callid)" -> run.attribute("subs");
                            default -> null;
                        };
                    }
                };
            }
        };
        ctx.attribute("subs", "s-1");
        HtableComponent.Item item = HtableComponent.item("t=>$ci:$subs(callid):$nope");
        assertTrue(item.dynamic());
        assertEquals("c-9:s-1:<null>", HtableComponent.key(ctx, item));
        assertEquals("plain", HtableComponent.key(ctx, HtableComponent.item("t=>plain")));
    }
}
