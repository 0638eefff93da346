package org.siphon.presence.xml.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.presence.PresenceApi;
import org.siphon.presence.PresenceEvent.Publication;

class PresChecksTest {

    static final String BUSY = "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
            + "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"sip:al@x\"><tuple id=\"t\"><status><basic>open</basic>"
            + "</status></tuple><dm:person id=\"p\"><rpid:activities><rpid:on-the-phone/></rpid:activities></dm:person></presence>";

    static Publication pub(String body) {
        return new Publication("e", 1, 2, body.getBytes(StandardCharsets.UTF_8), "", 0);
    }

    @Test
    void basicAndActivities() {
        PresenceApi api = (uri, event) -> uri.equals("sip:al@x") && event.equals("presence")
                ? List.of(pub("<broken"), pub(BUSY)) : List.of();
        assertEquals(1, PresChecks.basic(api, "sip:al@x", "open"));
        assertEquals(1, PresChecks.basic(api, "sip:al@x", "OPEN"));
        assertEquals(-1, PresChecks.basic(api, "sip:al@x", "closed"));
        assertEquals(1, PresChecks.activities(api, "sip:al@x", "on-the-phone"));
        assertEquals(-1, PresChecks.activities(api, "sip:al@x", "away"));
        assertEquals(-1, PresChecks.basic(api, "sip:nobody@x", "open"), "no publication");
        assertEquals(-1, PresChecks.activities(null, "sip:al@x", "busy"), "presence not there");
    }
}
