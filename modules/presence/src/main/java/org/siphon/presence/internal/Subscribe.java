package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.EventHeader;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.presence.PresenceEvent;

/**
 * {@code handle_subscribe([watcher_uri])} (RFC 6665): a SUBSCRIBE without To tag makes a
 * subscription dialog (the server's To tag is its local tag), one with a To tag refreshes the
 * dialog it names (481 when there is none), {@code Expires: 0} ends it with a terminating
 * NOTIFY. Each accepted SUBSCRIBE gets 200 (or 202, {@code subs_respond_200=0}) with Expires and
 * Contact, then a NOTIFY with the current state. A watcher holding {@code max_watcher_subscriptions}
 * gets 503 for a new one. Runs on the SIP worker.
 */
final class Subscribe {

    private final PresenceComponent m;

    Subscribe(PresenceComponent m) {
        this.m = m;
    }

    int handle(ActionContext ctx, String watcherArg) {
        if (!(ctx.message() instanceof SipRequest req) || !req.isMethod(SipMethods.SUBSCRIBE)) {
            PresenceComponent.LOG.error("presence: handle_subscribe works on SUBSCRIBE requests only");
            return -1;
        }
        m.subscribes.increment();
        try {
            return subscribe(ctx, req, watcherArg);
        } catch (Exception e) {
            PresenceComponent.LOG.error("presence: SUBSCRIBE {} failed: {}", req.callId(), e.toString());
            m.replies.send(ctx, req, 500, "Server Internal Error", List.of());
            return -1;
        }
    }

    private int subscribe(ActionContext ctx, SipRequest req, String watcherArg) throws Exception {
        String eventValue = req.headerValue("Event");
        EventHeader ev;
        try {
            ev = eventValue == null ? null : EventHeader.parse(eventValue);
        } catch (RuntimeException x) {
            ev = null;
        }
        if (ev == null) {
            m.replies.send(ctx, req, 400, "Missing or Bad Event Header", List.of());
            return -1;
        }
        PresenceEvent e = m.event(ev.eventPackage().toLowerCase(Locale.ROOT));
        if (e == null) {
            m.replies.send(ctx, req, 489, "Bad Event", List.of(SipHeader.of("Allow-Events", m.allowEvents())));
            return -1;
        }
        if (!accepts(req, e.contentType())) {
            m.replies.send(ctx, req, 406, "Not Acceptable", List.of(SipHeader.of("Accept", e.contentType())));
            return -1;
        }
        PresenceComponent.Config c = m.config;
        long expires = req.expires();
        if (expires < 0) {
            expires = e.defaultExpires();
        }
        if (expires > c.max__expires()) {
            expires = c.max__expires();
        }
        if (expires != 0 && c.min__expires() > 0 && expires < c.min__expires()) {
            if (c.min__expires__action() == 1) {
                m.replies.send(ctx, req, 423, "Interval Too Brief",
                        List.of(SipHeader.of("Min-Expires", String.valueOf(c.min__expires()))));
                return -1;
            }
            expires = c.min__expires();
        }
        NameAddress contact = req.contacts().isEmpty() ? null : req.contacts().get(0);
        String toTag = req.toTag();
        long now = m.now();
        long cseq = req.cseq() == null ? 0 : req.cseq().number();
        if (toTag == null || toTag.isEmpty()) {
            return initial(ctx, req, e, ev, contact, expires, cseq, now, watcherArg);
        }
        String key = Subscription.key(req.callId(), req.fromTag(), toTag);
        Subscription s = m.subs.get(key);
        if (s == null || s.expires() <= now && expires != 0) {
            m.replies.send(ctx, req, 481, "Subscription does not exist", List.of());
            return -1;
        }
        if (!s.event().equalsIgnoreCase(e.name())) {
            m.replies.send(ctx, req, 489, "Bad Event", List.of(SipHeader.of("Allow-Events", s.event())));
            return -1;
        }
        if (cseq < s.remoteCseq()) {
            m.replies.send(ctx, req, 400, "Bad CSeq", List.of());
            return -1;
        }
        if (cseq == s.remoteCseq()) { // a retransmission answered statelessly: the same answer, no new NOTIFY
            ok(ctx, req, s.expires() - now, s.localContact());
            return 1;
        }
        String newContact = contact != null && contact.uri() != null ? contact.uri().toString() : s.contact();
        if (expires == 0) {
            Subscription gone = m.subs.remove(key);
            ctx.attribute(SubsVariables.SUBS, s.refreshed(cseq, now, newContact).toMap());
            ok(ctx, req, 0, s.localContact());
            if (gone != null) {
                m.notifier.terminated(gone.refreshed(cseq, now, newContact), "timeout");
                m.notifier.winfoChanged(gone, "terminated", "timeout");
            }
            return 1;
        }
        Subscription r = s.refreshed(cseq, now + expires, newContact);
        m.subs.put(r);
        ctx.attribute(SubsVariables.SUBS, r.toMap());
        ok(ctx, req, expires, s.localContact());
        if (c.send__fast__notify() != 0) {
            m.notifier.current(r);
        }
        return 1;
    }

