package org.siphon.core.internal.shell;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * An RPC answer that stays the data it is — a {@code List} or a {@code Map}, for Gogo pipes,
 * variables and tests — and prints as text: Gogo prints a {@link CharSequence} as it is, so the
 * shell shows the table while {@code $(sip:modules)} still holds the list of maps. Read-only,
 * as thread-safe as the data.
 */
final class Shown {

    private Shown() {
    }

    /** {@code data} (a list or a map) shown as {@code text} renders it; anything else as it is. */
    static Object of(Object data, Function<Object, String> text) {
        if (data instanceof List<?> l) {
            return new ShownList(l, text);
        }
        if (data instanceof Map<?, ?> m) {
            return new ShownMap(m, text);
        }
        return data;
    }

    /** The rendered text without its last line end (the shell adds one). */
    private static String text(Object data, Function<Object, String> text) {
        String s = text.apply(data);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    static final class ShownList extends AbstractList<Object> implements CharSequence {
        private final List<?> data;
        private final Function<Object, String> renderer;
        private String text;

        ShownList(List<?> data, Function<Object, String> renderer) {
            this.data = data;
            this.renderer = renderer;
        }

        @Override public Object get(int index) { return data.get(index); }
        @Override public int size() { return data.size(); }
        @Override public boolean isEmpty() { return data.isEmpty(); }
        @Override public int length() { return toString().length(); }
        @Override public char charAt(int index) { return toString().charAt(index); }
        @Override public CharSequence subSequence(int start, int end) { return toString().subSequence(start, end); }

        @Override
        public String toString() {
            if (text == null) {
                text = text(data, renderer);
            }
            return text;
        }
    }

    static final class ShownMap extends AbstractMap<Object, Object> implements CharSequence {
        private final Map<?, ?> data;
        private final Function<Object, String> renderer;
        private String text;

        ShownMap(Map<?, ?> data, Function<Object, String> renderer) {
            this.data = data;
            this.renderer = renderer;
        }

        @SuppressWarnings("unchecked")
        @Override public Set<Entry<Object, Object>> entrySet() { return ((Map<Object, Object>) java.util.Collections.unmodifiableMap(data)).entrySet(); }
        @Override public Object get(Object key) { return data.get(key); }
        @Override public boolean isEmpty() { return data.isEmpty(); }
        @Override public int length() { return toString().length(); }
        @Override public char charAt(int index) { return toString().charAt(index); }
        @Override public CharSequence subSequence(int start, int end) { return toString().subSequence(start, end); }

        @Override
        public String toString() {
            if (text == null) {
                text = text(data, renderer);
            }
            return text;
        }
    }
}
