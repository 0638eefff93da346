package org.siphon.presence.internal;

import java.util.HashMap;
import java.util.Map;

import org.siphon.presence.PresenceEvent;

/**
 * One publication as Kamailio's {@code presentity} row holds it: the presentity's user and
 * domain, the event, the entity tag, its absolute expiry, when it came, the body, the sender.
 * Kept in the shared store as a plain map. Immutable.
 */
record Presentity(String user, String domain, String event, String etag, long expires, long receivedTime, byte[] body,
        String sender, int priority, String ruid) {

    String uri() {
        return "sip:" + (user == null || user.isEmpty() ? "" : user + "@") + domain;
    }

    /** The key of all publications of one presentity and event. */
    static String key(String uri, String event) {
        return uri + "\u0001" + event;
    }

    PresenceEvent.Publication publication() {
        return new PresenceEvent.Publication(etag, receivedTime, expires, body, sender, priority);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new HashMap<>();
        m.put("username", user == null ? "" : user);
        m.put("domain", domain);
        m.put("event", event);
        m.put("etag", etag);
        m.put("expires", expires);
        m.put("received_time", receivedTime);
        m.put("body", body.clone());
        m.put("sender", sender == null ? "" : sender);
        m.put("priority", (long) priority);
        m.put("ruid", ruid == null ? "" : ruid);
        return Map.copyOf(m);
    }

    static Presentity fromMap(Map<?, ?> m) {
        return new Presentity(String.valueOf(m.get("username")), String.valueOf(m.get("domain")),
                String.valueOf(m.get("event")), String.valueOf(m.get("etag")), ((Number) m.get("expires")).longValue(),
                ((Number) m.get("received_time")).longValue(), ((byte[]) m.get("body")).clone(),
                String.valueOf(m.get("sender")), ((Number) m.get("priority")).intValue(), String.valueOf(m.get("ruid")));
    }
}
