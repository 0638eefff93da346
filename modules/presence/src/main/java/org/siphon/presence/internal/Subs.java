package org.siphon.presence.internal;

import java.util.List;

/**
 * Where subscriptions live ({@code subs_db_mode}): the core's shared store, the
 * {@code active_watchers} table, or both. Every method is thread-safe; the database ones block.
 */
interface Subs {

    Subscription get(String key) throws Exception;

    /** Inserts or replaces the subscription with its key. */
    void put(Subscription s) throws Exception;

    /** Removes it; the old value or null. */
    Subscription remove(String key) throws Exception;

    /** The subscriptions to one presentity and event. */
    List<Subscription> of(String presentityUri, String event) throws Exception;

    /** How many subscriptions the watcher holds (every presentity and event). */
    int countOfWatcher(String watcherUser, String watcherDomain) throws Exception;

    /** Those whose expires is at or before {@code now}. */
    List<Subscription> expired(long now) throws Exception;

    List<Subscription> all() throws Exception;

    /**
     * Takes the next CSeq of the dialog (and, with {@code bumpVersion}, the next watcherinfo
     * version) atomically: the subscription as it is after the increment, or null when it is gone.
     */
    Subscription next(String key, boolean bumpVersion) throws Exception;
}
