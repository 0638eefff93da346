package org.siphon.dispatcher.internal;

import java.net.InetSocketAddress;
import java.util.Map;

import org.siphon.core.sip.SipSource;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;

/** The module's configuration and the requests the tests route, through siphon-test. */
final class Stubs {

    private Stubs() {
    }

    /** The module's configuration: defaults, with {@code overrides} by method name (e.g. {@code flags}). */
    static DispatcherComponent.Config config(Map<String, Object> overrides) {
        return TestConfigs.of(DispatcherComponent.Config.class,
                overrides.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
    }

    /** An INVITE from 127.0.0.1:{@code port} with Call-ID {@code callId}; $xavp and $var in its {@code values()}. */
    static TestActionContext context(String callId, String from, int port) {
        String text = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port
                + ";branch=z9hG4bK1\r\nFrom: <" + from + ">;tag=ft\r\nTo: <sip:bob@example.com>\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return TestActionContext.request(text,
                new SipSource("udp", new InetSocketAddress("127.0.0.1", port), new InetSocketAddress("127.0.0.1", 5060)));
    }

    static TestActionContext context(String callId) {
        return context(callId, "sip:alice@example.com", 5099);
    }
}
