package org.siphon.core.internal.shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.siphon.core.internal.jsonrpc.Json;

/**
 * Text columns as Karaf's shell prints them (its ASCII style): a header, a rule, one line per
 * row, columns separated by {@code " | "}, numbers right-aligned, no trailing blanks. Also
 * renders any RPC answer: a list of maps as a table (a column per key), a map of plain values as
 * {@code Name | Value} lines, and lists of maps inside a map as tables under their key. A value
 * inside a cell that is a list or a map is written as compact JSON. Not thread-safe while built.
 */
final class Table {

    /** A column: its header and how a row's cell is taken from the data. */
    record Column(String header, Function<Map<?, ?>, Object> cell) {
        static Column of(String header, String key) {
            return new Column(header, row -> row.get(key));
        }
    }

    private final List<String> headers = new ArrayList<>();
    private final List<List<Object>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers.addAll(List.of(headers));
    }

    Table row(Object... cells) {
        rows.add(new ArrayList<>(java.util.Arrays.asList(cells)));
        return this;
    }

    /** One row per map of {@code data}, the cells by {@code columns}. */
    static Table of(List<?> data, List<Column> columns) {
        Table t = new Table(columns.stream().map(Column::header).toArray(String[]::new));
        for (Object o : data) {
            Map<?, ?> m = o instanceof Map<?, ?> map ? map : Map.of();
            t.row(columns.stream().map(c -> c.cell().apply(m)).toArray());
        }
        return t;
    }

    /** A list of maps with a column per key (in the order first met), headers as {@link #header(String)} makes them. */
    static Table ofMaps(List<?> data) {
        LinkedHashSet<Object> keys = new LinkedHashSet<>();
        for (Object o : data) {
            if (o instanceof Map<?, ?> m) {
                keys.addAll(m.keySet());
            }
        }
        List<Column> columns = new ArrayList<>();
        for (Object k : keys) {
            columns.add(new Column(header(String.valueOf(k)), row -> row.get(k)));
        }
        return of(data, columns);
    }

    /** {@code bundle_id} → {@code Bundle id}; names in capitals ({@code PID}) stay. */
    static String header(String key) {
        if (key.isEmpty() || key.equals(key.toUpperCase(java.util.Locale.ROOT))) {
            return key;
        }
        String words = key.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /**
     * An RPC answer as text: a list of maps as a table, a map as {@code Name | Value} lines with
     * its lists of maps as tables below, a list of plain values one per line, anything else as
     * its text.
     */
    static String render(Object data) {
        if (data instanceof List<?> list) {
            if (!list.isEmpty() && list.stream().allMatch(o -> o instanceof Map<?, ?>)) {
                return ofMaps(list).toString();
            }
            StringBuilder out = new StringBuilder();
            list.forEach(o -> out.append(cell(o)).append('\n'));
            return out.toString();
        }
        if (data instanceof Map<?, ?> map) {
            Table plain = new Table("Name", "Value");
            Map<String, List<?>> tables = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(o -> o instanceof Map<?, ?>)) {
                    tables.put(String.valueOf(k), l);
                } else {
                    plain.row(k, v);
                }
            });
            StringBuilder out = new StringBuilder(plain.rows.isEmpty() ? "" : plain.toString());
            tables.forEach((k, l) -> out.append(out.length() == 0 ? "" : "\n").append(k).append(":\n")
                    .append(ofMaps(l)));
            return out.toString();
        }
        return data == null ? "" : cell(data);
    }

    static String cell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            return Json.write(v);
        }
        return String.valueOf(v);
    }

    /** The text: header, rule, rows, each line ending in a newline. */
    @Override
    public String toString() {
        int n = headers.size();
        int[] width = new int[n];
        boolean[] numeric = new boolean[n];
        java.util.Arrays.fill(numeric, !rows.isEmpty());
        List<List<String>> text = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            width[c] = headers.get(c).length();
        }
        for (List<Object> row : rows) {
            List<String> line = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                Object v = c < row.size() ? row.get(c) : null;
                String s = cell(v).replace('\n', ' ');
                numeric[c] &= v == null || v instanceof Number;
                width[c] = Math.max(width[c], s.length());
                line.add(s);
            }
            text.add(line);
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, width, new boolean[n]);
        for (int c = 0; c < n; c++) {
            out.append(c == 0 ? "" : "-+-").append("-".repeat(width[c]));
        }
        out.append('\n');
        for (List<String> line : text) {
            line(out, line, width, numeric);
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] width, boolean[] right) {
        StringBuilder l = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String s = cells.get(c);
            String pad = " ".repeat(width[c] - s.length());
            l.append(c == 0 ? "" : " | ").append(right[c] ? pad + s : s + pad);
        }
        int end = l.length();
        while (end > 0 && l.charAt(end - 1) == ' ') {
            end--;
        }
        out.append(l, 0, end).append('\n');
    }
}
