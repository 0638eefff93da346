package org.siphon.permissions.internal;

import java.net.InetSocketAddress;

import org.siphon.core.sip.SipSource;
import org.siphon.test.TestActionContext;

/** The requests the tests route (the database and the store are siphon-test's: TestDatabase, TestStores.shared()). */
final class Stubs {

    private Stubs() {
    }

    /** A request from {@code ip:port} over {@code transport}, routed in a request route (siphon-test's context: AVPs in a map). */
    static TestActionContext context(String transport, String ip, int port, String from, String ruri) {
        String text = "INVITE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/" + transport.toUpperCase() + " " + hostPort(ip, port)
                + ";branch=z9hG4bK1\r\nFrom: <" + from + ">;tag=ft\r\nTo: <" + ruri + ">\r\nCall-ID: c1\r\n"
                + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return TestActionContext.request(text,
                new SipSource(transport, new InetSocketAddress(ip, port), new InetSocketAddress("127.0.0.1", 5060)));
    }

    private static String hostPort(String ip, int port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}
