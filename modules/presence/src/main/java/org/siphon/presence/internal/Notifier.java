package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipParseException;
import org.siphon.core.sip.header.HeaderText;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.SipResponse;
import org.siphon.presence.PresenceEvent;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;

/**
 * Builds the NOTIFYs and sends them in-dialog through tm's UAC: From with the server's tag, To
 * with the watcher's, the dialog's Call-ID, the next local CSeq (taken atomically from the
 * subscription store), its route set, Event (with {@code id}), Subscription-State
 * ({@code active;expires=N}, {@code pending;expires=N}, {@code terminated;reason=R}) and Contact.
 * The body of one presentity's change is built once for all its watchers. A 481 or 404 (and a
 * 408 with {@code timeout_rm_subs}) ends the subscription. Thread-safe.
 */
final class Notifier {

    /** Kamailio's event route for the replies to NOTIFYs. */
    static final String NOTIFY_REPLY = "presence:notify-reply";

    private final PresenceComponent m;

    Notifier(PresenceComponent m) {
        this.m = m;
    }

    /** The first NOTIFY of an accepted SUBSCRIBE (and of each refresh with send_fast_notify). */
    void current(Subscription s) throws Exception {
        PresenceEvent e = m.event(s.event());
        if (e == null) {
            return;
        }
        if (e.watcherInfoOf() != null) {
            Subscription cur = m.subs.next(s.key(), true);
            if (cur != null) {
                byte[] body = cur.status() == PresenceEvent.ACTIVE
                        ? e.watcherInfoBody(s.presentityUri(), watchers(s.presentityUri(), e.watcherInfoOf()),
                                cur.version() - 1, true)
                        : null;
                send(cur, state(cur), body, e);
            }
            return;
        }
        Subscription cur = m.subs.next(s.key(), false);
        if (cur != null) {
            send(cur, state(cur), Authorisations.showsState(cur) ? body(e, s.presentityUri()) : null, e);
        }
    }

    /** The last NOTIFY of a subscription already removed from the store. */
    void terminated(Subscription s, String reason) {
        PresenceEvent e = m.event(s.event());
        Subscription last = s.withCseq(s.localCseq() + 1);
        byte[] body = null;
        if (e != null && e.watcherInfoOf() == null && Authorisations.showsState(s) && "timeout".equals(reason)) {
            try {
                body = body(e, s.presentityUri());
            } catch (Exception x) {
                body = null;
            }
        }
        send(last, "terminated;reason=" + reason, body, e);
        forget(s);
    }

    /** The publications of uri's event changed: one body, a NOTIFY to every active watcher but the sender. */
    void publicationChanged(String uri, String event, String exceptWatcher) throws Exception {
        PresenceEvent e = m.event(event);
        if (e == null) {
            return;
        }
        List<Subscription> watchers = m.subs.of(uri, event);
        if (watchers.isEmpty()) {
            return;
        }
        byte[] body = null;
        boolean built = false;
        for (Subscription s : watchers) {
            if (exceptWatcher != null && exceptWatcher.equals(s.watcherUri())) {
                continue;
            }
            if (s.expires() <= m.now()) {
                continue; // the sweep ends it with its last NOTIFY
            }
            if (Authorisations.showsState(s) && !built) {
                body = body(e, uri);
                built = true;
            }
            Subscription cur = m.subs.next(s.key(), false);
            if (cur != null) {
                send(cur, state(cur), Authorisations.showsState(cur) ? body : null, e);
            }
        }
    }

    /** A subscription to {@code changed}'s event appeared or ended: its presentity's watcherinfo subscribers hear of it. */
    void winfoChanged(Subscription changed, String status, String why) {
        for (PresenceEvent e : m.events()) {
            if (!changed.event().equalsIgnoreCase(e.watcherInfoOf() == null ? "" : e.watcherInfoOf())) {
                continue;
            }
            try {
                long now = m.now();
                PresenceEvent.Watcher w = new PresenceEvent.Watcher(changed.toTag(), changed.watcherUri(), status, why,
                        changed.created() > 0 ? Math.max(0, now - changed.created()) : 0,
                        Math.max(0, changed.expires() - now));
                for (Subscription s : m.subs.of(changed.presentityUri(), e.name())) {
                    if (s.status() != PresenceEvent.ACTIVE || s.expires() <= now) {
                        continue;
                    }
                    Subscription cur = m.subs.next(s.key(), true);
                    if (cur != null) {
                        send(cur, state(cur), e.watcherInfoBody(changed.presentityUri(), List.of(w), cur.version() - 1,
                                false), e);
                    }
                }
            } catch (Exception x) {
                PresenceComponent.LOG.error("presence: watcherinfo of {} not sent: {}", changed.presentityUri(),
                        x.toString());
            }
        }
    }

