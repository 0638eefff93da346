package org.siphon.maxfwd.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipMessage;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class MaxfwdComponentTest {

    private static MaxfwdComponent module(int maxLimit) {
        MaxfwdComponent c = new MaxfwdComponent();
        c.activate(config(maxLimit));
        return c;
    }

    private static MaxfwdComponent.Config config(int maxLimit) {
        return new MaxfwdComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return MaxfwdComponent.Config.class; }
            @Override public int max__limit() { return maxLimit; }
        };
    }

    private static TestActionContext ctx(String maxForwardsLine) {
        String text = "OPTIONS sip:x@h SIP/2.0\r\nVia: SIP/2.0/UDP c;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                + "To: <sip:x@h>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n" + maxForwardsLine + "Content-Length: 0\r\n\r\n";
        SipMessage m = TestMessages.parse(text);
        return new TestActionContext(m, RouteType.REQUEST);
    }

    private static int call(MaxfwdComponent c, String name, TestActionContext ctx, String arg) throws Exception {
        FunctionExport f = c.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(java.util.List.of(arg)));
    }

    private static String written(TestActionContext ctx) {
        return new String(TestMessages.bytes(ctx.message()), StandardCharsets.UTF_8);
    }

    @Test
    void kamailiosReturnCodes() throws Exception {
        MaxfwdComponent c = module(70);
        TestActionContext absent = ctx("");
        assertEquals(2, call(c, "mf_process_maxfwd_header", absent, "10"));
        assertTrue(written(absent).contains("\r\nMax-Forwards: 10\r\n"), written(absent));
        TestActionContext present = ctx("Max-Forwards: 5\r\n");
        assertEquals(1, call(c, "mf_process_maxfwd_header", present, "10"));
        assertTrue(written(present).contains("\r\nMax-Forwards: 4\r\n"));
        assertEquals(-1, call(c, "mf_process_maxfwd_header", ctx("Max-Forwards: 0\r\n"), "10"));
    }

    @Test
    void maxLimitCapsTheDecrementedValue() throws Exception {
        TestActionContext high = ctx("Max-Forwards: 200\r\n");
        assertEquals(1, call(module(16), "mf_process_maxfwd_header", high, "10"));
        assertTrue(written(high).contains("\r\nMax-Forwards: 16\r\n"));
    }

    /** cfg.reload: the exports registered at activation keep working and use the new max_limit. */
    @Test
    void aChangedMaxLimitAppliesInPlace() throws Exception {
        MaxfwdComponent c = module(16);
        FunctionExport registered = c.functions().get(0);
        TestActionContext before = ctx("Max-Forwards: 200\r\n");
        assertEquals(1, registered.handler().call(before, registered.fixup().apply(java.util.List.of("10"))));
        assertTrue(written(before).contains("\r\nMax-Forwards: 16\r\n"), written(before));
        c.modified(config(30));
        TestActionContext after = ctx("Max-Forwards: 200\r\n");
        assertEquals(1, registered.handler().call(after, registered.fixup().apply(java.util.List.of("10"))));
        assertTrue(written(after).contains("\r\nMax-Forwards: 30\r\n"), written(after));
        assertEquals(java.util.Set.of(), c.restartParameters());
    }

    @Test
    void isMaxfwdLtSeesTheEditedValue() throws Exception {
        MaxfwdComponent c = module(70);
        TestActionContext ctx = ctx("Max-Forwards: 3\r\n");
        assertEquals(1, call(c, "is_maxfwd_lt", ctx, "5"));
        assertEquals(-2, call(c, "is_maxfwd_lt", ctx, "3"));
        call(c, "mf_process_maxfwd_header", ctx, "10");
        assertEquals(1, call(c, "is_maxfwd_lt", ctx, "3"), "3 was decremented to 2");
        assertEquals(-1, call(c, "is_maxfwd_lt", ctx(""), "3"));
    }

    @Test
    void badArgumentsAreRefusedAtLoad() {
        MaxfwdComponent c = module(70);
        FunctionExport f = c.functions().get(0);
        assertThrows(IllegalArgumentException.class, () -> f.fixup().apply(java.util.List.of("many")));
        assertThrows(IllegalArgumentException.class, () -> f.fixup().apply(java.util.List.of("300")));
    }
}
