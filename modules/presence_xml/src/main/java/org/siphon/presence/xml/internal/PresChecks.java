package org.siphon.presence.xml.internal;

import java.util.List;
import java.util.Locale;

import org.siphon.presence.PresenceApi;
import org.siphon.presence.PresenceEvent;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Kamailio's {@code pres_check_basic(presentity_uri, status)} and
 * {@code pres_check_activities(presentity_uri, activity)}: whether one of the presentity's live
 * {@code presence} publications has a PIDF {@code <basic>} of that value, or an RPID
 * {@code <activities>} element holding that activity (RFC 4480, e.g. {@code busy},
 * {@code on-the-phone}). 1 when one has, -1 when none has, there is none, or presence is not
 * there (as Kamailio answers). Case-insensitive. Thread-safe.
 */
final class PresChecks {

    private PresChecks() {
    }

    static int basic(PresenceApi api, String uri, String status) {
        return check(api, uri, d -> {
            NodeList l = d.getElementsByTagNameNS(PidfEvent.NS, "basic");
            for (int i = 0; i < l.getLength(); i++) {
                if (l.item(i).getTextContent().trim().equalsIgnoreCase(status.trim())) {
                    return true;
                }
            }
            return false;
        });
    }

    static int activities(PresenceApi api, String uri, String activity) {
        return check(api, uri, d -> {
            NodeList l = d.getElementsByTagNameNS("*", "activities");
            for (int i = 0; i < l.getLength(); i++) {
                for (Node n = l.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e && e.getLocalName() != null
                            && e.getLocalName().toLowerCase(Locale.ROOT).equals(activity.trim().toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
            }
            return false;
        });
    }

    private interface Test {
        boolean holds(Document d);
    }

    private static int check(PresenceApi api, String uri, Test t) {
        if (api == null || uri == null) {
            return -1;
        }
        List<PresenceEvent.Publication> pubs = api.publications(uri, "presence");
        for (PresenceEvent.Publication p : pubs) {
            try {
                if (p.body() != null && t.holds(Xml.parse(p.body()))) {
                    return 1;
                }
            } catch (Xml.BadXml e) {
                // from the table, written by something else: not counted
            }
        }
        return -1;
    }
}
