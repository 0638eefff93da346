package org.siphon.pike.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.SipMessage;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class PikeComponentTest {

    static PikeComponent.Config config(int density) {
        return new PikeComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return PikeComponent.Config.class; }
            @Override public int sampling__time__unit() { return 60; }
            @Override public int reqs__density__per__unit() { return density; }
            @Override public int remove__latency() { return 120; }
        };
    }

    static TestActionContext request(String ip) {
        String text = "OPTIONS sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP " + ip + ";branch=z9hG4bK1\r\n"
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        SipMessage m = TestMessages.parse(text, new SipSource("udp", new InetSocketAddress(ip, 5060), new InetSocketAddress("127.0.0.1", 5060)));
        return new TestActionContext(m, RouteType.REQUEST);
    }

    static int checks(PikeComponent pike, String ip, int n) throws Exception {
        var f = pike.functions().get(0);
        int last = 0;
        for (int i = 0; i < n; i++) {
            last = f.handler().call(request(ip), new Object[0]);
        }
        return last;
    }

    /** cfg.reload: a new density applies to the export registered at activation; unchanged parameters keep the counts. */
    @Test
    void aChangedDensityAppliesInPlace() throws Exception {
        PikeComponent pike = new PikeComponent();
        pike.activate(config(5));
        assertEquals(1, checks(pike, "10.0.0.1", 5));
        pike.modified(config(5));
        assertEquals(-1, checks(pike, "10.0.0.1", 1), "the same parameters: the sixth request still counts as the sixth");
        pike.modified(config(50));
        assertEquals(1, checks(pike, "10.0.0.1", 20), "a higher density, from a fresh table");
        assertEquals(-1, checks(pike, "10.0.0.1", 31));
    }
}
