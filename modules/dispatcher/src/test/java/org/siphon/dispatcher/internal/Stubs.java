package org.siphon.dispatcher.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.RouteType;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;
import org.siphon.core.registry.RegistryListener;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;
import org.siphon.test.TestConfigs;

/** Stand-ins for the core's services through its API only: maps for the store, the context and the PVs. */
final class Stubs {

    private Stubs() {
    }

    /** The module's configuration: defaults, with {@code overrides} by method name (e.g. {@code flags}). */
    static DispatcherComponent.Config config(Map<String, Object> overrides) {
        return TestConfigs.of(DispatcherComponent.Config.class,
                overrides.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray());
    }

    /** $xavp and $var kept in the context's map {@code pvs} under {@code xavp:name} / {@code var:name}. */
    static final class Pvs implements PseudoVariableRegistry {
        @Override public Optional<PseudoVariableExport> find(String name) {
            if (!name.equals("xavp") && !name.equals("var")) {
                return Optional.empty();
            }
            return Optional.of(PseudoVariableExport.builder(name, "core").innerName(PseudoVariableExport.InnerName.REQUIRED, s -> s)
                    .getter((c, n) -> ((Context) c).pvs.get(name + ":" + n))
                    .setter((c, n, v) -> ((Context) c).pvs.put(name + ":" + n, v)).build());
        }
        @Override public Collection<PseudoVariableExport> all() { return List.of(); }
        @Override public List<PseudoVariableExport> ofModule(String module) { return List.of(); }
        @Override public void addListener(RegistryListener<PseudoVariableExport> listener) { }
        @Override public void removeListener(RegistryListener<PseudoVariableExport> listener) { }
    }

    /** An INVITE from 127.0.0.1:{@code port} with Call-ID {@code callId}. */
    static final class Context implements ActionContext {
        final SipMessage message;
        final Map<String, Object> pvs = new HashMap<>();
        final Map<String, Object> attributes = new HashMap<>();
        final List<Branch> branches = new ArrayList<>();
        Uri destination;
        RouteType type = RouteType.REQUEST;

        Context(String callId, String from, int port) {
            String text = "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port
                    + ";branch=z9hG4bK1\r\nFrom: <" + from + ">;tag=ft\r\nTo: <sip:bob@example.com>\r\nCall-ID: " + callId + "\r\n"
                    + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
            message = SipMessages.parse(text.getBytes(StandardCharsets.UTF_8),
                    new SipSource("udp", new InetSocketAddress("127.0.0.1", port), new InetSocketAddress("127.0.0.1", 5060)));
        }

        Context(String callId) {
            this(callId, "sip:alice@example.com", 5099);
        }

        @Override public RouteType routeType() { return type; }
        @Override public SipMessage message() { return message; }
        @Override public Uri destination() { return destination; }
        @Override public void setDestination(Uri d) { destination = d; }
        @Override public Object attribute(String key) { return attributes.get(key); }
        @Override public void attribute(String key, Object value) { attributes.put(key, value); }
        @Override public List<Branch> branches() { return branches; }
    }
}
