package org.siphon.xcap_server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class ConditionsTest {

    @Test
    void ifMatch() {
        assertEquals(Conditions.PASS, Conditions.check(false, "e1", "\"e1\"", null));
        assertEquals(Conditions.PASS, Conditions.check(false, "e1", "\"e0\", \"e1\"", null));
        assertEquals(Conditions.PASS, Conditions.check(false, "e1", "*", null));
        assertEquals(412, Conditions.check(false, "e1", "\"e2\"", null));
        assertEquals(412, Conditions.check(false, null, "*", null), "If-Match: * with no document");
        assertEquals(412, Conditions.check(true, "e1", "\"e2\"", null), "a GET fails too");
    }

    @Test
    void ifNoneMatch() {
        assertEquals(304, Conditions.check(true, "e1", null, "\"e1\""));
        assertEquals(304, Conditions.check(true, "e1", null, "W/\"e1\""));
        assertEquals(412, Conditions.check(false, "e1", null, "\"e1\""));
        assertEquals(412, Conditions.check(false, "e1", null, "*"), "create-only PUT of an existing document");
        assertEquals(Conditions.PASS, Conditions.check(false, null, null, "*"), "create-only PUT of a new document");
        assertEquals(Conditions.PASS, Conditions.check(true, "e1", null, "\"e2\""));
        assertEquals(Conditions.PASS, Conditions.check(true, "e1", "", " "));
    }

    @Test
    void tags() {
        assertEquals(List.of("a", "b", "*"), Conditions.tags("\"a\" , W/\"b\",*,"));
    }
}
