package org.siphon.jsonrpcs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class JsonrpcsTest {

    @Test
    void anAnswerIs200OkWithItsDocument() {
        JsonrpcsComponent.Reply r = JsonrpcsComponent.reply("{\"jsonrpc\":\"2.0\",\"result\":{\"x\":1},\"id\":1}");
        assertEquals(200, r.code());
        assertEquals("OK", r.text());
        assertEquals("{\"jsonrpc\":\"2.0\",\"result\":{\"x\":1},\"id\":1}", r.body());
    }

    @Test
    void anErrorGivesItsCodeAndMessage() {
        JsonrpcsComponent.Reply r = JsonrpcsComponent.reply(
                "{\"jsonrpc\": \"2.0\", \"error\": {\"code\": -32601, \"message\": \"method \\\"x\\\" not found\"}, \"id\": 1}");
        assertEquals(-32601, r.code());
        assertEquals("method \"x\" not found", r.text());
    }

    @Test
    void aNotificationHasAnEmptyAnswer() {
        assertEquals(new JsonrpcsComponent.Reply(200, "OK", ""), JsonrpcsComponent.reply(null));
    }

    @Test
    void jsonrplTakesCodeTextOrBody() {
        assertEquals("code", JsonrpcsComponent.replyKey(" code "));
        assertThrows(IllegalArgumentException.class, () -> JsonrpcsComponent.replyKey("status"));
    }
}