    private int initial(ActionContext ctx, SipRequest req, PresenceEvent e, EventHeader ev, NameAddress contact,
            long expires, long cseq, long now, String watcherArg) throws Exception {
        if (contact == null || contact.uri() == null) {
            m.replies.send(ctx, req, 400, "Missing Contact", List.of());
            return -1;
        }
        String presentity = Uris.aor(req.edits().requestUri());
        String watcher = watcherArg == null || watcherArg.isBlank() ? Uris.aor(req.from() == null ? null
                : req.from().uri()) : Uris.aor(watcherArg);
        if (presentity == null || watcher == null || req.fromTag() == null || req.fromTag().isEmpty()) {
            m.replies.send(ctx, req, 400, "Bad Request-URI, From or From tag", List.of());
            return -1;
        }
        String[] w = Uris.userDomain(watcher);
        PresenceComponent.Config c = m.config;
        int limit = c.max__watcher__subscriptions();
        if (limit > 0 && expires > 0 && m.subs.countOfWatcher(w[0], w[1]) >= limit) {
            m.refusedSubscribes.increment();
            PresenceComponent.LOG.debug("presence: {} holds {} subscriptions already: 503", watcher, limit);
            m.replies.send(ctx, req, 503, "Too Many Subscriptions", List.of(SipHeader.of("Retry-After", "60")));
            return -1;
        }
        String toTag = m.replies.toTag(req);
        String localContact = localContact(req);
        if (expires == 0) { // a fetch (RFC 6665 §4.4.3): one terminating NOTIFY with the state, no dialog kept
            ok(ctx, req, 0, localContact);
            Subscription fetch = subscription(req, e, ev, contact, watcher, w, presentity, toTag, localContact, cseq, now,
                    now, PresenceEvent.ACTIVE, null);
            m.notifier.terminated(fetch, "timeout");
            return 1;
        }
        PresenceEvent.Authorisation auth = m.authorisations.decide(e, watcher, presentity, null);
        int status = auth.status();
        if (status == PresenceEvent.TERMINATED && auth.reason() == null) {
            m.replies.send(ctx, req, 403, "Forbidden", List.of());
            return -1;
        }
        if (status == PresenceEvent.TERMINATED) { // blocked (pres-rules): accepted, then ended at once, as Kamailio
            ok(ctx, req, expires, localContact);
            Subscription blocked = subscription(req, e, ev, contact, watcher, w, presentity, toTag, localContact, cseq,
                    now, now, status, auth.reason());
            if (e.requiresAuthorisation()) {
                m.authorisations.record(blocked, now);
            }
            m.notifier.terminated(blocked, auth.reason());
            return 1;
        }
        if (c.delete__same__subs() != 0) {
            for (Subscription old : m.subs.of(presentity, e.name())) {
                if (old.callId().equals(req.callId())) {
                    m.subs.remove(old.key());
                }
            }
        }
        Subscription s = subscription(req, e, ev, contact, watcher, w, presentity, toTag, localContact, cseq, now,
                now + expires, status, auth.reason());
        m.subs.put(s);
        ctx.attribute(SubsVariables.SUBS, s.toMap());
        if (e.requiresAuthorisation()) {
            m.authorisations.record(s, now);
        }
        ok(ctx, req, expires, localContact);
        m.notifier.current(s);
        m.notifier.winfoChanged(s, Notifier.status(status), "subscribe");
        return 1;
    }