    /**
     * pres_update_watchers: each watcher's state decided again ({@link Authorisations}); the changed
     * ones get a NOTIFY (or a terminating one: reason {@code rejected}, {@code probation}) and the
     * presentity's watcherinfo subscribers hear of them.
     */
    void reviewAuthorisation(String uri, PresenceEvent e) throws Exception {
        long now = m.now();
        for (Subscription s : m.subs.of(uri, e.name())) {
            if (s.expires() <= now) {
                continue; // the sweep ends it
            }
            PresenceEvent.Authorisation a = m.authorisations.decide(e, s.watcherUri(), uri, s);
            if (a.status() == s.status() && java.util.Objects.equals(a.reason(), s.reason())) {
                continue;
            }
            Subscription changed = s.withStatus(a.status(), a.reason());
            if (a.status() == PresenceEvent.TERMINATED) {
                Subscription gone = m.subs.remove(s.key());
                if (gone != null) {
                    m.authorisations.record(changed, now);
                    String why = a.reason() == null ? "rejected" : a.reason();
                    terminated(gone.withStatus(a.status(), a.reason()), why);
                    winfoChanged(gone, "terminated", why);
                }
                continue;
            }
            m.subs.put(changed);
            m.authorisations.record(changed, now);
            current(changed);
            winfoChanged(changed, status(a.status()), a.status() == PresenceEvent.ACTIVE ? "approved" : "subscribe");
        }
    }

    /** Every subscription to {@code uri}'s {@code event}, as watcherinfo entries. */
    List<PresenceEvent.Watcher> watchers(String uri, String event) throws Exception {
        long now = m.now();
        List<PresenceEvent.Watcher> out = new ArrayList<>();
        for (Subscription s : m.subs.of(uri, event)) {
            if (s.expires() <= now) {
                continue;
            }
            out.add(new PresenceEvent.Watcher(s.toTag(), s.watcherUri(), status(s.status()),
                    s.status() == PresenceEvent.ACTIVE ? "subscribe" : "subscribe",
                    s.created() > 0 ? Math.max(0, now - s.created()) : 0, Math.max(0, s.expires() - now)));
        }
        return out;
    }

    static String status(int s) {
        return switch (s) {
            case PresenceEvent.ACTIVE -> "active";
            case PresenceEvent.TERMINATED -> "terminated";
            case PresenceEvent.WAITING -> "waiting";
            default -> "pending";
        };
    }

    private String state(Subscription s) {
        long left = Math.max(0, s.expires() - m.now());
        return (s.status() == PresenceEvent.ACTIVE ? "active" : "pending") + ";expires=" + left;
    }

    /** The NOTIFY body of uri's current publications (not expired), or the event's "no state" body. */
    byte[] body(PresenceEvent e, String uri) throws Exception {
        long now = m.now();
        List<Presentity> all = m.pres.of(uri, e.name());
        List<PresenceEvent.Publication> live = new ArrayList<>(all.size());
        for (Presentity p : all) {
            if (p.expires() > now) {
                live.add(p.publication());
            }
        }
        if (m.config.retrieve__order() == 1) {
            live.sort((a, b) -> Integer.compare(b.priority(), a.priority()));
        }
        return e.notifyBody(uri, live);
    }

    private void send(Subscription s, String state, byte[] body, PresenceEvent e) {
        TmApi tm = m.tm();
        if (tm == null) {
            m.failedNotifies.increment();
            PresenceComponent.LOG.warn("presence: module tm is not active: no NOTIFY to {}", s.contact());
            return;
        }
        DialogParts d = parts(s);
        List<SipHeader> h = new ArrayList<>(d.headers().size() + 2);
        h.addAll(d.headers());
        h.add(SipHeader.of("CSeq", s.localCseq() + " NOTIFY"));
        h.add(SipHeader.of("Subscription-State", state));
        String type = body == null || e == null ? null : e.contentType();
        UacRequest req = new UacRequest("NOTIFY", s.contact(), d.nextHop(), null, null, h, type, body);
        m.inFlight.incrementAndGet();
        try {
            tm.requestWithin(req).whenComplete((reply, err) -> {
                m.inFlight.decrementAndGet();
                replied(s, reply, err, state.startsWith("terminated"));
            });
        } catch (RuntimeException x) {
            m.inFlight.decrementAndGet();
            m.failedNotifies.increment();
            PresenceComponent.LOG.warn("presence: NOTIFY to {} not sent: {}", s.contact(), x.toString());
        }
    }

