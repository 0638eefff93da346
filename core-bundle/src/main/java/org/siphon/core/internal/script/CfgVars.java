package org.siphon.core.internal.script;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kamailio's custom configuration variables: {@code group.name = value [desc "text"]} among the
 * global parameters, read with {@code $sel(cfg_get.group.name)} and changed at runtime with the
 * {@code cfg.set_now_*} RPC commands (the cfg_rpc module's). One table for the core bundle; a
 * script load declares its variables, keeping the values set at runtime of those whose default
 * did not change. Values are strings or numbers (Long). Thread-safe.
 */
final class CfgVars {

    /** {@code value [desc "text"]}: the value a string or an integer. */
    private static final Pattern DECLARATION = Pattern.compile(
            "(\"(?:[^\"\\\\]|\\\\.)*\"|-?\\d+)\\s*(?:desc(?:ription)?\\s+\"(?:[^\"\\\\]|\\\\.)*\")?\\s*;?");

    private static final Map<String, Object> VALUES = new ConcurrentHashMap<>();
    private static Map<String, Object> declared = Map.of();

    private CfgVars() {
    }

    /** Whether a global parameter name is a custom variable's ({@code group.name}). */
    static boolean isCustom(String name) {
        return name.matches("[A-Za-z_]\\w*\\.[A-Za-z_]\\w*") && !GlobalParameters.IGNORED.contains(name);
    }

    /** The default of a declaration's text after {@code =}; throws with the reason when it is not one. */
    static Object parse(String text) {
        Matcher m = DECLARATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("a custom cfg variable needs a \"string\" or an integer value, optionally "
                    + "followed by desc \"text\", not: " + text.trim());
        }
        String v = m.group(1);
        return v.startsWith("\"") ? v.substring(1, v.length() - 1).replace("\\\"", "\"") : (Object) Long.parseLong(v);
    }

    /** A script's variables with their defaults, at its load. */
    static synchronized void declare(Map<String, Object> defaults) {
        VALUES.keySet().retainAll(defaults.keySet());
        defaults.forEach((name, value) -> {
            if (!value.equals(declared.get(name)) || !VALUES.containsKey(name)) {
                VALUES.put(name, value);
            }
        });
        declared = Map.copyOf(defaults);
    }

    /** The value of {@code group.name}, or null when the script declares no such variable. */
    static Object get(String name) {
        return VALUES.get(name);
    }

    /** Sets a declared variable; a number for a number variable, any text for a string one. */
    static synchronized Object set(String name, Object value) {
        Object old = VALUES.get(name);
        if (old == null) {
            throw new IllegalArgumentException("no cfg variable " + name + " (the script declares " + VALUES.keySet() + ")");
        }
        Object v = value;
        if (old instanceof Long) {
            try {
                v = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " is a number, not " + value);
            }
        } else {
            v = String.valueOf(value);
        }
        VALUES.put(name, v);
        return v;
    }

    /** Every variable and its value, by name. */
    static Map<String, Object> all() {
        return new TreeMap<>(VALUES);
    }
}
