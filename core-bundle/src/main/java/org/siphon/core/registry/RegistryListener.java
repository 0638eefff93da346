package org.siphon.core.registry;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every change of a {@link Registry}: the script engine uses it to re-bind a script when
 * a module it needs comes back. Called on the thread that changed the registry (usually the one
 * starting or stopping a bundle); must not block.
 *
 * @param <E> the kind of export
 */
@ConsumerType
public interface RegistryListener<E extends Export> {

    /** {@code export} is now visible under its name (it may hide an older one of the same name). */
    void added(E export);

    /** {@code export} has gone; an older export of the same name may be visible again. */
    void removed(E export);
}
