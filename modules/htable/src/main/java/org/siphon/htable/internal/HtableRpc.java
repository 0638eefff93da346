package org.siphon.htable.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.siphon.core.rpc.RpcCommand;

/** RPC {@code htable.get}, {@code sets}, {@code seti}, {@code delete}, {@code dump}, {@code reset}, {@code listTables}. */
final class HtableRpc {

    private final HtableComponent h;

    HtableRpc(HtableComponent h) {
        this.h = h;
    }

    List<RpcCommand> all() {
        String m = HtableComponent.MODULE;
        return List.of(
                new RpcCommand("htable.get", m, "table key", "An item's value.", p -> {
                    p.expect(2, 2, "table key");
                    Object v = h.table(p.string(0)).get(p.string(1));
                    if (v == null) {
                        throw HtableComponent.notFound(p.string(0), p.string(1));
                    }
                    return Map.of("item", Map.of("name", p.string(1), "value", v));
                }),
                new RpcCommand("htable.sets", m, "table key value", "Sets an item to a string.", p -> {
                    p.expect(3, 3, "table key value");
                    h.set(p.string(0), p.string(1), p.string(2));
                    return "ok";
                }),
                new RpcCommand("htable.seti", m, "table key number", "Sets an item to a number.", p -> {
                    p.expect(3, 3, "table key number");
                    h.set(p.string(0), p.string(1), p.integer(2));
                    return "ok";
                }),
                new RpcCommand("htable.delete", m, "table key", "Removes an item.", p -> {
                    p.expect(2, 2, "table key");
                    if (h.table(p.string(0)).remove(p.string(1)) == null) {
                        throw HtableComponent.notFound(p.string(0), p.string(1));
                    }
                    return "ok";
                }),
                new RpcCommand("htable.dump", m, "table", "Every item of a table, by name.", p -> {
                    p.expect(1, 1, "table");
                    List<Object> out = new ArrayList<>();
                    h.table(p.string(0)).snapshot().forEach((k, v) -> {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("name", k);
                        e.put("value", v);
                        out.add(e);
                    });
                    return out;
                }),
                new RpcCommand("htable.reset", m, "table", "Empties a table.", p -> {
                    p.expect(1, 1, "table");
                    h.table(p.string(0)).clear();
                    return "ok";
                }),
                new RpcCommand("htable.listTables", m, "", "The tables with their settings and item counts.", p -> {
                    List<Object> out = new ArrayList<>();
                    for (String t : h.tableNames()) {
                        out.add(h.describe(t));
                    }
                    return out;
                }));
    }
}
