package org.siphon.core.store;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Named in-memory tables owned by the core, for module state that must outlive the module's code
 * ("state outlives code", docs/architecture.md) — htable's tables, dispatcher states …: a new version of a
 * module finds the tables the old one filled. Values must be plain JDK data (String, Long, …),
 * never module classes. An OSGi service of the core. Thread-safe.
 */
@ProviderType
public interface SharedStore {

    /** The table named {@code name}, created empty on first use. */
    StoreTable table(String name);

    /** The names of the tables that exist. */
    Set<String> tables();

    /** Drops a table and its contents; false when there was none. */
    boolean drop(String name);
}
