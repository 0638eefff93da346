package org.siphon.presence.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.EventHeader;
import org.siphon.core.sip.header.MediaType;
import org.siphon.presence.PresenceEvent;

/**
 * {@code handle_publish([sender_uri])} (RFC 3903): a PUBLISH without {@code SIP-If-Match} and with a
 * body makes a new publication; with {@code SIP-If-Match} naming one of the presentity's entity
 * tags it refreshes it (no body), modifies it (a body) or removes it ({@code Expires: 0}); an
 * unknown tag gets 412. Every accepted PUBLISH gets a new entity tag in {@code SIP-ETag}. A change
 * of state (new, modified, removed) notifies the presentity's watchers. Runs on the SIP worker;
 * the database work (publ_cache 0 and 1) too, before the reply, as in Kamailio.
 */
final class Publish {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String PREFIX = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);

    private final PresenceComponent m;

    Publish(PresenceComponent m) {
        this.m = m;
    }

    /** An entity tag unique to this server: a random prefix per class load, the time, a counter. */
    static String etag() {
        return "a." + PREFIX + "." + Long.toHexString(System.currentTimeMillis()) + "." + COUNTER.incrementAndGet();
    }

    int handle(ActionContext ctx, String senderArg) {
        if (!(ctx.message() instanceof SipRequest req) || !req.isMethod(SipMethods.PUBLISH)) {
            PresenceComponent.LOG.error("presence: handle_publish works on PUBLISH requests only");
            return -1;
        }
        m.publishes.increment();
        try {
            return publish(ctx, req, senderArg);
        } catch (Exception e) {
            PresenceComponent.LOG.error("presence: PUBLISH {} failed: {}", req.callId(), e.toString());
            m.replies.send(ctx, req, 500, "Server Internal Error", List.of());
            return -1;
        }
    }

    private int publish(ActionContext ctx, SipRequest req, String senderArg) throws Exception {
        String eventName = eventName(req);
        if (eventName == null) {
            m.replies.send(ctx, req, 400, "Missing or Bad Event Header", List.of());
            return -1;
        }
        PresenceEvent e = m.event(eventName);
        if (e == null || !e.publishable()) {
            m.replies.send(ctx, req, 489, "Bad Event", List.of(SipHeader.of("Allow-Events", m.allowEvents())));
            return -1;
        }
        String uri = Uris.aor(req.edits().requestUri());
        if (uri == null) {
            m.replies.send(ctx, req, 400, "Bad Request-URI", List.of());
            return -1;
        }
        long expires = req.expires();
        PresenceComponent.Config c = m.config;
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
        String ifMatch = req.headerValue("SIP-If-Match");
        byte[] body = req.body();
        boolean hasBody = body != null && body.length > 0;
        if (hasBody) {
            MediaType ct = req.contentType();
            String type = ct == null ? null : ct.essence().toLowerCase(Locale.ROOT);
            if (type == null || e.publishTypes().stream().noneMatch(t -> t.equalsIgnoreCase(type))) {
                m.replies.send(ctx, req, 415, "Unsupported Media Type",
                        List.of(SipHeader.of("Accept", String.join(", ", e.publishTypes()))));
                return -1;
            }
            PresenceEvent.Rejection bad = e.check(body, type);
            if (bad != null) {
                m.replies.send(ctx, req, bad.status(), bad.reason(), List.of());
                return -1;
            }
        }
        String sender = senderArg == null || senderArg.isBlank() ? null : Uris.aor(senderArg);
        long now = m.now();
        String[] ud = Uris.userDomain(uri);
        String etag = etag();
        boolean changed;
        if (ifMatch == null || ifMatch.isBlank()) {
            if (!hasBody) {
                m.replies.send(ctx, req, 400, "Missing Body", List.of());
                return -1;
            }
            if (expires == 0) {
                m.replies.send(ctx, req, 200, "OK", List.of(SipHeader.of("Expires", "0")));
                return 1;
            }
            m.pres.put(uri, new Presentity(ud[0], ud[1], e.name(), etag, now + expires, now, body,
                    sender == null ? "" : sender, 0, UUID.randomUUID().toString()), null);
            changed = true;
        } else {
            String old = ifMatch.trim();
            Presentity found = null;
            for (Presentity p : m.pres.of(uri, e.name())) {
                if (p.etag().equals(old) && p.expires() > now) {
                    found = p;
                }
            }
            if (found == null) {
                m.replies.send(ctx, req, 412, "Conditional Request Failed", List.of());
                return -1;
            }
            if (expires == 0) {
                m.pres.remove(uri, e.name(), old);
                m.replies.send(ctx, req, 200, "OK", List.of(SipHeader.of("SIP-ETag", old), SipHeader.of("Expires", "0")));
                m.notifier.publicationChanged(uri, e.name(), sender);
                return 1;
            }
            m.pres.put(uri, new Presentity(ud[0], ud[1], e.name(), etag, now + expires,
                    hasBody ? now : found.receivedTime(), hasBody ? body : found.body(),
                    sender == null ? found.sender() : sender, found.priority(), found.ruid()), old);
            changed = hasBody;
        }
        List<SipHeader> h = new ArrayList<>();
        h.add(SipHeader.of("SIP-ETag", etag));
        h.add(SipHeader.of("Expires", String.valueOf(Math.max(0, expires - c.expires__offset()))));
        m.replies.send(ctx, req, 200, "OK", h);
        if (changed) {
            m.notifier.publicationChanged(uri, e.name(), sender);
        }
        return 1;
    }

    /** The Event header's package (with its template), lower case; null when missing or malformed. */
    static String eventName(SipRequest req) {
        String v = req.headerValue("Event");
        if (v == null) {
            v = req.headerValue("o");
        }
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return EventHeader.parse(v).eventPackage().toLowerCase(Locale.ROOT);
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
