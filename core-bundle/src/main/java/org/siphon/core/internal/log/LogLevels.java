package org.siphon.core.internal.log;

import java.lang.reflect.Field;
import java.util.Map;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Sets the log level of the running server from Kamailio's {@code debug=} global. The logging
 * backend (slf4j-simple) fixes a logger's level when the logger is made and offers no API to
 * change it; this class sets the level of the loggers made so far and the default of those made
 * later, through the backend's fields. Loggers given their own level in {@code etc/system.properties}
 * ({@code org.slf4j.simpleLogger.log.NAME}, e.g. Netty's) keep it. With another backend it does
 * nothing and says so.
 */
public final class LogLevels {

    private static final String SIMPLE_LOGGER = "org.slf4j.impl.SimpleLogger";
    private static final String OWN_LEVEL = "org.slf4j.simpleLogger.log.";

    private LogLevels() {
    }

    /**
     * Kamailio's levels: -5..-1 (alert … error) → error, 0 warning → warn, 1 notice and 2 info →
     * info, 3 and more (Kamailio's debug) → debug. Trace is never set this way: it is Netty's and
     * the framework's detail, not Kamailio's.
     */
    public static String levelOf(int debug) {
        if (debug < 0) {
            return "error";
        }
        return switch (debug) {
            case 0 -> "warn";
            case 1, 2 -> "info";
            default -> "debug";
        };
    }

    /** slf4j-simple's numbers for the levels (its LOG_LEVEL_* constants). */
    static int simpleLevel(String level) {
        return switch (level) {
            case "trace" -> 0;
            case "debug" -> 10;
            case "info" -> 20;
            case "warn" -> 30;
            case "error" -> 40;
            default -> throw new IllegalArgumentException("unknown log level " + level);
        };
    }

    /**
     * Sets every logger without a level of its own to {@code level} (trace, debug, info, warn,
     * error). Returns null when done, else why not.
     */
    public static String setDefault(String level) {
        int value = simpleLevel(level);
        currentDefault = level;
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            Field mapField = factory.getClass().getDeclaredField("loggerMap");
            mapField.setAccessible(true);
            Class<?> loggerClass = Class.forName(SIMPLE_LOGGER, false, factory.getClass().getClassLoader());
            Field current = loggerClass.getDeclaredField("currentLogLevel");
            current.setAccessible(true);
            Field configField = loggerClass.getDeclaredField("CONFIG_PARAMS");
            configField.setAccessible(true);
            Object config = configField.get(null);
            if (config != null) {
                Field defaultLevel = config.getClass().getDeclaredField("defaultLogLevel");
                defaultLevel.setAccessible(true);
                defaultLevel.setInt(config, value);
            }
            for (Map.Entry<?, ?> e : ((Map<?, ?>) mapField.get(factory)).entrySet()) {
                if (loggerClass.isInstance(e.getValue()) && !hasOwnLevel((String) e.getKey())) {
                    current.setInt(e.getValue(), value);
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "the logging backend " + factory.getClass().getName() + " does not let its level change ("
                    + e + "); set org.slf4j.simpleLogger.defaultLogLevel in etc/system.properties";
        }
    }

    /** The loggers given a level at runtime ({@code log.level}), by name. */
    private static final Map<String, String> OVERRIDES = new java.util.concurrent.ConcurrentSkipListMap<>();

    /** A module name ({@code registrar}, {@code core}) stands for its package; other names are loggers as they are. */
    public static String loggerOf(String name) {
        return name.indexOf('.') < 0 ? "org.siphon." + name : name;
    }

    /**
     * Gives {@code logger} and the loggers below it (by name) {@code level}: those made so far at
     * once, later ones through the backend's per-logger property. Returns null when done, else why not.
     */
    public static String setLevel(String logger, String level) {
        int value = simpleLevel(level);
        System.setProperty(OWN_LEVEL + logger, level);
        OVERRIDES.put(logger, level);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        try {
            Field mapField = factory.getClass().getDeclaredField("loggerMap");
            mapField.setAccessible(true);
            Class<?> loggerClass = Class.forName(SIMPLE_LOGGER, false, factory.getClass().getClassLoader());
            Field current = loggerClass.getDeclaredField("currentLogLevel");
            current.setAccessible(true);
            for (Map.Entry<?, ?> e : ((Map<?, ?>) mapField.get(factory)).entrySet()) {
                String name = (String) e.getKey();
                if (loggerClass.isInstance(e.getValue()) && (name.equals(logger) || name.startsWith(logger + "."))
                        && logger.equals(closestOverride(name))) {
                    current.setInt(e.getValue(), value);
                }
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "the logging backend " + factory.getClass().getName() + " does not let its level change (" + e + ")";
        }
    }

    /** The most specific runtime level that covers {@code name}, its logger name; null when none. */
    private static String closestOverride(String name) {
        for (String n = name; !n.isEmpty(); n = parent(n)) {
            if (OVERRIDES.containsKey(n)) {
                return n;
            }
        }
        return null;
    }

    /** The levels set at runtime, by logger name, and the default ({@code "*"}). */
    public static Map<String, String> levels() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        String def = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        out.put("*", currentDefault != null ? currentDefault : def);
        out.putAll(OVERRIDES);
        return out;
    }

    private static volatile String currentDefault;

    private static boolean hasOwnLevel(String logger) {
        for (String name = logger; !name.isEmpty(); name = parent(name)) {
            if (System.getProperty(OWN_LEVEL + name) != null) {
                return true;
            }
        }
        return false;
    }

    private static String parent(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
