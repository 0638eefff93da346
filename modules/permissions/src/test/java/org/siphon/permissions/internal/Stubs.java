package org.siphon.permissions.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.db.Database;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;

/** Small stand-ins for the core's services, through its API only: H2 as the Database, a map as the store. */
final class Stubs {

    private static final AtomicInteger DBS = new AtomicInteger();

    private Stubs() {
    }

    /** A request from {@code ip:port} over {@code transport}, routed in a request route; AVPs kept in a map. */
    static final class Context implements ActionContext {
        final SipMessage message;
        final Map<String, Object> avps = new HashMap<>();
        private final Map<String, Object> attributes = new HashMap<>();

        Context(String transport, String ip, int port, String from, String ruri) {
            String text = "INVITE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/" + transport.toUpperCase() + " " + hostPort(ip, port)
                    + ";branch=z9hG4bK1\r\nFrom: <" + from + ">;tag=ft\r\nTo: <" + ruri + ">\r\nCall-ID: c1\r\n"
                    + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            message = SipMessages.parse(text.getBytes(StandardCharsets.UTF_8),
                    new SipSource(transport, new InetSocketAddress(ip, port), new InetSocketAddress("127.0.0.1", 5060)));
        }

        private static String hostPort(String ip, int port) {
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
        }

        @Override public RouteType routeType() { return RouteType.REQUEST; }
        @Override public SipMessage message() { return message; }
        @Override public Uri destination() { return null; }
        @Override public void setDestination(Uri destination) { }
        @Override public Object attribute(String key) { return attributes.get(key); }
        @Override public void attribute(String key, Object value) { attributes.put(key, value); }
        @Override public Object avp(String name) { return avps.get(name); }
        @Override public void avp(String name, Object value) { avps.put(name, value); }
    }
}
