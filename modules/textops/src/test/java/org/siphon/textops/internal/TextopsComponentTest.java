package org.siphon.textops.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class TextopsComponentTest {

    private final TextopsComponent textops = new TextopsComponent();

    private static TestActionContext ctx(String body) {
        String text = "INVITE sip:0049301234@gw.example.com SIP/2.0\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK1\r\n"
                + "From: <sip:a@x>;tag=1\r\nTo: <sip:b@x>\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nX-Secret: 1\r\nX-Secret-2: 2\r\n"
                + "P-Asserted-Identity: <sip:a@x>\r\n" + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        return new TestActionContext(TestMessages.parse(text), RouteType.REQUEST);
    }

    private int call(String name, TestActionContext ctx, String... args) throws Exception {
        FunctionExport f = textops.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    private static String written(TestActionContext ctx) {
        return new String(TestMessages.bytes(ctx.message()), StandardCharsets.UTF_8);
    }

    @Test
    void stringComparisons() throws Exception {
        TestActionContext c = ctx("");
        assertEquals(1, call("starts_with", c, "00441234", "00"));
        assertEquals(-1, call("starts_with", c, "0441234", "00"));
        assertEquals(1, call("ends_with", c, "1238800", "8800"));
        assertEquals(-1, call("ends_with", c, "12388", "8800"));
        assertEquals(1, call("cmp_str", c, "kamailio", "kamailio"));
        assertEquals(-1, call("cmp_str", c, "kamailio", "Kamailio"));
        assertEquals(1, call("cmp_istr", c, "kamailio@you", "KAMAILIO@YOU"));
    }

    @Test
    void rawTextFunctionsRewriteHeaderLinesAndTheBody() throws Exception {
        TestActionContext c = ctx("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\nc=IN IP4 10.0.0.1\r\n");
        assertEquals(1, call("search_append", c, "X-Secret: 1", "\r\nX-Added: yes"));
        assertEquals(1, call("replace", c, "Secret-2", "Public"));
        assertEquals(1, call("subst", c, "/IN IP4 10\\.0\\.0\\.1/IN IP4 192.0.2.7/g"));
        assertEquals(-1, call("replace", c, "nowhere to be found", "x"));
        assertEquals(-1, call("replace", c, "X-Secret: 1", "no colon here"), "a header line cannot become garbage");
        String out = written(c);
        assertTrue(out.contains("\r\nX-Secret: 1\r\nX-Added: yes\r\nX-Public: 2\r\n"), out);
        assertTrue(out.endsWith("\r\n\r\nv=0\r\no=- 1 1 IN IP4 192.0.2.7\r\nc=IN IP4 192.0.2.7\r\n"), out);
        assertTrue(out.contains("Content-Length: 51\r\n"), out);
        assertEquals(1, call("search", c, "X-Secret-2"), "reads keep seeing the message as received");
        TestActionContext first = ctx("");
        assertEquals(1, call("subst", first, "/X-Secret/X-Hidden/"));
        assertTrue(written(first).contains("X-Hidden: 1\r\nX-Secret-2: 2"), "without g only the first match");
        assertEquals(1, call("replace_all", first, "X-Secret", "X-Gone"));
    }

    @Test
    void replyHeadersAndBodyWaitForTheNextLocalReply() throws Exception {
        TestActionContext c = ctx("");
        assertEquals(1, call("append_to_reply", c, "Retry-After: 30\r\nX-Why: test\r\n"));
        assertEquals(1, call("append_to_reply", c, "Contact: <sip:b@y>\r\n"));
        assertEquals(-1, call("append_to_reply", ctx(""), "no header here"));
        assertEquals(List.of("Retry-After: 30", "X-Why: test", "Contact: <sip:b@y>"),
                ((List<?>) c.attribute(org.siphon.core.function.ActionContext.REPLY_HEADERS)).stream()
                        .map(h -> ((org.siphon.core.sip.SipHeader) h).name() + ": " + ((org.siphon.core.sip.SipHeader) h).value()).toList());
        assertEquals(1, call("set_reply_body", c, "hello", "text/plain"));
        assertEquals(List.of("text/plain", "hello"),
                List.of((String[]) c.attribute(org.siphon.core.function.ActionContext.REPLY_BODY)));
        assertEquals(-1, call("has_body", c), "the request itself is unchanged");
    }

    @Test
    void methodsAndPresence() throws Exception {
        TestActionContext c = ctx("");
        assertEquals(1, call("is_method", c, "REGISTER|INVITE"));
        assertEquals(-1, call("is_method", c, "BYE"));
        assertEquals(1, call("is_present_hf", c, "p-asserted-identity"));
        assertEquals(-1, call("is_present_hf", c, "Route"));
        assertEquals(1, call("is_present_hf_re", c, "X-Sec.*"));
        assertEquals(-1, call("has_body", c));
        assertEquals(1, call("has_body", ctx("v=0\r\n"), "application/sdp"));
        assertEquals(-1, call("has_body", ctx("v=0\r\n"), "text/plain"));
        assertEquals(1, call("search", c, "X-Secret-2: [0-9]"));
    }

    @Test
    void headerEditsGoToTheEditList() throws Exception {
        TestActionContext c = ctx("");
        assertEquals(1, call("append_hf", c, "X-Appended: yes\r\n"));
        assertEquals(1, call("insert_hf", c, "X-First: 1\r\n"));
        assertEquals(1, call("remove_hf", c, "P-Asserted-Identity"));
        assertEquals(1, call("remove_hf_re", c, "X-Secret.*"));
        assertEquals(-1, call("remove_hf", c, "Route"));
        assertEquals(1, call("is_present_hf", c, "P-Asserted-Identity"), "reads see the message as received");
        String out = written(c);
        assertTrue(out.contains("\r\nX-First: 1\r\nVia:"), out);
        assertTrue(out.contains("Content-Length: 0\r\nX-Appended: yes\r\n\r\n"), "after the last header: " + out);
        assertTrue(!out.contains("P-Asserted") && !out.contains("X-Secret"), out);
        assertEquals(-1, call("append_hf", c, "no colon here"));
    }

    @Test
    void bodyAndUriSubstitutions() throws Exception {
        TestActionContext c = ctx("");
        assertEquals(1, call("set_body", c, "hello", "text/plain"));
        String withBody = written(c);
        assertTrue(withBody.contains("\r\nContent-Type: text/plain\r\n") && withBody.contains("\r\nContent-Length: 5\r\n")
                && withBody.endsWith("\r\n\r\nhello"), withBody);
        assertEquals(1, call("subst_user", c, "/^00/+/"));
        assertEquals("sip:+49301234@gw.example.com", c.message().edits().requestUri().toString());
        assertEquals(1, call("subst_uri", c, "/@gw\\.example\\.com$/@10.0.0.1;user=phone/"));
        assertEquals("sip:+49301234@10.0.0.1;user=phone", c.message().edits().requestUri().toString());
        assertEquals(-1, call("subst_user", c, "/^99/x/"));
        assertEquals(1, call("subst_user", c, "/^\\+(49)(.*)$/0\\2-\\1/"));
        assertEquals("sip:0301234-49@10.0.0.1;user=phone", c.message().edits().requestUri().toString());
        FunctionExport f = textops.functions().stream().filter(e -> e.name().equals("search")).findFirst().orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> f.fixup().apply(List.of("([")));
    }
}
