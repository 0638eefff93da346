package org.siphon.core.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.jsonrpc.Json;

class TableTest {

    private static Map<String, Object> module(String name, long id, String state, boolean exporting, int functions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("bundle", "org.siphon." + name);
        m.put("version", "0.1.0");
        m.put("bundle_id", id);
        m.put("state", state);
        m.put("location", "file:bundle/" + name + ".jar");
        m.put("exporting", exporting);
        m.put("functions", functions);
        m.put("pseudo_variables", 0);
        m.put("rpc_commands", 12);
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void modulesAsKarafPrintsBundles() {
        List<Map<String, Object>> list = List.of(module("core", 1, "active", true, 1), module("registrar", 17, "active", true, 9),
                module("tm", 22, "draining", false, 0));
        String text = Table.of(list, SipCommands.MODULE_COLUMNS).toString();
        assertEquals(String.join("\n",
                "ID | Name      | Version | State    | Exporting | Functions | PVs | RPC",
                "---+-----------+---------+----------+-----------+-----------+-----+----",
                " 1 | core      | 0.1.0   | active   | yes       |         1 |   0 |  12",
                "17 | registrar | 0.1.0   | active   | yes       |         9 |   0 |  12",
                "22 | tm        | 0.1.0   | draining | no        |         0 |   0 |  12", ""), text);
    }

    @Test
    void anyAnswerRenders() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("file", "config/siphon.cfg");
        status.put("loaded", true);
        status.put("loaded_at", null);
        status.put("unbound_calls", List.of());
        status.put("modules", List.of(Map.of("name", "tm"), Map.of("name", "sl")));
        assertEquals(String.join("\n",
                "Name          | Value",
                "--------------+------------------",
                "file          | config/siphon.cfg",
                "loaded        | true",
                "loaded_at     |",
                "unbound_calls | []",
                "",
                "modules:",
                "Name",
                "----",
                "tm",
                "sl", ""), Table.render(status));
        assertEquals("a\nb\n", Table.render(List.of("a", "b")));
        assertEquals("siphon 0.1.0", Table.render("siphon 0.1.0"));
        assertEquals(String.join("\n", "PID | IDX | DSC", "----+-----+-------------", " 42 |   0 | SIP worker 1", ""),
                Table.render(List.of(ordered("PID", 42, "IDX", 0, "DSC", "SIP worker 1"))), "capitals stay headers");
        assertEquals(String.join("\n", "Bundle id | Nested", "----------+------------", "        3 | {\"a\":[1,2]}", ""),
                Table.ofMaps(List.of(ordered("bundle_id", 3, "nested", Map.of("a", List.of(1, 2))))).toString(),
                "a list or a map in a cell is JSON");
        assertEquals("", Table.render(null));
        assertEquals("", Table.render(Map.of()), "an empty answer prints nothing");
        assertEquals("", Table.render(List.of()));
    }

    @Test
    void logLevels() {
        Map<String, Object> levels = new LinkedHashMap<>();
        levels.put("*", "info");
        levels.put("org.siphon.tm", "debug");
        assertEquals("Logger        | Level\n--------------+------\n* (default)   | info\norg.siphon.tm | debug\n",
                SipCommands.logTable(levels));
        assertEquals("Logger        | Level | Set on\n--------------+-------+-------\norg.siphon.tm | info  | *\n",
                SipCommands.logTable(Map.of("logger", "org.siphon.tm", "level", "info", "from", "*")));
        assertEquals("Logger        | Level\n--------------+------\norg.siphon.tm | debug\n",
                SipCommands.logTable(Map.of("logger", "org.siphon.tm", "level", "debug")));
    }

    @Test
    void shownStaysTheDataAndPrintsAsText() {
        List<Map<String, Object>> list = List.of(module("core", 1, "active", true, 1));
        Object shown = Shown.of(list, d -> Table.of((List<?>) d, SipCommands.MODULE_COLUMNS).toString());
        assertTrue(shown instanceof CharSequence, "Gogo prints a CharSequence as it is");
        assertTrue(shown instanceof List<?> l && l.equals(list), "and it is still the list");
        assertEquals(Json.write(list), Json.write(shown));
        assertTrue(shown.toString().startsWith("ID | Name"), shown.toString());
        assertFalse(shown.toString().endsWith("\n"), "the shell adds the last line end");
        assertEquals(shown.toString().length(), ((CharSequence) shown).length());

        Map<String, Object> map = Map.of("logger", "org.siphon.tm", "level", "debug");
        Object m = Shown.of(map, SipCommands::logTable);
        assertTrue(m instanceof Map<?, ?> mm && mm.equals(map) && "debug".equals(mm.get("level")));
        assertTrue(m.toString().startsWith("Logger"), m.toString());
        assertEquals("siphon 0.1.0", Shown.of("siphon 0.1.0", Table::render), "a plain value is returned as it is");
    }
}
