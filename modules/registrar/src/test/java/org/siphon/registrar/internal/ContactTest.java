package org.siphon.registrar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ContactTest {

    private static Contact contact(String uri, String callId, String ua, long expires) {
        return new Contact(uri, expires, -1, callId, 2, null, "sip:127.0.0.1:5070;transport=udp", ua, 1000, 0,
                "INVITE,BYE");
    }

    @Test
    void aRefreshReusesTheStoredStringsThatAreEqual() {
        Contact old = contact("sip:alice@127.0.0.1:5070", "call-1", "softphone 1.0", 5000);
        Contact refresh = contact(new String("sip:alice@127.0.0.1:5070"), new String("call-1"), "softphone 2.0", 9000);

        Contact stored = refresh.sharing(old);

        assertEquals(refresh, stored, "the same values");
        assertSame(old.uri(), stored.uri());
        assertSame(old.callId(), stored.callId());
        assertSame(old.received(), stored.received());
        assertSame(old.methods(), stored.methods());
        assertNotSame(old.userAgent(), stored.userAgent());
        assertEquals("softphone 2.0", stored.userAgent(), "a changed value is the new one");
        assertEquals(9000, stored.expires());
        assertNull(stored.path());
    }
}
