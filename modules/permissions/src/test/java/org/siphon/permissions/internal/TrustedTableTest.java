package org.siphon.permissions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrustedTableTest {

    private final TrustedTable table = new TrustedTable(List.of(
            TrustedRow.of("10.0.0.1", "any", null, null, "low", 0),
            TrustedRow.of("10.0.0.1", "udp", "^sip:.*@carrier\\.example$", null, "high", 10),
            TrustedRow.of("10.0.0.2", "TCP", "", "^sip:\\+1", "tcp-us", 0),
            TrustedRow.of("10.0.0.3", "none", null, null, "never", 0),
            TrustedRow.of("2001:db8::1", "any", null, null, "v6", 0)));

    private List<String> tags(String ip, String proto, String from, String ruri) {
        return table.match(ip, proto, from, ruri).stream().map(TrustedRow::tag).toList();
    }

    @Test
    void highestPriorityFirst() {
        assertEquals(List.of("high", "low"), tags("10.0.0.1", "udp", "sip:gw@carrier.example", "sip:bob@x"));
        assertEquals(List.of("low"), tags("10.0.0.1", "tcp", "sip:gw@carrier.example", "sip:bob@x"), "the udp row");
        assertEquals(List.of("low"), tags("10.0.0.1", "udp", "sip:gw@other.example", "sip:bob@x"), "From pattern");
    }

    @Test
    void transports() {
        assertEquals(List.of("tcp-us"), tags("10.0.0.2", "tcp", "sip:a@b", "sip:+15551234@x"));
        assertEquals(List.of(), tags("10.0.0.2", "udp", "sip:a@b", "sip:+15551234@x"));
        assertEquals(List.of("tcp-us"), tags("10.0.0.2", "any", "sip:a@b", "sip:+15551234@x"), "proto any takes any row");
        assertEquals(List.of(), tags("10.0.0.2", "tcp", "sip:a@b", "sip:+4930@x"), "Request-URI pattern");
        assertEquals(List.of(), tags("10.0.0.3", "udp", "sip:a@b", "sip:c@d"), "none never matches");
        assertEquals(List.of(), tags("10.0.0.9", "udp", "sip:a@b", "sip:c@d"));
    }

    @Test
    void ipv6SourcesInAnyForm() {
        assertEquals(List.of("v6"), tags("2001:db8:0:0:0:0:0:1", "udp", "sip:a@b", "sip:c@d"));
        assertEquals("2001:db8::1", TrustedTable.key("2001:DB8:0::1"));
        assertEquals("pbx.example", TrustedTable.key("pbx.example"));
    }

    @Test
    void badRowsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrustedRow.of("10.0.0.1", "smtp", null, null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> TrustedRow.of("10.0.0.1", "udp", "sip:(", null, null, 0));
        assertThrows(IllegalArgumentException.class, () -> TrustedRow.of("10.0.0.1", "udp", null, "[", null, 0));
        assertThrows(IllegalArgumentException.class, () -> TrustedRow.of("", "udp", null, null, null, 0));
        TrustedRow r = TrustedRow.of("10.0.0.1", "udp", "a", null, null, 3);
        assertEquals(r.toString(), TrustedRow.fromPlain(r.plain()).toString());
        assertTrue(TrustedRow.PROTOS.contains("wss"));
    }
}
