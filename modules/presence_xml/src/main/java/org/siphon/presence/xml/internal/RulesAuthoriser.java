package org.siphon.presence.xml.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.LongSupplier;

import org.siphon.presence.PresenceEvent;
import org.siphon.presence.PresenceEvent.Authorisation;

/**
 * Kamailio's {@code force_active=0}: the decision on a watcher of {@code presence} from the
 * presentity's pres-rules ({@link XcapRules}, {@link PresRules}). {@code allow}: active;
 * {@code polite-block}: active with reason {@code polite-block} (NOTIFYs without state, as
 * Kamailio); {@code confirm}: pending; {@code block}: terminated, reason {@code rejected}; no
 * document or no rule for the watcher: undecided (presence keeps a new one pending and ends an
 * active one with {@code xcapauth_userdel_reason}). A document that does not parse, or a table that
 * cannot be read, counts as none (logged). Thread-safe.
 */
final class RulesAuthoriser {

    private final XcapRules rules;
    private final String userdelReason;
    private final LongSupplier clock;

    RulesAuthoriser(XcapRules rules, String userdelReason, LongSupplier clock) {
        this.rules = rules;
        this.userdelReason = userdelReason;
        this.clock = clock;
    }

    Authorisation decide(String watcherUri, String presentityUri) {
        String p = presentityUri.startsWith("sip:") ? presentityUri.substring(4)
                : presentityUri.startsWith("sips:") ? presentityUri.substring(5) : presentityUri;
        int at = p.lastIndexOf('@');
        String user = at < 0 ? "" : p.substring(0, at);
        String domain = p.substring(at + 1);
        List<byte[]> docs;
        try {
            docs = rules.documents(user, domain);
        } catch (Exception e) {
            PresenceXmlComponent.LOG.warn("presence_xml: pres-rules of {} not read from {}: {}", presentityUri,
                    rules.table(), e.toString());
            return undecided();
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(Instant.ofEpochMilli(clock.getAsLong()), ZoneOffset.UTC);
        int best = -1;
        for (byte[] d : docs) {
            try {
                best = Math.max(best, PresRules.parse(d).subHandling(watcherUri.toLowerCase(java.util.Locale.ROOT), now));
            } catch (Xml.BadXml e) {
                PresenceXmlComponent.LOG.warn("presence_xml: pres-rules of {} do not parse: {}", presentityUri,
                        e.getMessage());
            }
        }
        return switch (best) {
            case PresRules.ALLOW -> new Authorisation(PresenceEvent.ACTIVE, null);
            case PresRules.POLITE_BLOCK -> new Authorisation(PresenceEvent.ACTIVE, "polite-block");
            case PresRules.CONFIRM -> new Authorisation(PresenceEvent.PENDING, null);
            case PresRules.BLOCK -> new Authorisation(PresenceEvent.TERMINATED, "rejected");
            default -> undecided();
        };
    }

    private Authorisation undecided() {
        return new Authorisation(PresenceEvent.UNDECIDED, userdelReason);
    }
}
