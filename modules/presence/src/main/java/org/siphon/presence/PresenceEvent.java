package org.siphon.presence;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An event package the presence module serves, the counterpart of Kamailio's {@code pres_ev_t}
 * given to {@code add_event}: a bundle (presence_xml) registers one OSGi service of this type per
 * package, and presence answers PUBLISH and SUBSCRIBE for it while the service is there (489 Bad
 * Event otherwise). Implementations must be thread-safe and quick: they run on SIP workers.
 */
@ConsumerType
public interface PresenceEvent {

    /** Subscription states, with Kamailio's numbers ({@code active_watchers.status}). */
    int ACTIVE = 1;
    int PENDING = 2;
    int TERMINATED = 3;
    int WAITING = 4;
    /** {@link Authorisation#status()} when the presentity's rules say nothing of the watcher. */
    int UNDECIDED = 0;

    /** The package name as in the Event header, e.g. {@code presence}, {@code presence.winfo}. */
    String name();

    /** The Content-Type of the NOTIFY bodies, and the first type PUBLISH may carry. */
    String contentType();

    /** The types a PUBLISH body may have (415 with Accept otherwise); by default {@link #contentType()}. */
    default List<String> publishTypes() {
        return List.of(contentType());
    }

    /** Whether PUBLISH is accepted for this package (not for {@code presence.winfo}). */
    default boolean publishable() {
        return true;
    }

    /**
     * For a watcher-info package ({@code presence.winfo}): the package whose subscriptions it
     * reports ({@code presence}); null for an ordinary package.
     */
    default String watcherInfoOf() {
        return null;
    }

    /** Expires used when a request has none, seconds. */
    default int defaultExpires() {
        return 3600;
    }

    /** Whether subscriptions need the presentity's authorisation ({@link #authStatus}). */
    default boolean requiresAuthorisation() {
        return false;
    }

    /**
     * Checks a PUBLISH body before it is stored.
     *
     * @return null when it is acceptable, else the reply to send (e.g. 400 with the parser's reason)
     */
    default Rejection check(byte[] body, String contentType) {
        return null;
    }

    /**
     * The NOTIFY body for a presentity from its current publications (oldest first), or null for
     * a NOTIFY without body (no state published).
     */
    byte[] notifyBody(String presentityUri, List<Publication> publications);

    /**
     * For a watcher-info package: the watcherinfo document (RFC 3858) of {@code presentityUri},
     * {@code full} with every watcher, else {@code partial} with the ones that changed.
     */
    default byte[] watcherInfoBody(String presentityUri, List<Watcher> watchers, long version, boolean full) {
        return null;
    }

    /** The state a new subscription of {@code watcherUri} to {@code presentityUri} gets: {@link #ACTIVE} etc. */
    default int authStatus(String watcherUri, String presentityUri) {
        return ACTIVE;
    }

    /**
     * The presentity's decision on a watcher (Kamailio's {@code get_auth_status}): {@link #ACTIVE}
     * (reason {@code polite-block}: active, but the NOTIFYs carry no state), {@link #PENDING},
     * {@link #TERMINATED} (reason {@code rejected}: the SUBSCRIBE is accepted and ended at once by a
     * NOTIFY; no reason: 403), or {@link #UNDECIDED} when no rule speaks of the watcher, with the
     * reason that ends an active subscription then (presence_xml's {@code xcapauth_userdel_reason}).
     * By default {@link #authStatus} with no reason. Quick and thread-safe; may read a database.
     *
     * @since 1.1
     */
    default Authorisation authorise(String watcherUri, String presentityUri) {
        return new Authorisation(authStatus(watcherUri, presentityUri), null);
    }

    /** See {@link #authorise}. */
    record Authorisation(int status, String reason) {
    }

    /** A reply refusing a PUBLISH: status and reason phrase. */
    record Rejection(int status, String reason) {
    }

    /** One stored publication of a presentity. Times in seconds since the epoch. */
    record Publication(String etag, long receivedTime, long expires, byte[] body, String sender, int priority) {
    }

    /**
     * One watcher for a watcherinfo document: the subscription's id (its To tag), the watcher's
     * URI, {@code active}/{@code pending}/{@code terminated}, the RFC 3857 event ({@code subscribe},
     * {@code approved}, {@code timeout}, {@code rejected} ...), seconds subscribed and remaining.
     */
    record Watcher(String id, String watcherUri, String status, String event, long durationSubscribed,
            long expiresIn) {
    }
}
