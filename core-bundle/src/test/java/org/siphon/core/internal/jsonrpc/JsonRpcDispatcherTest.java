package org.siphon.core.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.registry.RpcRegistryImpl;
import org.siphon.core.rpc.RpcCommand;

class JsonRpcDispatcherTest {

    private final JsonRpcDispatcher dispatcher;

    JsonRpcDispatcherTest() {
        RpcRegistryImpl registry = new RpcRegistryImpl();
        registry.add(List.of(new RpcCommand("t.echo", "t", "x", "echo", p -> p.expect(1, 1, "x").values().get(0))));
        dispatcher = new JsonRpcDispatcher(registry);
    }

    private Object call(String body) throws Exception {
        String answer = dispatcher.handle(body);
        return answer == null ? null : Json.parse(answer);
    }

    private static Object errorCode(Object answer) {
        return ((Map<?, ?>) ((Map<?, ?>) answer).get("error")).get("code");
    }

    @Test
    void answersOneRequest() throws Exception {
        assertEquals(Map.of("jsonrpc", "2.0", "id", 7L, "result", "hi"),
                call("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"t.echo\",\"params\":[\"hi\"]}"));
    }

    @Test
    void keepsStringIds() throws Exception {
        Map<?, ?> a = (Map<?, ?>) call("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"t.echo\",\"params\":[1]}");
        assertEquals("abc", a.get("id"));
        assertEquals(1L, a.get("result"));
    }

    @Test
    void notificationsGetNoAnswer() throws Exception {
        assertNull(call("{\"jsonrpc\":\"2.0\",\"method\":\"t.echo\",\"params\":[1]}"));
    }

    @Test
    void batchAnswersEachRequestButNotNotifications() throws Exception {
        List<?> answers = (List<?>) call("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"t.echo\",\"params\":[1]},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"t.echo\",\"params\":[2]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"nope\"}, 5]");
        assertEquals(3, answers.size());
        assertEquals(1L, ((Map<?, ?>) answers.get(0)).get("result"));
        assertEquals(-32601L, errorCode(answers.get(1)));
        assertEquals(JsonRpcDispatcher.INVALID_REQUEST, ((Long) errorCode(answers.get(2))).intValue());
    }

    @Test
    void protocolFaultsHaveTheirCodes() throws Exception {
        assertEquals(-32700L, errorCode(call("{not json")));
        assertEquals(-32600L, errorCode(call("[]")));
        assertEquals(-32600L, errorCode(call("\"text\"")));
        assertEquals(-32600L, errorCode(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}")));
        assertEquals(-32600L, errorCode(call("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"t.echo\"}")));
        assertEquals(-32601L, errorCode(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"t.none\"}")));
        assertEquals(-32602L, errorCode(call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"t.echo\"}")));
        Object named = call("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"t.echo\",\"params\":{\"x\":1}}");
        assertEquals(-32602L, errorCode(named));
        assertTrue(((Map<?, ?>) ((Map<?, ?>) named).get("error")).get("message").toString().contains("positional"));
    }
}
