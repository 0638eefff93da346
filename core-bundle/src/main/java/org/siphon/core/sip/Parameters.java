package org.siphon.core.sip;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ordered list of {@code ;name[=value]} parameters, as found in URIs and headers. Names compare
 * case-insensitively; a parameter without value (e.g. {@code ;lr}, {@code ;rport}) has value
 * {@code ""} and {@link #has} is true for it. Values are kept as written (quotes included).
 * Immutable; the {@code with}/{@code without} methods return copies.
 */
public final class Parameters {

    /** No parameters. */
    public static final Parameters NONE = new Parameters(List.of());

    private final List<Map.Entry<String, String>> entries;

    private Parameters(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    /** Builds from name/value pairs in order; a null value is written as a bare name. */
    public static Parameters of(List<Map.Entry<String, String>> entries) {
        return entries.isEmpty() ? NONE : new Parameters(List.copyOf(entries));
    }

    /** Starts an empty list of parameters, for parsers: no copy is made when it is built. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects parameters in order; {@link #build()} hands them over without copying. Not thread-safe. */
    public static final class Builder {
        private List<Map.Entry<String, String>> list;

        private Builder() {
        }

        /** Adds {@code ;name=value} ({@code ""} for a bare name). */
        public Builder add(String name, String value) {
            if (list == null) {
                list = new ArrayList<>(4);
            }
            list.add(Map.entry(name, value == null ? "" : value));
            return this;
        }

        public Parameters build() {
            if (list == null) {
                return NONE;
            }
            Parameters p = new Parameters(Collections.unmodifiableList(list));
            list = null;
            return p;
        }
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public int size() {
        return entries.size();
    }

    public List<Map.Entry<String, String>> entries() {
        return Collections.unmodifiableList(entries);
    }

    public boolean has(String name) {
        return index(name) >= 0;
    }

    /** The value ("" for a bare name), or null if absent. */
    public String get(String name) {
        int i = index(name);
        return i < 0 ? null : entries.get(i).getValue();
    }

    /** The value without surrounding quotes (and with escapes undone), or null. */
    public String unquoted(String name) {
        String v = get(name);
        if (v == null || v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
            return v;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < v.length() - 1; i++) {
            char c = v.charAt(i);
            if (c == '\\' && i + 1 < v.length() - 1) {
                c = v.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** A copy with {@code name} set to {@code value} ("" for a bare name), replacing any old value in place. */
    public Parameters with(String name, String value) {
        List<Map.Entry<String, String>> copy = new ArrayList<>(entries);
        int i = index(name);
        Map.Entry<String, String> e = Map.entry(name, value == null ? "" : value);
        if (i >= 0) {
            copy.set(i, e);
        } else {
            copy.add(e);
        }
        return new Parameters(List.copyOf(copy));
    }

    public Parameters without(String name) {
        int i = index(name);
        if (i < 0) {
            return this;
        }
        List<Map.Entry<String, String>> copy = new ArrayList<>(entries);
        copy.remove(i);
        return of(copy);
    }

    private int index(String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getKey().equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Appends {@code ;name[=value]} for each parameter. */
    public StringBuilder appendTo(StringBuilder sb) {
        for (Map.Entry<String, String> e : entries) {
            sb.append(';').append(e.getKey());
            if (!e.getValue().isEmpty()) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb;
    }

    @Override
    public String toString() {
        return appendTo(new StringBuilder()).toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && toString().toLowerCase(Locale.ROOT).equals(p.toString().toLowerCase(Locale.ROOT));
    }

    @Override
    public int hashCode() {
        return toString().toLowerCase(Locale.ROOT).hashCode();
    }
}
