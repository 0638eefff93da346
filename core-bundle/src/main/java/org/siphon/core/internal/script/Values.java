package org.siphon.core.internal.script;

/** Script values are {@link Long}, {@link String} or null ({@code $null}); these are their conversions. */
final class Values {

    private Values() {
    }

    /** Kamailio's truth of a value: a non-zero number, a non-empty string. */
    static boolean truthy(Object v) {
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        return v != null;
    }

    /** A number: numbers as they are, strings holding an integer parsed, anything else 0. */
    static long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (v instanceof String s) {
            String t = s.trim();
            try {
                return t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Text: strings as they are, numbers in decimal, null as {@code <null>} (as Kamailio prints it). */
    static String toText(Object v) {
        if (v == null) {
            return "<null>";
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return v.toString();
    }

    /** Whether {@code v} is a number or text holding only an integer. */
    static boolean isNumeric(Object v) {
        if (v instanceof Long || v instanceof Boolean) {
            return true;
        }
        if (!(v instanceof String s) || s.isEmpty()) {
            return false;
        }
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length()) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
