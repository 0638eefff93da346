package org.siphon.registrar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.store.StoreTable;
import org.siphon.core.store.SharedStore;
import org.siphon.test.TestStores;

/** The location table as stored in the core's store: what a refresh writes and what it keeps. */
class LocationTest {

    private final StoreTable table = TestStores.shared(() -> 0).table("location");
    private final Location location = new Location(table);

    private static Contact contact(String uri, String callId, long cseq, long expires, long modified) {
        return new Contact(uri, expires, -1, callId, cseq, null, null, "ua 1.0", modified, 0, null);
    }

    /** A REGISTER's change as save() makes it: the binding with the same URI replaced, sharing its strings. */
    private static List<Contact> refresh(List<Contact> live, Contact in) {
        List<Contact> next = new ArrayList<>(live);
        for (int i = 0; i < next.size(); i++) {
            if (next.get(i).uri().equals(in.uri())) {
                next.set(i, in.sharing(next.get(i)));
                return next;
            }
        }
        next.add(in);
        return next;
    }

    @Test
    void aRefreshWritesTheNumbersIntoTheStoredContact() {
        location.update("alice", 1000, live -> refresh(live, contact("sip:alice@h", "c1", 1, 61_000, 1000)));
        Object stored = table.get("alice");
        Object storedContact = ((List<?>) stored).get(0);

        List<Contact> after = location.update("alice", 2000,
                live -> refresh(live, contact(new String("sip:alice@h"), new String("c1"), 2, 62_000, 2000)));

        assertSame(stored, table.get("alice"), "the stored list is the one that was there");
        assertSame(storedContact, ((List<?>) table.get("alice")).get(0));
        assertEquals(List.of(contact("sip:alice@h", "c1", 2, 62_000, 2000)), after);
        assertEquals(after, location.contacts("alice", 2000));
        assertEquals(List.of(), location.contacts("alice", 62_000), "expired at the refreshed time");
    }

    @Test
    void aNewCallIdIsWrittenIntoTheStoredContact() {
        location.update("bob", 1000, live -> refresh(live, contact("sip:bob@h", "c1", 1, 61_000, 1000)));
        Object stored = table.get("bob");
        Object storedContact = ((List<?>) stored).get(0);

        location.update("bob", 2000, live -> refresh(live, contact("sip:bob@h", "c2", 1, 62_000, 2000)));

        assertSame(stored, table.get("bob"), "another Call-ID, same binding (RFC 3261 10.3 step 7)");
        assertSame(storedContact, ((List<?>) table.get("bob")).get(0));
        assertEquals(List.of(contact("sip:bob@h", "c2", 1, 62_000, 2000)), location.contacts("bob", 2000));
    }

    @Test
    void aChangedContactIsStoredAnew() {
        location.update("bob", 1000, live -> refresh(live, contact("sip:bob@h", "c1", 1, 61_000, 1000)));
        Object stored = table.get("bob");

        location.update("bob", 2000, live -> refresh(live,
                new Contact("sip:bob@h", 62_000, -1, "c1", 2, null, null, "ua 2.0", 2000, 0, null)));
        assertNotSame(stored, table.get("bob"), "another User-Agent: a new binding");
        assertEquals("ua 2.0", location.contacts("bob", 2000).get(0).userAgent());

        location.update("bob", 3000, live -> refresh(live, contact("sip:bob@other", "c3", 1, 63_000, 3000)));
        assertEquals(List.of("sip:bob@other", "sip:bob@h"),
                location.contacts("bob", 3000).stream().map(Contact::uri).toList(), "newest first");
    }

    @Test
    void contactsStoredByAnEarlierModuleVersionStillRead() {
        Object[] v1 = { "sip:carol@h", 61_000L, 500, "c1", 7L, null, null, "ua", 1000L, 0L, null };
        table.put("carol", List.of((Object) v1), 0);
        assertEquals(List.of(new Contact("sip:carol@h", 61_000, 500, "c1", 7, null, null, "ua", 1000, 0, null)),
                location.contacts("carol", 2000));
        List<Contact> after = location.update("carol", 2000,
                live -> refresh(live, contact("sip:carol@h", "c1", 8, 62_000, 2000)));
        assertEquals(8, after.get(0).cseq());
        assertEquals(after, location.contacts("carol", 2000));
    }

    @Test
    void theSweepKeepsAListWithNothingExpired() {
        location.update("dave", 1000, live -> refresh(live, contact("sip:dave@h", "c1", 1, 61_000, 1000)));
        Object stored = table.get("dave");
        assertEquals(0, location.expire(30_000));
        assertSame(stored, table.get("dave"));
        assertEquals(1, location.expire(61_000));
        assertEquals(List.of(), location.contacts("dave", 61_000));
    }
}
