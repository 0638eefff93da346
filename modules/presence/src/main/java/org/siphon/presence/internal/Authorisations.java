package org.siphon.presence.internal;

import org.siphon.presence.PresenceEvent;
import org.siphon.presence.PresenceEvent.Authorisation;

/**
 * The state a watcher's subscription gets, as Kamailio's presence decides it: the event package's
 * answer ({@link PresenceEvent#authorise}, presence_xml's pres-rules) when it has one; when the
 * presentity's rules say nothing of the watcher, a new or pending subscription takes the state
 * Kamailio's {@code watchers} table holds for it (active or terminated, e.g. set by an
 * application), an active one ends with the package's reason ({@code probation}), and anything
 * else is pending. Runs on the SIP worker (one {@code watchers} query when undecided, database
 * modes only). Thread-safe.
 */
final class Authorisations {

    private final PresenceComponent m;

    Authorisations(PresenceComponent m) {
        this.m = m;
    }

    /** The decision for {@code watcher}'s subscription to {@code presentity}'s event {@code e}; {@code current} null for a new one. */
    Authorisation decide(PresenceEvent e, String watcher, String presentity, Subscription current) {
        Authorisation a = e.authorise(watcher, presentity);
        if (a == null) {
            a = new Authorisation(PresenceEvent.UNDECIDED, null);
        }
        if (a.status() != PresenceEvent.UNDECIDED) {
            return a;
        }
        if ((current == null || current.status() == PresenceEvent.PENDING) && m.dbSubs != null) {
            String[] w = Uris.userDomain(watcher);
            try {
                Authorisation row = m.dbSubs.watcherRow(presentity, w[0], w[1], e.name());
                if (row != null && row.status() == PresenceEvent.ACTIVE) {
                    return row;
                }
                if (row != null && row.status() == PresenceEvent.TERMINATED) {
                    return new Authorisation(PresenceEvent.TERMINATED, row.reason() == null || row.reason().isBlank()
                            ? "rejected" : row.reason());
                }
            } catch (Exception x) {
                PresenceComponent.LOG.warn("presence: watchers row of {} to {} not read: {}", watcher, presentity,
                        x.toString());
            }
        }
        if (current != null && current.status() == PresenceEvent.ACTIVE) {
            return new Authorisation(PresenceEvent.TERMINATED, a.reason() == null ? "probation" : a.reason());
        }
        return new Authorisation(PresenceEvent.PENDING, null);
    }

    /** Records a decision in Kamailio's {@code watchers} table (database modes; failures logged). */
    void record(Subscription s, long now) {
        if (m.dbSubs == null) {
            return;
        }
        try {
            m.dbSubs.watcher(s, now);
        } catch (Exception x) {
            PresenceComponent.LOG.warn("presence: watchers row of {} not written: {}", s.watcherUri(), x.toString());
        }
    }

    /** Whether NOTIFYs of this subscription carry the presentity's state (active and not polite-blocked). */
    static boolean showsState(Subscription s) {
        return s.status() == PresenceEvent.ACTIVE && !"polite-block".equals(s.reason());
    }
}
