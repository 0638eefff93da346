package org.siphon.core.internal.script;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.siphon.core.internal.log.LogLevels;
import org.siphon.core.module.ModuleService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the routing script's global parameters (PID {@code org.siphon.core}) and
 * {@code modparam}s (PID {@code org.siphon.<module>}) to ConfigAdmin. At boot it reads them
 * before the SIP core and the modules activate (the script is compiled only later, once the
 * modules are active), so that every component starts once, with the script's values; the SIP
 * core requires its configuration and so waits for this. On {@code cfg.reload} the modparams go
 * again, and a component applies them in place ({@code @Modified}).
 */
@Component(immediate = true, service = ScriptParameters.class)
public class ScriptParameters {

    private static final Logger LOG = LoggerFactory.getLogger(ScriptParameters.class);
    static final String CORE_PID = "org.siphon.core";

    @Reference
    private ConfigurationAdmin configAdmin;
    @Reference
    private ModuleService modules;

    private BundleContext context;
    /** The no-effect modparams already explained in the log, as module.name=value. */
    private final Set<String> explained = ConcurrentHashMap.newKeySet();

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        Path file = file(context);
        Hashtable<String, Object> core = new Hashtable<>();
        try {
            Script s = ScriptEngine.parameters(file, defines(context));
            core.putAll(coreProperties(s));
            apply(s);
        } catch (ScriptException e) {
            LOG.debug("the script's parameters are not readable yet; the full compile reports why", e);
        }
        core.put("siphon.script", file.toString());
        try {
            merge(configAdmin.getConfiguration(CORE_PID, "?"), core);
        } catch (IOException e) {
            LOG.error("cannot hand the script's global parameters to ConfigAdmin", e);
        }
    }

    /** The routing script: {@code -f FILE} ({@code siphon.cfg}), else {@code config/siphon.cfg} under the home. */
    static Path file(BundleContext context) {
        String home = context.getProperty("siphon.home");
        String cfg = context.getProperty("siphon.cfg");
        return Path.of(cfg != null ? cfg : home != null ? home + "/config/siphon.cfg" : "config/siphon.cfg");
    }

    /** {@code -A NAME[=VALUE]} defines ({@code siphon.define.N}). */
    static Map<String, String> defines(BundleContext context) {
        Map<String, String> defines = new LinkedHashMap<>();
        for (int i = 0; context.getProperty("siphon.define." + i) != null; i++) {
            String d = context.getProperty("siphon.define." + i);
            int eq = d.indexOf('=');
            defines.put(eq < 0 ? d : d.substring(0, eq), eq < 0 ? "" : d.substring(eq + 1));
        }
        return defines;
    }

    private static Map<String, Object> coreProperties(Script s) {
        Map<String, Object> props = new LinkedHashMap<>();
        s.globals().forEach((k, v) -> {
            if (k.equals("debug")) {
                debug(v);
            } else if (GlobalParameters.CORE.contains(k)) {
                props.put(k, k.equals("listen") || k.equals("alias") ? v.split("\n") : typed(v));
            } else if (k.equals("shm_mem_size") || k.equals("pkg_mem_size")) {
                LOG.info("global parameter {} sizes the JVM heap when bin/siphon starts (heap = shm_mem_size + pkg_mem_size MiB);"
                        + " a change applies at the next start", k);
            } else if (!GlobalParameters.ENGINE.contains(k)) {
                LOG.info("global parameter {} has no effect in Siphon (accepted for compatibility)", k);
            }
        });
        return props;
    }

    /** Kamailio's {@code debug=} global: the log level of every logger without one of its own. */
    static void debug(String value) {
        int debug;
        try {
            debug = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            LOG.warn("debug={} is not a number: the log level stays", value);
            return;
        }
        String level = LogLevels.levelOf(debug);
        String problem = LogLevels.setDefault(level);
        if (problem != null) {
            LOG.warn("debug={}: {}", debug, problem);
        } else {
            LOG.info("debug={}: log level {}", debug, level);
        }
    }

    /**
     * The script's modparams to their modules' PIDs. A repeated modparam: the last value wins,
     * unless the module declares the parameter multi-valued (htable's htable): then every value
     * is kept, in order.
     */
    void apply(Script s) {
        CfgVars.declare(s.cfgVars());
        Map<String, Hashtable<String, Object>> byModule = new LinkedHashMap<>();
        Map<String, Map<String, String>> declaredBy = new HashMap<>();
        for (String[] mp : s.modparams()) {
            Hashtable<String, Object> props = byModule.computeIfAbsent(mp[0], m -> new Hashtable<>());
            String type = declaredBy.computeIfAbsent(mp[0], this::declared).getOrDefault(mp[1], "");
            if (type.endsWith("[]")) {
                String[] before = props.get(mp[1]) instanceof String[] a ? a : new String[0];
                String[] after = Arrays.copyOf(before, before.length + 1);
                after[before.length] = mp[2];
                props.put(mp[1], after);
            } else {
                props.put(mp[1], type.matches("Integer|Long|Short|Byte") ? ModuleParameters.numeric(mp[2]) : mp[2]);
            }
        }
        explainWithoutEffect(s);
        try {
            for (var e : byModule.entrySet()) {
                merge(configAdmin.getConfiguration("org.siphon." + e.getKey(), "?"), e.getValue());
            }
        } catch (IOException e) {
            LOG.error("cannot hand the script's modparams to ConfigAdmin", e);
        }
    }

    /** One INFO line per modparam that its module accepts without effect (and each time its value changes). */
    private void explainWithoutEffect(Script s) {
        Map<String, Map<String, String>> byModule = new HashMap<>();
        for (String[] mp : s.modparams()) {
            String why = byModule.computeIfAbsent(mp[0], this::withoutEffect).get(mp[1]);
            if (why != null && explained.add(mp[0] + "." + mp[1] + "=" + mp[2])) {
                LOG.info("modparam(\"{}\", \"{}\", {}) has no effect in Siphon: {}", mp[0], mp[1], mp[2], why);
            }
        }
    }

    private Map<String, String> withoutEffect(String module) {
        Bundle bundle = bundle(module);
        return bundle == null ? Map.of() : ModuleParameters.withoutEffect(bundle, "org.siphon." + module);
    }

    private Bundle bundle(String module) {
        var info = modules.find(module);
        return info.isEmpty() || context == null ? null : context.getBundle(info.get().bundleId());
    }

    /** The parameters module {@code module} declares, with their metatype types. */
    Map<String, String> declared(String module) {
        Bundle bundle = bundle(module);
        return bundle == null ? Map.of() : ModuleParameters.of(bundle, "org.siphon." + module);
    }

    private static Object typed(String v) {
        if (v.matches("-?\\d+")) {
            return Integer.parseInt(v);
        }
        return switch (v.toLowerCase()) {
            case "yes", "on", "true" -> Boolean.TRUE;
            case "no", "off", "false" -> Boolean.FALSE;
            default -> v;
        };
    }

    /** Updates the configuration only when a value differs: an unchanged modparam disturbs nothing. */
    private static void merge(Configuration c, Hashtable<String, Object> props) throws IOException {
        if (props.isEmpty()) {
            return;
        }
        Dictionary<String, Object> current = c.getProperties();
        Hashtable<String, Object> merged = new Hashtable<>();
        if (current != null) {
            for (var keys = current.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                merged.put(k, current.get(k));
            }
        }
        boolean changed = current == null;
        for (var e : props.entrySet()) {
            Object old = merged.put(e.getKey(), e.getValue());
            changed |= old == null || !Objects.deepEquals(old, e.getValue());
        }
        if (changed) {
            c.update(merged);
        }
    }
}
