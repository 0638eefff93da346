package org.siphon.core.registry;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A table of exports by name, filled by the core from the modules' {@link org.siphon.core.module.SiphonModule}
 * services. When two modules export the same name (two versions of one module during an update),
 * the newest registration wins and the older one comes back when the newest leaves.
 * <p>Thread-safe; lookups do not block.
 *
 * @param <E> the kind of export
 */
@ProviderType
public interface Registry<E extends Export> {

    /** The export currently bound to {@code name}. */
    Optional<E> find(String name);

    /** All exports currently visible, sorted by name. */
    Collection<E> all();

    /** The exports of one module, sorted by name. */
    List<E> ofModule(String module);

    /** Registers a listener told of every export that appears or disappears from now on. */
    void addListener(RegistryListener<E> listener);

    void removeListener(RegistryListener<E> listener);
}
