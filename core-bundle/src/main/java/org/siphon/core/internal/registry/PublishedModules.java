package org.siphon.core.internal.registry;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

/**
 * The bundles whose module exports are in the registries, with the routing script told. The
 * {@link ModuleWhiteboard} writes it, the module service reads it to know when an installed or
 * updated module is really usable. A component of its own, with no references, so that the module
 * service need not reference the whiteboard (which binds every module, and some modules reference
 * the module service: SCR would see a cycle).
 */
@Component(service = PublishedModules.class)
public class PublishedModules {

    private final Set<Long> bundleIds = ConcurrentHashMap.newKeySet();

    void add(long bundleId) {
        bundleIds.add(bundleId);
    }

    void remove(long bundleId) {
        bundleIds.remove(bundleId);
    }

    /** Whether the module service of bundle {@code bundleId} has its exports in the registries. */
    public boolean contains(long bundleId) {
        return bundleIds.contains(bundleId);
    }
}
