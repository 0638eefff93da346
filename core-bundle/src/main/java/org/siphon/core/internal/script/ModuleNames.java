package org.siphon.core.internal.script;

import java.util.Set;

/**
 * Module names as {@code loadmodule} writes them ({@code "/usr/lib/kamailio/modules/tm.so"} is
 * {@code tm}), and the Kamailio modules whose exports Siphon keeps in its core.
 */
final class ModuleNames {

    /** Kamailio modules that are part of Siphon's core: loading them is accepted and means the core. */
    static final Set<String> IN_CORE = Set.of("kex", "corex", "tmx", "pv", "xlog", "textopsx", "ctl", "cfg_rpc",
            "counters", "jsonrpcs", "xhttp");

    /** Kamailio modules that Siphon ships inside another module: loading or configuring them means that one. */
    static final java.util.Map<String, String> MERGED = java.util.Map.of("usrloc", "registrar", "auth_db", "auth");

    private ModuleNames() {
    }

    /** {@code tm} for {@code tm.so}, {@code modules/tm.so} or {@code tm}; {@code registrar} for {@code usrloc}. */
    static String normalise(String name) {
        String n = name.trim();
        int slash = n.lastIndexOf('/');
        if (slash >= 0) {
            n = n.substring(slash + 1);
        }
        if (n.endsWith(".so")) {
            n = n.substring(0, n.length() - 3);
        }
        return MERGED.getOrDefault(n, n);
    }
}
