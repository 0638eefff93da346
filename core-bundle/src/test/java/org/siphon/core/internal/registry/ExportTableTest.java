package org.siphon.core.internal.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.registry.RegistryListener;

class ExportTableTest {

    private final ExportTable<RpcCommand> table = new ExportTable<>("RPC command");
    private final List<String> events = new ArrayList<>();

    ExportTableTest() {
        table.addListener(new RegistryListener<>() {
            @Override public void added(RpcCommand e) { events.add("+" + e); }
            @Override public void removed(RpcCommand e) { events.add("-" + e); }
        });
    }

    private static RpcCommand cmd(String name, String module) {
        return new RpcCommand(name, module, "", "", p -> module);
    }

    @Test
    void addedExportsAreFoundAndListedByModule() {
        RpcCommand a = cmd("x.a", "x");
        RpcCommand b = cmd("x.b", "x");
        RpcCommand c = cmd("y.c", "y");
        table.add(List.of(b, a, c));
        assertSame(a, table.find("x.a").orElseThrow());
        assertEquals(List.of(a, b), table.ofModule("x"));
        assertEquals(List.of(a, b, c), List.copyOf(table.all()));
        assertEquals(List.of("+x:x.b", "+x:x.a", "+y:y.c"), events);
    }

    @Test
    void newestOfTwoVersionsWinsAndOlderComesBack() {
        RpcCommand v1 = cmd("m.f", "m");
        RpcCommand v2 = cmd("m.f", "m");
        table.add(List.of(v1));
        table.add(List.of(v2));
        assertSame(v2, table.find("m.f").orElseThrow());
        table.remove(List.of(v2));
        assertSame(v1, table.find("m.f").orElseThrow());
        table.remove(List.of(v1));
        assertTrue(table.find("m.f").isEmpty());
        assertEquals(List.of("+m:m.f", "+m:m.f", "-m:m.f", "+m:m.f", "-m:m.f"), events);
    }

    @Test
    void removingAHiddenExportChangesNothingVisible() {
        RpcCommand v1 = cmd("m.f", "m");
        RpcCommand v2 = cmd("m.f", "m");
        table.add(List.of(v1, v2));
        events.clear();
        table.remove(List.of(v1));
        assertSame(v2, table.find("m.f").orElseThrow());
        assertEquals(List.of(), events);
    }

    @Test
    void removalMatchesByIdentityNotByName() {
        table.add(List.of(cmd("m.f", "m")));
        table.remove(List.of(cmd("m.f", "m")));
        assertTrue(table.find("m.f").isPresent());
    }

    @Test
    void aFailingListenerDoesNotStopTheOthersNorTheChange() {
        table.addListener(new RegistryListener<>() {
            @Override public void added(RpcCommand e) { throw new IllegalStateException("boom"); }
            @Override public void removed(RpcCommand e) { throw new IllegalStateException("boom"); }
        });
        List<String> late = new ArrayList<>();
        table.addListener(new RegistryListener<>() {
            @Override public void added(RpcCommand e) { late.add("+" + e.name()); }
            @Override public void removed(RpcCommand e) { late.add("-" + e.name()); }
        });
        RpcCommand a = cmd("a", "m");
        table.add(List.of(a));
        table.remove(List.of(a));
        assertEquals(List.of("+a", "-a"), late);
        assertTrue(table.find("a").isEmpty());
    }
}
