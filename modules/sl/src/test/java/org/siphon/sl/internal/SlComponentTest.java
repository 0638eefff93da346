package org.siphon.sl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class SlComponentTest {

    private final StubSipCore core = new StubSipCore();
    private final SlComponent sl = new SlComponent(core);

    private static TestActionContext ctx(String method) {
        String text = method + " sip:x@h SIP/2.0\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:x@h>\r\nCall-ID: c\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
        return new TestActionContext(TestMessages.parse(text), RouteType.REQUEST);
    }

    private int call(String name, TestActionContext ctx, String... args) throws Exception {
        FunctionExport f = sl.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    @Test
    void repliesAndCountsThem() throws Exception {
        assertEquals(1, call("sl_send_reply", ctx("OPTIONS"), "404", "Not Here"));
        assertEquals(1, call("send_reply", ctx("INVITE"), "486", "Busy Here"));
        assertEquals(1, call("sl_reply_error", ctx("INVITE")));
        assertEquals(List.of("404 Not Here", "486 Busy Here", "500 null"), core.replies.stream().map(Object::toString).toList());
        Map<?, ?> stats = (Map<?, ?>) sl.rpcCommands().get(0).handler().call(new RpcParams("sl.stats", List.of()));
        assertEquals(1L, stats.get("404_replies"));
        assertEquals(2L, stats.get("4xx_replies"));
        assertEquals(1L, stats.get("5xx_replies"));
        assertEquals(3L, stats.get("sent_replies"));
        assertEquals(1L, stats.get("sent_err_replies"));
    }

    @Test
    void anAckIsNeverAnswered() throws Exception {
        assertEquals(-1, call("sl_send_reply", ctx("ACK"), "200", "OK"));
        assertEquals(List.of(), core.replies);
    }

    @Test
    void statusCodesAreCheckedWhenTheScriptLoads() {
        FunctionExport f = sl.functions().get(0);
        assertThrows(IllegalArgumentException.class, () -> f.fixup().apply(List.of("99", "x")));
        assertThrows(IllegalArgumentException.class, () -> f.fixup().apply(List.of("700", "x")));
        assertThrows(IllegalArgumentException.class, () -> f.fixup().apply(List.of("ok", "x")));
    }
}