    private Subscription subscription(SipRequest req, PresenceEvent e, EventHeader ev, NameAddress contact,
            String watcher, String[] w, String presentity, String toTag, String localContact, long cseq, long now,
            long expires, int status, String reason) {
        SipUri from = req.from().uri() instanceof SipUri f ? f : null;
        SipUri to = req.to() != null && req.to().uri() instanceof SipUri t ? t : null;
        String[] p = Uris.userDomain(presentity);
        List<String> rr = new ArrayList<>();
        for (NameAddress r : req.recordRoutes()) {
            if (!m.isMyself(r.uri())) {
                rr.add(r.toString());
            }
        }
        SipSource src = req.source();
        String socket = src == null || src.local() == null ? "" : (src.transport() == null ? "udp"
                : src.transport().toLowerCase(Locale.ROOT)) + ":" + src.local().getAddress().getHostAddress() + ":"
                + src.local().getPort();
        String ua = req.headerValue("User-Agent");
        return new Subscription(presentity, e.name(), ev.id(), w[0], w[1],
                to != null && to.user() != null ? to.user() : p[0], to != null ? to.host() : p[1],
                from != null && from.user() != null ? from.user() : w[0], from != null ? from.host() : w[1],
                req.callId(), toTag, req.fromTag(), 0, cseq, contact.uri().toString(), rr.isEmpty() ? null
                        : String.join(", ", rr), expires, status, reason, 0, socket, localContact, 0, 0, 0,
                ua == null ? "" : ua, now);
    }

    private void ok(ActionContext ctx, SipRequest req, long expires, String localContact) {
        List<SipHeader> h = List.of(SipHeader.of("Expires", String.valueOf(Math.max(0, expires))),
                SipHeader.of("Contact", "<" + localContact + ">"));
        if (m.config.subs__respond__200() != 0) {
            m.replies.send(ctx, req, 200, "OK", h);
        } else {
            m.replies.send(ctx, req, 202, "Accepted", h);
        }
    }

    /** server_address, else this server's address on the socket the request came in on. */
    String localContact(SipRequest req) {
        String configured = m.config.server__address().trim();
        if (!configured.isEmpty()) {
            return configured.replaceAll("^<|>$", "");
        }
        SipSource src = req.source();
        String hostPort = src == null ? null : m.stateful().advertised(src);
        if (hostPort == null && src != null && src.local() != null) {
            hostPort = src.local().getAddress().getHostAddress() + ":" + src.local().getPort();
        }
        String t = src == null || src.transport() == null ? "udp" : src.transport().toLowerCase(Locale.ROOT);
        return "sip:" + (hostPort == null ? "localhost" : hostPort) + (t.equals("udp") ? "" : ";transport=" + t);
    }

    /** No Accept header, or one listing the type (or a wildcard). */
    static boolean accepts(SipRequest req, String type) {
        List<SipHeader> accept = req.headers("Accept");
        if (accept.isEmpty()) {
            return true;
        }
        String major = type.substring(0, type.indexOf('/') + 1);
        for (SipHeader h : accept) {
            for (String part : h.value().split(",")) {
                String t = part.split(";")[0].trim().toLowerCase(Locale.ROOT);
                if (t.isEmpty() || t.equals(type) || t.equals("*/*") || t.equals(major + "*")) {
                    return true;
                }
            }
        }
        return false;
    }
}
