package org.siphon.core.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListenSpecTest {

    @Test
    void kamailioForms() {
        assertEquals(List.of(new ListenSpec("udp", "127.0.0.1", 5060, null, 0)), ListenSpec.parse("udp:127.0.0.1:5060"));
        assertEquals(List.of(new ListenSpec("udp", "10.0.0.1", 5060, null, 0), new ListenSpec("tcp", "10.0.0.1", 5060, null, 0)),
                ListenSpec.parse("10.0.0.1"));
        assertEquals(List.of(new ListenSpec("tcp", "::1", 5070, null, 0)), ListenSpec.parse("tcp:[::1]:5070"));
        ListenSpec adv = ListenSpec.parse("udp:10.0.0.1:5060 advertise 203.0.113.5:5080").get(0);
        assertEquals("203.0.113.5", adv.advertiseHost());
        assertEquals(5080, adv.viaPort(5060));
        assertEquals("[::1]", new ListenSpec("udp", "::1", 5060, null, 0).viaHost());
        assertEquals("udp:[::1]:5060", new ListenSpec("udp", "::1", 5060, null, 0).toString());
        assertEquals(List.of(new ListenSpec("tls", "1.2.3.4", 5061, null, 0)), ListenSpec.parse("tls:1.2.3.4"),
                "TLS listens on 5061 unless told");
        assertEquals(List.of("udp", "tcp"), ListenSpec.parse("1.2.3.4").stream().map(ListenSpec::proto).toList(),
                "no protocol: UDP and TCP");
    }

    @ParameterizedTest
    @ValueSource(strings = { "ws:1.2.3.4:80", "udp:", "udp:1.2.3.4:port", "udp:1.2.3.4:70000", "[::1", "[::1]x" })
    void badSpecsAreRefusedWithTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ListenSpec.parse(text));
        assertEquals(true, e.getMessage().startsWith("listen:"), e.getMessage());
    }
}
