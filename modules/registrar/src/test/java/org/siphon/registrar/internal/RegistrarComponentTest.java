package org.siphon.registrar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.proxy.CoreActionContext;
import org.siphon.core.internal.store.SharedStoreComponent;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;

class RegistrarComponentTest {

    long now = 1_000_000;
    final List<String> replies = new ArrayList<>();
    final SipCore core = new SipCore() {
        @Override public int forward(ActionContext ctx, Uri target) { return 1; }
        @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) {
            StringBuilder sb = new StringBuilder(status + " " + reason);
            extra.forEach(h -> sb.append(" | ").append(h.name()).append(": ").append(h.value()));
            replies.add(sb.toString());
        }
        @Override public Destination resolve(Uri uri) { return null; }
        @Override public CompletableFuture<Void> send(byte[] bytes, Destination destination) { return null; }
        @Override public String via(Destination destination, String branch) { return null; }
        @Override public boolean isMyself(String host, int port) { return false; }
    };
    final RegistrarComponent reg = new RegistrarComponent(core, new SharedStoreComponent(() -> now), config(0, 0, 1),
            () -> now);

    static RegistrarComponent.Config config(int maxContacts, int maxExpires, int usePath) {
        return new RegistrarComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return RegistrarComponent.Config.class; }
            @Override public int default__expires() { return 3600; }
            @Override public int min__expires() { return 60; }
            @Override public int max__expires() { return maxExpires; }
            @Override public int max__contacts() { return maxContacts; }
            @Override public int use__path() { return usePath; }
            @Override public int append__branches() { return 1; }
            @Override public int use__domain() { return 0; }
            @Override public int timer__interval() { return 60; }
            @Override public int db__mode() { return 0; }
        };
    }

    static CoreActionContext request(String method, String ruri, String to, String callId, int cseq, String extra) {
        String text = method + " " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK" + cseq + "\r\n"
                + "From: <" + to + ">;tag=f\r\nTo: <" + to + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " " + method
                + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), true);
        m.source(new SipSource("udp", new InetSocketAddress("10.0.0.1", 5060), new InetSocketAddress("127.0.0.1", 5060)));
        return new CoreActionContext(m, RouteType.REQUEST);
    }

    int call(String name, ActionContext ctx, String... args) throws Exception {
        FunctionExport f = reg.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    int register(String callId, int cseq, String extra) throws Exception {
        return call("save", request("REGISTER", "sip:example.com", "sip:alice@example.com", callId, cseq, extra), "location");
    }

    String last() {
        return replies.get(replies.size() - 1);
    }

    @Test
    void registerThenRefreshQueryAndRemove() throws Exception {
        assertEquals(1, register("c1", 1, "Contact: <sip:alice@10.0.0.1:5060>\r\nExpires: 600\r\n"));
        assertEquals("200 OK | Contact: <sip:alice@10.0.0.1:5060>;expires=600", last());
        now += 100_000;
        assertEquals(1, register("c9", 1, ""), "a query");
        assertEquals("200 OK | Contact: <sip:alice@10.0.0.1:5060>;expires=500", last());
        assertEquals(1, register("c1", 2, "Contact: <sip:alice@10.0.0.1:5060>;expires=1200\r\n"), "refresh, same Call-ID, higher CSeq");
        assertEquals("200 OK | Contact: <sip:alice@10.0.0.1:5060>;expires=1200", last());
        assertEquals(-1, register("c1", 2, "Contact: <sip:alice@10.0.0.1:5060>\r\n"), "same CSeq again: out of order");
        assertEquals("500 Out Of Order CSeq", last());
        assertEquals(1, register("c2", 1, "Contact: <sip:alice@10.0.0.1:5060>;expires=0\r\n"));
        assertEquals("200 OK", last(), "expires=0 removed it");
    }

    @Test
    void wildcardTooBriefAndTooMany() throws Exception {
        register("c1", 1, "Contact: <sip:alice@10.0.0.1>, <sip:alice@10.0.0.2>;q=0.5\r\n");
        assertEquals(-1, register("c1", 2, "Contact: <sip:alice@10.0.0.3>\r\nExpires: 30\r\n"));
        assertEquals("423 Interval Too Brief | Min-Expires: 60", last());
        assertEquals(-1, register("c1", 3, "Contact: *\r\n"), "* needs Expires: 0");
        assertEquals("400 Bad Wildcard Contact", last());
        assertEquals(1, register("c1", 4, "Contact: *\r\nExpires: 0\r\n"));
        assertEquals("200 OK", last());
        RegistrarComponent limited = new RegistrarComponent(core, new SharedStoreComponent(() -> now), config(1, 0, 0), () -> now);
        FunctionExport save = limited.functions().get(0);
        assertEquals(-1, save.handler().call(request("REGISTER", "sip:example.com", "sip:bob@example.com", "c", 1,
                "Contact: <sip:bob@10.0.0.1>, <sip:bob@10.0.0.2>\r\n"), save.fixup().apply(List.of("location"))));
        assertEquals("503 Too Many Registered Contacts", last());
    }

    @Test
    void lookupForksToEveryContactByQ() throws Exception {
        register("c1", 1, "Contact: <sip:alice@10.0.0.1>;q=0.5, <sip:alice@10.0.0.2>;q=1\r\n");
        CoreActionContext invite = request("INVITE", "sip:alice@example.com", "sip:alice@example.com", "i1", 1, "");
        assertEquals(1, call("lookup", invite, "location"));
        assertEquals("sip:alice@10.0.0.2", ((SipRequest) invite.message()).edits().requestUri().toString(), "highest q first");
        assertEquals(List.of("sip:alice@10.0.0.1"), invite.branches().stream().map(b -> b.uri().toString()).toList());
        assertEquals(500, invite.branches().get(0).q());
        assertEquals(-1, call("lookup", request("INVITE", "sip:nobody@example.com", "sip:x@y", "i2", 1, ""), "location"));
        assertEquals(1, call("registered", invite, "location", "sip:alice@example.com"));
        now += 3_600_000;
        assertEquals(-1, call("lookup", request("INVITE", "sip:alice@example.com", "sip:x@y", "i3", 1, ""), "location"),
                "expired contacts are gone");
    }

    @Test
    void pathIsStoredAndRoutesTheLookup() throws Exception {
        register("c1", 1, "Path: <sip:edge.example.com;lr>\r\nContact: <sip:alice@192.168.1.5:5060>\r\n");
        assertTrue(last().contains("| Path: <sip:edge.example.com;lr>"), last());
        CoreActionContext invite = request("INVITE", "sip:alice@example.com", "sip:alice@example.com", "i1", 1, "");
        assertEquals(1, call("lookup", invite, "location"));
        assertEquals("sip:edge.example.com;lr", invite.destination().toString());
    }

    @Test
    void rpcDumpsPagesAndRemoves() throws Exception {
        for (int i = 0; i < 5; i++) {
            call("save", request("REGISTER", "sip:example.com", "sip:u" + i + "@example.com", "c" + i, 1,
                    "Contact: <sip:u" + i + "@10.0.0.1>\r\n"), "location");
        }
        Map<?, ?> page = (Map<?, ?>) rpc("ul.dump", "brief", 1L, 2L);
        assertEquals(5, page.get("Size"));
        assertEquals(List.of("u1", "u2"), ((List<?>) page.get("AoRs")).stream().map(a -> ((Map<?, ?>) a).get("AoR")).toList());
        assertEquals("ok", rpc("ul.rm", "location", "u1"));
        assertEquals(4, ((Map<?, ?>) rpc("ul.stats")).get("usrloc:registered_users"));
        rpc("ul.add", "location", "u9", "sip:u9@10.0.0.9", 300L);
        assertEquals("sip:u9@10.0.0.9", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) rpc("ul.lookup", "location", "u9"))
                .get("Contacts")).get(0)).get("Contact"));
    }

    private Object rpc(String method, Object... args) throws Exception {
        return reg.rpcCommands().stream().filter(c -> c.name().equals(method)).findFirst().orElseThrow().handler()
                .call(new RpcParams(method, List.of(args)));
    }
}
