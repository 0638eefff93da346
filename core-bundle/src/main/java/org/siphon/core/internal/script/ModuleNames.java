package org.siphon.core.internal.script;

import java.util.Set;

/**
 * Module names as {@code loadmodule} writes them ({@code "/usr/lib/kamailio/modules/tm.so"} is
 * {@code tm}), and the Kamailio modules whose exports Siphon keeps in its core.
 */
final class ModuleNames {

    /** Kamailio modules that are part of Siphon's core: loading them is accepted and means the core. */
    static final Set<String> IN_CORE = Set.of("kex", "corex", "tmx", "pv", "xlog", "textopsx", "ctl", "cfg_rpc",
            "counters", "db_mysql", "db_postgres", "db_sqlite");

    /** Kamailio modules Siphon will not have, with what to use instead. */
    static final java.util.Map<String, String> REPLACED = java.util.Map.of(
            "db_text", "db_text is not supported: Siphon's database takes db_url h2:PATH, postgres://, mysql:// or "
                    + "sqlite:///PATH (sqlite is the small file database)",
            "db_flatstore", "db_flatstore is not supported: acc writes its records to the log (logger org.siphon.acc) "
                    + "or to a database: h2:PATH, postgres://, mysql:// or sqlite:///PATH");

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
