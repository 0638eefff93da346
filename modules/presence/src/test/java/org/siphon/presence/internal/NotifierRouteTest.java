package org.siphon.presence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The next hop of a NOTIFY: the first element of the subscription's route set, parsed as the core does. */
class NotifierRouteTest {

    @Test
    void theFirstElementOfTheRouteSetIsTheNextHop() {
        assertEquals("sip:10.0.0.1;lr", Notifier.firstRoute("<sip:10.0.0.1;lr>, <sip:10.0.0.2;lr>"));
    }

    @Test
    void aCommaInAQuotedDisplayNameDoesNotSplit() {
        assertEquals("sip:p1.example.com;lr",
                Notifier.firstRoute("\"Proxy, the first\" <sip:p1.example.com;lr>;x=1, <sip:p2.example.com;lr>"));
    }

    @Test
    void aBareUriIsTheNextHop() {
        assertEquals("sip:10.0.0.1:5070", Notifier.firstRoute("sip:10.0.0.1:5070"));
    }

    @Test
    void aRouteSetThatDoesNotParseGivesNoNextHop() {
        assertNull(Notifier.firstRoute("<sip:10.0.0.1;lr"));
    }
}
