package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import org.siphon.core.module.ModuleService;
import org.siphon.core.module.SiphonModule;

/**
 * The script's {@code modparam}s against the modules: whether one names a parameter the module
 * declares with a value of its type (a script error otherwise), and after {@code cfg.reload}
 * which changed ones their module applies only after {@code module.update}. Stateless.
 */
final class Modparams {

    private Modparams() {
    }

    /** Why {@code modparam(module, name, value)} is wrong, or null when it is fine. */
    static String problem(ModuleService modules, ScriptParameters parameters, String module, String name, String value) {
        if (ModuleNames.IN_CORE.contains(module)) {
            return null;
        }
        if (modules.find(module).isEmpty()) {
            return "module " + module + " is not installed";
        }
        Map<String, String> declared = parameters.declared(module);
        String type = declared.get(name);
        if (type == null) {
            return "module " + module + " has no parameter " + name
                    + (declared.isEmpty() ? "" : " (it has " + new TreeSet<>(declared.keySet()) + ")");
        }
        return ModuleParameters.typeProblem(name, type, value);
    }

    /** Changed modparams of {@code now} that their module applies only after {@code module.update}. */
    static List<String> notLive(Script old, Script now, List<SiphonModule> moduleServices) {
        Map<String, String> before = lastValues(old);
        List<String> out = new ArrayList<>();
        lastValues(now).forEach((key, value) -> {
            if (Objects.equals(before.get(key), value)) {
                return;
            }
            int dot = key.indexOf('.');
            String module = key.substring(0, dot);
            for (SiphonModule m : moduleServices) {
                if (m.name().equals(module) && m.restartParameters().contains(key.substring(dot + 1))) {
                    out.add(key + " takes effect after module.update " + module);
                    return;
                }
            }
        });
        return out;
    }

    /** {@code module.name} to its value (repeated ones joined by newlines), as the script sets them. */
    private static Map<String, String> lastValues(Script s) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] mp : s.modparams()) {
            out.merge(mp[0] + "." + mp[1], mp[2], (a, b) -> a + "\n" + b);
        }
        return out;
    }
}
