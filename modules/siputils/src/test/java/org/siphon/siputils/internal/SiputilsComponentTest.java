package org.siphon.siputils.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class SiputilsComponentTest {

    private final List<String> replies = new ArrayList<>();
    private final SiputilsComponent utils = new SiputilsComponent((req, status, reason) -> replies.add(status + " " + reason));

    private static TestActionContext ctx(String method, String ruri, String to, String vias) {
        String text = method + " " + ruri + " SIP/2.0\r\n" + vias + "From: <sip:a@x>;tag=1\r\nTo: " + to + "\r\n"
                + "Call-ID: c\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
        return new TestActionContext(TestMessages.parse(text), RouteType.REQUEST);
    }

    private static TestActionContext ctx(String method, String ruri) {
        return ctx(method, ruri, "<sip:b@x>", "Via: SIP/2.0/UDP c;branch=z9hG4bK1\r\n");
    }

    private int call(String name, TestActionContext ctx, String... args) throws Exception {
        FunctionExport f = utils.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    @Test
    void dialogAndMessageKind() throws Exception {
        assertEquals(1, call("has_totag", ctx("BYE", "sip:b@x", "<sip:b@x>;tag=9", "Via: SIP/2.0/UDP c;branch=z9hG4bK1\r\n")));
        assertEquals(-1, call("has_totag", ctx("INVITE", "sip:b@x")));
        assertEquals(1, call("is_request", ctx("INVITE", "sip:b@x")));
        assertEquals(-1, call("is_reply", ctx("INVITE", "sip:b@x")));
        assertEquals(1, call("is_first_hop", ctx("INVITE", "sip:b@x")));
        assertEquals(-1, call("is_first_hop", ctx("INVITE", "sip:b@x", "<sip:b@x>",
                "Via: SIP/2.0/UDP p;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK1\r\n")));
    }

    @Test
    void optionsReplyAnswersOnlyOptionsForTheServer() throws Exception {
        assertEquals(1, call("options_reply", ctx("OPTIONS", "sip:proxy.example.com")));
        assertEquals(-1, call("options_reply", ctx("OPTIONS", "sip:alice@proxy.example.com")));
        assertEquals(-1, call("options_reply", ctx("INVITE", "sip:proxy.example.com")));
        assertEquals(List.of("200 OK"), replies);
    }

    @Test
    void uriParameters() throws Exception {
        TestActionContext c = ctx("INVITE", "sip:b@x;transport=tcp;lr");
        assertEquals(1, call("uri_param", c, "lr"));
        assertEquals(1, call("uri_param", c, "transport", "tcp"));
        assertEquals(-1, call("uri_param", c, "transport", "udp"));
        assertEquals(1, call("add_uri_param", c, "user=phone"));
        assertEquals("sip:b@x;transport=tcp;lr;user=phone", c.message().edits().requestUri().toString());
        assertEquals(1, call("uri_param", c, "user", "phone"));
    }

    @Test
    void e164AndComparisons() throws Exception {
        TestActionContext c = ctx("INVITE", "sip:b@x");
        assertEquals(1, call("is_e164", c, "+4930123456"));
        assertEquals(-1, call("is_e164", c, "030123456"));
        assertEquals(1, call("is_uri_user_e164", c, "sip:+4930123456@gw.example.com;user=phone"));
        assertEquals(1, call("is_uri_user_e164", c, "tel:+4930123456"));
        assertEquals(-1, call("is_uri_user_e164", c, "sip:alice@example.com"));
        assertEquals(1, call("cmp_uri", c, "sip:%61lice@Example.com;transport=TCP", "sip:alice@example.com;transport=tcp"));
        assertEquals(-1, call("cmp_uri", c, "sip:alice@example.com", "sip:alice@example.com:5060"));
        assertEquals(1, call("cmp_aor", c, "sip:alice@example.com:5060;transport=tcp", "sip:alice@EXAMPLE.com"));
        assertEquals(-1, call("cmp_aor", c, "sip:alice@example.com", "sip:bob@example.com"));
    }
}
