package org.siphon.core.internal.registry;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

/**
 * The modules whose exports are in the registries right now. {@link ModuleWhiteboard} adds a name
 * after it has filled the registries and removes it before it withdraws them, so a reader that
 * sees a module here also sees all its exports. A count per name, because two versions of one
 * module are both loaded for a moment during an update.
 */
@Component(service = LoadedModules.class)
public class LoadedModules {

    private final Map<String, Integer> loaded = new HashMap<>();

    synchronized void add(String module) {
        loaded.merge(module, 1, Integer::sum);
    }

    synchronized void remove(String module) {
        loaded.computeIfPresent(module, (name, n) -> n == 1 ? null : n - 1);
    }

    public synchronized boolean contains(String module) {
        return loaded.containsKey(module);
    }
}
