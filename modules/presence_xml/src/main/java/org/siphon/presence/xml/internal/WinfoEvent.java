package org.siphon.presence.xml.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.siphon.presence.PresenceEvent;

/**
 * Event package {@code presence.winfo} (RFC 3857) with watcherinfo bodies (RFC 3858): the first
 * NOTIFY of a subscription has {@code state="full"} with every watcher of the presentity's
 * presence, later ones {@code state="partial"} with the watcher that changed; {@code version}
 * counts up from 0 per subscription. Not publishable. Until pres-rules are read, only the
 * presentity itself may watch its watchers (RFC 3857 §5.2: watcherinfo needs authorisation);
 * anyone else gets 403. Thread-safe, stateless.
 */
final class WinfoEvent implements PresenceEvent {

    static final String TYPE = "application/watcherinfo+xml";
    static final String NS = "urn:ietf:params:xml:ns:watcherinfo";

    @Override
    public String name() {
        return "presence.winfo";
    }

    @Override
    public String contentType() {
        return TYPE;
    }

    @Override
    public boolean publishable() {
        return false;
    }

    @Override
    public String watcherInfoOf() {
        return "presence";
    }

    @Override
    public boolean requiresAuthorisation() {
        return true;
    }

    /** The presentity itself: active; anyone else: terminated (the SUBSCRIBE gets 403). */
    @Override
    public int authStatus(String watcherUri, String presentityUri) {
        return watcherUri.equalsIgnoreCase(presentityUri) ? ACTIVE : TERMINATED;
    }

    @Override
    public byte[] notifyBody(String presentityUri, List<Publication> publications) {
        return null;
    }

    @Override
    public byte[] watcherInfoBody(String presentityUri, List<Watcher> watchers, long version, boolean full) {
        StringBuilder b = new StringBuilder(256 + 160 * watchers.size());
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<watcherinfo xmlns=\"").append(NS).append("\" version=\"")
                .append(Math.max(0, version)).append("\" state=\"").append(full ? "full" : "partial").append("\">\n");
        b.append("  <watcher-list resource=\"").append(Xml.escape(presentityUri)).append("\" package=\"presence\">\n");
        for (Watcher w : watchers) {
            b.append("    <watcher id=\"").append(Xml.escape(w.id())).append("\" event=\"").append(Xml.escape(w.event()))
                    .append("\" status=\"").append(Xml.escape(w.status())).append("\" duration-subscribed=\"")
                    .append(w.durationSubscribed()).append('"');
            if (!"terminated".equals(w.status())) {
                b.append(" expiration=\"").append(w.expiresIn()).append('"');
            }
            b.append('>').append(Xml.escape(w.watcherUri())).append("</watcher>\n");
        }
        b.append("  </watcher-list>\n</watcherinfo>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
