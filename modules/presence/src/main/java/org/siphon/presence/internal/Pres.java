package org.siphon.presence.internal;

import java.util.List;

/** Where publications live ({@code publ_cache}): shared store, {@code presentity} table, or both. Thread-safe. */
interface Pres {

    /** The publications of one presentity and event, oldest first (expired ones included until swept). */
    List<Presentity> of(String uri, String event) throws Exception;

    /** Stores {@code p}, replacing the publication with {@code replacedEtag} (null for a new one). */
    void put(String uri, Presentity p, String replacedEtag) throws Exception;

    /** Removes one publication; false when it was not there. */
    boolean remove(String uri, String event, String etag) throws Exception;

    List<Presentity> expired(long now) throws Exception;

    List<Presentity> all() throws Exception;
}
