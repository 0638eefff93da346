package org.siphon.registrar.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.store.SharedStore;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;
import org.siphon.test.TestMessages;
import org.siphon.test.TestStores;

class RegistrarComponentTest {

    long now = 1_000_000;
    final List<String> replies = new ArrayList<>();
    final SipCore core = new StubSipCore() {
        @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) {
            StringBuilder sb = new StringBuilder(status + " " + reason);
            extra.forEach(h -> sb.append(" | ").append(h.name()).append(": ").append(h.value()));
            RegistrarComponentTest.this.replies.add(sb.toString());
        }
    };
    final RegistrarComponent reg = new RegistrarComponent(core, TestStores.shared(() -> now), config(0, 0, 1),
            () -> now);

    static RegistrarComponent.Config config(int maxContacts, int maxExpires, int usePath) {
        return config("max__contacts", maxContacts, "max__expires", maxExpires, "use__path", usePath);
    }

    /** The module's configuration: its defaults, with {@code name, value} pairs overriding them. */
    static RegistrarComponent.Config config(Object... overrides) {
        return TestConfigs.of(RegistrarComponent.Config.class, overrides);
    }

    static TestActionContext request(String method, String ruri, String to, String callId, int cseq, String extra) {
        String text = method + " " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK" + cseq + "\r\n"
                + "From: <" + to + ">;tag=f\r\nTo: <" + to + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " " + method
                + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
        SipMessage m = TestMessages.parse(text, new SipSource("udp", new InetSocketAddress("10.0.0.1", 5060), new InetSocketAddress("127.0.0.1", 5060)));
        return new TestActionContext(m, RouteType.REQUEST);
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
        assertEquals(1, register("c2", 5, "Contact: <sip:alice@10.0.0.1:5060>\r\n"), "refresh with a new Call-ID");
        assertEquals(-1, register("c2", 5, "Contact: <sip:alice@10.0.0.1:5060>\r\n"),
                "the binding now holds Call-ID c2, CSeq 5 (written in place): the same again is out of order");
        assertEquals("500 Out Of Order CSeq", last());
        assertEquals(1, register("c1", 1, "Contact: <sip:alice@10.0.0.1:5060>\r\n"), "c1 no longer guards its CSeq");
        assertEquals(1, register("c2", 1, "Contact: <sip:alice@10.0.0.1:5060>;expires=0\r\n"));
        assertEquals("200 OK", last(), "expires=0 removed it");
    }

    /** cfg.reload: the exports registered at activation use the new expiry limits; contacts stay; db_mode waits. */
    @Test
    void changedParametersApplyInPlaceAndKeepTheContacts() throws Exception {
        assertEquals(1, register("c1", 1, "Contact: <sip:alice@10.0.0.1:5060>\r\n"));
        assertEquals("200 OK | Contact: <sip:alice@10.0.0.1:5060>;expires=3600", last());
        reg.modified(config("default__expires", 1800, "min__expires", 120, "use__path", 1, "db__mode", 1));
        assertEquals(1, register("c1", 2, "Contact: <sip:alice@10.0.0.1:5060>\r\n"), "the same contact refreshed");
        assertEquals("200 OK | Contact: <sip:alice@10.0.0.1:5060>;expires=1800", last());
        assertEquals(-1, register("c1", 3, "Contact: <sip:alice@10.0.0.1:5060>\r\nExpires: 90\r\n"));
        assertEquals("423 Interval Too Brief | Min-Expires: 120", last());
        assertEquals(java.util.Set.of("db_mode", "db_url"), reg.restartParameters());
        reg.changed("alice", List.of()); // db_mode stays 0: nothing is written (and nothing throws without a database)
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
        RegistrarComponent limited = new RegistrarComponent(core, TestStores.shared(() -> now), config(1, 0, 0), () -> now);
        FunctionExport save = limited.functions().get(0);
        assertEquals(-1, save.handler().call(request("REGISTER", "sip:example.com", "sip:bob@example.com", "c", 1,
                "Contact: <sip:bob@10.0.0.1>, <sip:bob@10.0.0.2>\r\n"), save.fixup().apply(List.of("location"))));
        assertEquals("503 Too Many Registered Contacts", last());
    }

    @Test
    void lookupForksToEveryContactByQ() throws Exception {
        register("c1", 1, "Contact: <sip:alice@10.0.0.1>;q=0.5, <sip:alice@10.0.0.2>;q=1\r\n");
        TestActionContext invite = request("INVITE", "sip:alice@example.com", "sip:alice@example.com", "i1", 1, "");
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
        register("c1", 1, "Supported: path\r\nPath: <sip:edge.example.com;lr>\r\nContact: <sip:alice@192.168.1.5:5060>\r\n");
        assertTrue(last().contains("| Path: <sip:edge.example.com;lr>"), last());
        TestActionContext invite = request("INVITE", "sip:alice@example.com", "sip:alice@example.com", "i1", 1, "");
        assertEquals(1, call("lookup", invite, "location"));
        assertEquals("sip:edge.example.com;lr", invite.destination().toString());
    }

    /** path_mode 2 (default) refuses Path without Supported: path; 1 stores it silently; 0 never echoes it. */
    @Test
    void pathModeDecidesWhatAPathWithoutSupportGets() throws Exception {
        String path = "Path: <sip:edge.example.com;lr>\r\nContact: <sip:bob@192.168.1.6:5060>\r\n";
        assertEquals(-1, call("save", request("REGISTER", "sip:example.com", "sip:bob@example.com", "p1", 1, path), "location"));
        assertTrue(last().startsWith("420 Bad Extension") && last().contains("Unsupported: path")
                && last().contains("Path: <sip:edge.example.com;lr>"), last());
        reg.modified(config("use__path", 1, "path__mode", 1));
        assertEquals(1, call("save", request("REGISTER", "sip:example.com", "sip:bob@example.com", "p2", 1, path), "location"));
        assertTrue(last().startsWith("200") && !last().contains("Path:"), "mode 1: stored, not echoed: " + last());
        reg.modified(config("use__path", 1, "path__mode", 0));
        assertEquals(1, call("save", request("REGISTER", "sip:example.com", "sip:bob@example.com", "p3", 1,
                "Supported: path\r\n" + path), "location"));
        assertTrue(last().startsWith("200") && !last().contains("Path:"), "mode 0: never echoed: " + last());
        TestActionContext invite = request("INVITE", "sip:bob@example.com", "sip:bob@example.com", "i9", 1, "");
        assertEquals(1, call("lookup", invite, "location"));
        assertEquals("sip:edge.example.com;lr", invite.destination().toString(), "stored all the same");
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
        assertEquals(4L, ((Map<?, ?>) rpc("ul.stats")).get("usrloc:registered_users"));
        assertEquals(4L, reg.statistics().get("usrloc:location-contacts"));
        assertEquals(5L, reg.statistics().get("registrar:accepted_regs"));
        rpc("ul.add", "location", "u9", "sip:u9@10.0.0.9", 300L);
        assertEquals("sip:u9@10.0.0.9", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) rpc("ul.lookup", "location", "u9"))
                .get("Contacts")).get(0)).get("Contact"));
    }

    @Test
    void dumpPagesThroughAHundredThousandAors() throws Exception {
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            Contact c = new Contact("sip:u" + i + "@10.0.0.1", now + 3_600_000, -1, "c" + i, 1, null, null, null, now, 0, null);
            reg.update(String.format("u%06d", i), now, current -> List.of(c));
        }
        assertEquals((long) n, reg.statistics().get("usrloc:registered_users"));
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (long offset = 0; offset < n; offset += 10_000) {
            Map<?, ?> page = (Map<?, ?>) rpc("ul.dump", "brief", offset, 10_000L);
            assertEquals(n, page.get("Size"));
            List<?> aors = (List<?>) page.get("AoRs");
            assertEquals(10_000, aors.size());
            aors.forEach(a -> seen.add(((Map<?, ?>) a).get("AoR")));
        }
        assertEquals(n, seen.size(), "every AOR exactly once over the pages");
        assertTrue(((List<?>) ((Map<?, ?>) rpc("ul.dump", "brief", (long) n, 1000L)).get("AoRs")).isEmpty());
    }

    /** A context with $avp values and branch flags, as a script run has them. */
    static TestActionContext withAvps(TestActionContext base, Map<String, Object> avps, long bflags) {
        return new TestActionContext(base.message(), RouteType.REQUEST) {
            long flags = bflags;
            @Override public Object avp(String name) { return avps.get(name); }
            @Override public long branchFlags() { return flags; }
            @Override public void setBranchFlags(long f) { flags = f; }
        };
    }

    @Test
    void receivedAndBranchFlagsAreStoredAndRestored() throws Exception {
        RegistrarComponent nat = new RegistrarComponent(core, TestStores.shared(() -> now),
                config("received__avp", "$avp(RECEIVED)"), () -> now);
        FunctionExport save = nat.functions().get(0);
        TestActionContext register = withAvps(request("REGISTER", "sip:example.com", "sip:alice@example.com", "c1", 1,
                "Contact: <sip:alice@192.168.1.5:5060>\r\n"), Map.of("RECEIVED", "sip:203.0.113.7:40123"), 1L << 6);
        assertEquals(1, save.handler().call(register, save.fixup().apply(List.of("location"))));
        TestActionContext invite = withAvps(request("INVITE", "sip:alice@example.com", "sip:alice@example.com", "i1", 1, ""),
                Map.of(), 0);
        FunctionExport lookup = nat.functions().stream().filter(e -> e.name().equals("lookup")).findFirst().orElseThrow();
        assertEquals(1, lookup.handler().call(invite, lookup.fixup().apply(List.of("location"))));
        assertEquals("sip:alice@192.168.1.5:5060", ((SipRequest) invite.message()).edits().requestUri().toString());
        assertEquals("sip:203.0.113.7:40123", invite.destination().toString(), "sent to where the REGISTER came from");
        assertEquals(1L << 6, invite.branchFlags(), "the NAT flag comes back");
    }

    @Test
    void methodFilteringAnswersMinusTwo() throws Exception {
        RegistrarComponent filtering = new RegistrarComponent(core, TestStores.shared(() -> now),
                config("method__filtering", 1), () -> now);
        FunctionExport save = filtering.functions().get(0);
        save.handler().call(request("REGISTER", "sip:example.com", "sip:alice@example.com", "c1", 1,
                "Contact: <sip:alice@10.0.0.1>\r\nAllow: INVITE, ACK, bye\r\nAllow: CANCEL\r\n"), save.fixup().apply(List.of("location")));
        save.handler().call(request("REGISTER", "sip:example.com", "sip:alice@example.com", "c2", 1,
                "Contact: <sip:alice@10.0.0.2>;methods=\"INVITE,MESSAGE\"\r\n"), save.fixup().apply(List.of("location")));
        FunctionExport lookup = filtering.functions().stream().filter(e -> e.name().equals("lookup")).findFirst().orElseThrow();
        TestActionContext message = request("MESSAGE", "sip:alice@example.com", "sip:alice@example.com", "m1", 1, "");
        assertEquals(1, lookup.handler().call(message, lookup.fixup().apply(List.of("location"))));
        assertEquals("sip:alice@10.0.0.2", ((SipRequest) message.message()).edits().requestUri().toString());
        assertTrue(message.branches().isEmpty(), "the contact without MESSAGE in Allow is left out");
        assertEquals(-2, lookup.handler().call(request("SUBSCRIBE", "sip:alice@example.com", "sip:alice@example.com", "s1", 1, ""),
                lookup.fixup().apply(List.of("location"))), "contacts, but none accepts SUBSCRIBE");
    }

    @Test
    void lookupBranchesReplacesEachRegisteredBranch() throws Exception {
        register("c1", 1, "Contact: <sip:alice@10.0.0.1>\r\n");
        call("save", request("REGISTER", "sip:example.com", "sip:bob@example.com", "c2", 1,
                "Contact: <sip:bob@10.0.0.2>, <sip:bob@10.0.0.3>;q=0.1\r\n"), "location");
        TestActionContext invite = request("INVITE", "sip:alice@example.com", "sip:alice@example.com", "i1", 1, "");
        invite.branches().add(org.siphon.core.function.Branch.of(org.siphon.core.sip.uri.UriParser.parse("sip:bob@example.com")));
        invite.branches().add(org.siphon.core.function.Branch.of(org.siphon.core.sip.uri.UriParser.parse("sip:carol@elsewhere.net")));
        assertEquals(1, call("lookup_branches", invite, "location"));
        assertEquals("sip:alice@10.0.0.1", ((SipRequest) invite.message()).edits().requestUri().toString());
        assertEquals(List.of("sip:bob@10.0.0.2", "sip:bob@10.0.0.3", "sip:carol@elsewhere.net"),
                invite.branches().stream().map(b -> b.uri().toString()).toList());
    }

    @Test
    void fetchedContactsAreReadThroughUlc() throws Exception {
        register("c1", 1, "Contact: <sip:alice@10.0.0.1>;q=0.5, <sip:alice@10.0.0.2>\r\nUser-Agent: phone/1\r\n");
        TestActionContext ctx = request("OPTIONS", "sip:example.com", "sip:x@example.com", "o1", 1, "");
        assertEquals(1, call("reg_fetch_contacts", ctx, "location", "sip:alice@example.com", "caller"));
        assertEquals(-1, call("reg_fetch_contacts", ctx, "location", "sip:nobody@example.com", "other"));
        var ulc = reg.pseudoVariables().get(0);
        assertEquals("ulc", ulc.name());
        assertEquals(2L, ulc.getter().get(ctx, ulc.parseName("caller=>count")));
        assertEquals("alice", ulc.getter().get(ctx, ulc.parseName("caller=>aor")));
        assertEquals("sip:alice@10.0.0.2", ulc.getter().get(ctx, ulc.parseName("caller=>addr")));
        assertEquals("sip:alice@10.0.0.1", ulc.getter().get(ctx, ulc.parseName("caller=>addr[1]")));
        assertEquals(500L, ulc.getter().get(ctx, ulc.parseName("caller => q[1]")));
        assertEquals("phone/1", ulc.getter().get(ctx, ulc.parseName("caller=>user_agent")));
        assertEquals((now + 3_600_000) / 1000, ulc.getter().get(ctx, ulc.parseName("caller=>expires")));
        assertNull(ulc.getter().get(ctx, ulc.parseName("caller=>addr[2]")));
        assertEquals(1, call("reg_free_contacts", ctx, "caller"));
        assertNull(ulc.getter().get(ctx, ulc.parseName("caller=>count")));
        assertThrows(IllegalArgumentException.class, () -> ulc.parseName("caller"));
    }

    private Object rpc(String method, Object... args) throws Exception {
        return reg.rpcCommands().stream().filter(c -> c.name().equals(method)).findFirst().orElseThrow().handler()
                .call(new RpcParams(method, List.of(args)));
    }
}