    /**
     * The headers of a subscription's NOTIFYs that stay the same for the dialog (From, To, Call-ID,
     * Route, Event, Contact) and its next hop, made once per dialog and contact.
     */
    record DialogParts(String contact, String localContact, List<SipHeader> headers, String nextHop) {
    }

    /** Per subscription key; at most {@link #MAX_PARTS}, all dropped when full. */
    private final java.util.concurrent.ConcurrentHashMap<String, DialogParts> dialogParts =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_PARTS = 65_536;

    DialogParts parts(Subscription s) {
        String key = s.key();
        DialogParts d = dialogParts.get(key);
        if (d != null && d.contact().equals(s.contact()) && java.util.Objects.equals(d.localContact(), s.localContact())) {
            return d;
        }
        List<SipHeader> h = new ArrayList<>(6);
        h.add(SipHeader.of("From", "<" + uri(s.toUser(), s.toDomain()) + ">;tag=" + s.toTag()));
        h.add(SipHeader.of("To", "<" + uri(s.fromUser(), s.fromDomain()) + ">;tag=" + s.fromTag()));
        h.add(SipHeader.of("Call-ID", s.callId()));
        String nextHop = null;
        if (s.recordRoute() != null && !s.recordRoute().isBlank()) {
            h.add(SipHeader.of("Route", s.recordRoute()));
            nextHop = firstRoute(s.recordRoute());
        }
        h.add(SipHeader.of("Event", s.event() + (s.eventId() == null || s.eventId().isEmpty() ? "" : ";id=" + s.eventId())));
        h.add(SipHeader.of("Contact", "<" + s.localContact() + ">"));
        d = new DialogParts(s.contact(), s.localContact(), List.copyOf(h), nextHop);
        if (dialogParts.size() >= MAX_PARTS) {
            dialogParts.clear();
        }
        dialogParts.put(key, d);
        return d;
    }

    /**
     * The URI of the first element of a route set as the core parses it (commas inside quoted
     * display names or {@code <>} do not split), or null when the set does not parse: then the
     * NOTIFY goes by its Route header alone.
     */
    static String firstRoute(String routeSet) {
        try {
            return NameAddress.parse(HeaderText.splitCommas(routeSet).get(0)).uri().toString();
        } catch (SipParseException e) {
            return null;
        }
    }

    /** The subscription ended: its parts are not needed again. */
    void forget(Subscription s) {
        dialogParts.remove(s.key());
    }

    private void replied(Subscription s, SipResponse reply, Throwable err, boolean last) {
        int code = reply == null ? 0 : reply.status();
        org.siphon.core.function.EventRoutes routes = m.eventRoutes();
        if (reply != null && routes != null && routes.has(NOTIFY_REPLY)) { // on the module's thread, not tm's
            m.background(() -> {
                try {
                    routes.run(NOTIFY_REPLY, reply, java.util.Map.of(SubsVariables.SUBS, s.toMap(),
                            SubsVariables.REPLY, reply));
                } catch (RuntimeException x) {
                    PresenceComponent.LOG.warn("presence: event_route[{}] failed: {}", NOTIFY_REPLY, x.toString());
                }
            });
        }
        if (code >= 200 && code < 300) {
            m.notifies.increment();
            return;
        }
        m.failedNotifies.increment();
        PresenceComponent.LOG.debug("presence: NOTIFY to {} answered {}", s.contact(), err != null ? err : code);
        if (last) {
            return;
        }
        if (code == 481 || code == 404 || (code == 408 && m.config.timeout__rm__subs() != 0)) {
            m.background(() -> {
                try {
                    Subscription gone = m.subs.remove(s.key());
                    if (gone != null && code == 408) {
                        PresenceComponent.LOG.debug("presence: subscription of {} to {} ({}) ended: its NOTIFY timed out",
                                gone.watcherUri(), gone.presentityUri(), gone.event());
                    } else if (gone != null) {
                        PresenceComponent.LOG.info("presence: subscription of {} to {} ({}) ended: its NOTIFY got {}",
                                gone.watcherUri(), gone.presentityUri(), gone.event(), code);
                    }
                    if (gone != null) {
                        forget(gone);
                        winfoChanged(gone, "terminated", code == 408 ? "timeout" : "noresource");
                    }
                } catch (Exception x) {
                    PresenceComponent.LOG.error("presence: subscription {} not removed: {}", s.callId(), x.toString());
                }
            });
        }
    }

    private static String uri(String user, String domain) {
        return "sip:" + (user == null || user.isEmpty() ? "" : user + "@") + domain;
    }
}
