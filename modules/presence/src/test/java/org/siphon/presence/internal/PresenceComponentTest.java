package org.siphon.presence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.siphon.presence.PresenceEvent;
import org.siphon.core.store.SharedStore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestStores;
import org.siphon.test.TestDatabase;

/**
 * presence's component on stubs of the core (shared store, replies) and tm (NOTIFYs kept, answered
 * by the test), on a virtual clock: RFC 3903 entity tags, SUBSCRIBE dialogs and their NOTIFYs,
 * expiry, watcherinfo, the storm limit, and the database modes (restart with mode 1, two nodes
 * on one database with mode 3).
 */
class PresenceComponentTest {

    static final String BOB = "sip:bob@example.com";
    static final String ALICE = "sip:alice@example.com";

    final AtomicLong clock = new AtomicLong(1_800_000_000_000L);
    final SharedStore store = TestStores.shared();
    final Stubs.Core core = new Stubs.Core();
    final Stubs.Tm tm = new Stubs.Tm();
    final TestDatabase db = new TestDatabase();
    final List<PresenceComponent> started = new java.util.ArrayList<>();

    PresenceComponent component(SharedStore s, Stubs.Tm t, Object... config) throws Exception {
        PresenceComponent c = new PresenceComponent(clock::get, db, s, core, t,
                List.of(new Stubs.Event(), new Stubs.Winfo()));
        c.activate(Stubs.config(config));
        started.add(c);
        return c;
    }

    @AfterEach
    void stop() {
        started.forEach(PresenceComponent::deactivate);
    }

    int publish(PresenceComponent c, String ifMatch, int expires, String body) {
        return c.publish.handle(Stubs.publish(BOB, "pub", 1, ifMatch, expires, body), null);
    }

    @Test
    void publishGivesANewEntityTagEachTimeAndForgetsTheOldOne() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        assertEquals(1, publish(c, null, 600, "<a/>"));
        String e1 = core.last().header("SIP-ETag");
        assertEquals(200, core.last().status());
        assertEquals("600", core.last().header("Expires"));
        assertEquals(1, publish(c, e1, 300, null));
        String e2 = core.last().header("SIP-ETag");
        assertNotEquals(e1, e2);
        assertEquals(-1, publish(c, e1, 300, null));
        assertEquals(412, core.last().status(), "the old tag is gone");
        assertEquals(1, publish(c, e2, 300, "<b/>"));
        assertEquals("<b/>", new String(c.pres.of(BOB, "presence").get(0).body()));
        String e3 = core.last().header("SIP-ETag");
        assertEquals(1, publish(c, e3, 0, null));
        assertTrue(c.pres.of(BOB, "presence").isEmpty(), "removed");
        assertEquals(-1, publish(c, null, 600, null));
        assertEquals(400, core.last().status(), "a new publication needs a body");
        assertEquals(-1, publish(c, null, 600, "not xml"));
        assertEquals(400, core.last().status());
        assertEquals("Bad PIDF: not XML", core.last().reason());
    }

    @Test
    void expiresLimitsAndUnknownEvents() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2, "min__expires", 60,
                "max__expires", 1000, "expires__offset", 10);
        assertEquals(-1, publish(c, null, 30, "<a/>"));
        assertEquals(423, core.last().status());
        assertEquals("60", core.last().header("Min-Expires"));
        assertEquals(1, publish(c, null, 5000, "<a/>"));
        assertEquals("990", core.last().header("Expires"), "max_expires, less expires_offset");
        assertEquals(-1, c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "dialog", "d1", null, 1, 600), null));
        assertEquals(489, core.last().status());
        assertEquals("presence, presence.winfo", core.last().header("Allow-Events"));
        TestActionContext winfoPublish = Stubs.request(new String(Stubs.publish(BOB, "p", 1, null, 60, "<a/>").message().bytes(),
                java.nio.charset.StandardCharsets.UTF_8).replace("Event: presence", "Event: presence.winfo"));
        assertEquals(-1, c.publish.handle(winfoPublish, null));
        assertEquals(489, core.last().status(), "watcherinfo is not publishable");
        PresenceComponent raise = component(TestStores.shared(), tm, "subs__db__mode", 0, "publ__cache", 2,
                "min__expires", 60, "min__expires__action", 2);
        assertEquals(1, raise.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "r1", null, 1, 10), null));
        assertEquals("60", core.last().header("Expires"), "min_expires_action 2 raises it");
        assertThrows(IllegalArgumentException.class, () -> component(TestStores.shared(), tm, "subs__db__mode", 4));
    }

    @Test
    void subscribeNotifiesInDialogAndEveryChangeWithGrowingCseq() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        publish(c, null, 600, "<open/>");
        String etag = core.last().header("SIP-ETag");
        assertEquals(1, c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence;id=7", "s1", null, 1, 600), null));
        Stubs.Core.Reply ok = core.last();
        assertEquals(200, ok.status());
        assertEquals("600", ok.header("Expires"));
        assertEquals("<sip:127.0.0.1:5060>", ok.header("Contact"));
        Stubs.Tm.Sent n1 = tm.last();
        assertEquals("NOTIFY", n1.request().method());
        assertEquals("sip:w@127.0.0.1:5071", n1.request().requestUri());
        assertEquals("sip:10.0.0.9;lr", n1.request().nextHop(), "the route set's first hop");
        assertEquals("<sip:10.0.0.9;lr>", n1.header("Route"));
        assertEquals("<sip:bob@example.com>;tag=" + core.toTag(Stubs.subscribe(BOB, ALICE, "presence", "s1", null, 1,
                600).message() instanceof org.siphon.core.sip.SipRequest r ? r : null), n1.header("From"));
        assertEquals("<sip:alice@example.com>;tag=ws1", n1.header("To"));
        assertEquals("s1", n1.header("Call-ID"));
        assertEquals("presence;id=7", n1.header("Event"));
        assertEquals("active;expires=600", n1.header("Subscription-State"));
        assertEquals("<open/>", n1.body());
        assertEquals("application/pidf+xml", n1.request().contentType());

        clock.addAndGet(100_000);
        publish(c, etag, 600, "<busy/>");
        Stubs.Tm.Sent n2 = tm.last();
        assertEquals("<busy/>", n2.body());
        assertEquals("active;expires=500", n2.header("Subscription-State"));
        assertEquals(n1.cseq() + 1, n2.cseq());
        int before = tm.sent.size();
        publish(c, core.last().header("SIP-ETag"), 600, null);
        assertEquals(before, tm.sent.size(), "a refresh changes no state: no NOTIFY");

        String toTag = c.subs.all().get(0).toTag();
        assertEquals(1, c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "s1", toTag, 2, 0), null));
        assertEquals(200, core.last().status());
        assertEquals("terminated;reason=timeout", tm.last().header("Subscription-State"));
        assertTrue(c.subs.all().isEmpty());
        assertEquals(-1, c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "s1", toTag, 3, 600), null));
        assertEquals(481, core.last().status());
    }

    @Test
    void expiryAndA481EndSubscriptions() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "e1", null, 1, 30), null);
        c.subscribe.handle(Stubs.subscribe(BOB, "sip:carol@example.com", "presence", "e2", null, 1, 600), null);
        assertEquals(2, tm.sent.size());
        assertNull(tm.sent.get(0).request().body(), "nothing published: no body");
        clock.addAndGet(31_000);
        c.sweep(c.now(), false);
        assertEquals("terminated;reason=timeout", tm.last().header("Subscription-State"));
        assertEquals("e1", tm.last().header("Call-ID"));
        assertEquals(1, c.subs.all().size());
        assertEquals(1L, c.statistics().get("presence:expired_subscriptions"));

        publish(c, null, 600, "<x/>");
        tm.last().reply().complete(Stubs.response(481));
        assertTrue(waitFor(() -> {
            try {
                return c.subs.all().isEmpty();
            } catch (Exception e) {
                return false;
            }
        }), "a 481 ends carol's subscription");
        assertEquals(1L, c.statistics().get("presence:failed_notify"));
    }

    @Test
    void expiredPublicationsNotifyTheirWatchers() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        publish(c, null, 60, "<x/>");
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "x1", null, 1, 600), null);
        assertEquals("<x/>", tm.last().body());
        clock.addAndGet(61_000);
        c.sweep(c.now(), false);
        assertTrue(c.pres.all().isEmpty());
        assertEquals("", tm.last().body(), "the watcher hears the state is gone");
        assertEquals(1L, c.statistics().get("presence:expired_publications"));
    }

    @Test
    void watcherinfoFullThenPartial() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        c.subscribe.handle(Stubs.subscribe(BOB, "sip:carol@example.com", "presence", "w0", null, 1, 600), null);
        c.subscribe.handle(Stubs.subscribe(BOB, BOB, "presence.winfo", "w1", null, 1, 600), null);
        assertEquals("v=0 full sip:carol@example.com/active/subscribe", tm.last().body());
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "w2", null, 1, 600), null);
        Stubs.Tm.Sent partial = tm.sent.stream().filter(s -> "w1".equals(s.header("Call-ID"))).reduce((a, b) -> b).get();
        assertEquals("v=1 partial sip:alice@example.com/active/subscribe", partial.body());
        String toTag = c.subs.of(BOB, "presence").stream().filter(s -> s.callId().equals("w2")).findFirst().get().toTag();
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "w2", toTag, 2, 0), null);
        partial = tm.sent.stream().filter(s -> "w1".equals(s.header("Call-ID"))).reduce((a, b) -> b).get();
        assertEquals("v=2 partial sip:alice@example.com/terminated/timeout", partial.body());
    }

    @Test
    void oneWatcherHoldsAtMostMaxWatcherSubscriptions() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2, "max__watcher__subscriptions", 3);
        for (int i = 0; i < 5; i++) {
            c.subscribe.handle(Stubs.subscribe("sip:u" + i + "@example.com", ALICE, "presence", "st" + i, null, 1, 600),
                    null);
        }
        assertEquals(3, c.subs.all().size());
        assertEquals(503, core.last().status());
        assertEquals("60", core.last().header("Retry-After"));
        assertEquals(3, tm.sent.size(), "refused ones cost no NOTIFY");
        String toTag = c.subs.all().get(0).toTag();
        String callId = c.subs.all().get(0).callId();
        String pres = c.subs.all().get(0).presentityUri();
        c.subscribe.handle(Stubs.subscribe(pres, ALICE, "presence", callId, toTag, 2, 0), null);
        assertEquals(1, c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "st9", null, 1, 600), null),
                "room again after an unsubscribe");
    }

    @Test
    void stateOutlivesANewInstanceOfTheComponent() throws Exception {
        PresenceComponent old = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        publish(old, null, 600, "<a/>");
        String etag = core.last().header("SIP-ETag");
        old.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "u1", null, 1, 600), null);
        long cseq = tm.last().cseq();
        old.deactivate();
        PresenceComponent fresh = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        assertEquals(1, publish(fresh, etag, 600, "<b/>"), "the new instance knows the old tag");
        assertEquals(cseq + 1, tm.last().cseq());
        assertEquals("<b/>", tm.last().body());
    }

    @Test
    void writeThroughSurvivesARestart() throws Exception {
        PresenceComponent first = component(store, tm, "subs__db__mode", 1, "publ__cache", 1);
        publish(first, null, 600, "<a/>");
        String etag = core.last().header("SIP-ETag");
        first.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "db1", null, 1, 600), null);
        long cseq = tm.last().cseq();
        assertEquals(1, db.count("SELECT COUNT(*) FROM active_watchers"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM presentity"));
        assertEquals(1, db.count("SELECT COUNT(*) FROM watchers"));
        first.deactivate();
        PresenceComponent second = component(TestStores.shared(), tm, "subs__db__mode", 1, "publ__cache", 1); // restart
        assertEquals(1, second.subs.all().size());
        assertEquals(1, publish(second, etag, 600, "<b/>"));
        assertEquals(cseq + 1, tm.last().cseq());
        assertEquals(cseq + 1, db.count("SELECT local_cseq FROM active_watchers"));
    }

    @Test
    void writeBackFlushesOnItsPeriodAndOnStop() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 2, "publ__cache", 2);
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "wb1", null, 1, 600), null);
        assertEquals(0, db.count("SELECT COUNT(*) FROM active_watchers"), "not yet written");
        assertEquals(1, ((CachedSubs) c.subs).flush());
        assertEquals(1, db.count("SELECT COUNT(*) FROM active_watchers"));
        c.subscribe.handle(Stubs.subscribe(BOB, "sip:carol@example.com", "presence", "wb2", null, 1, 600), null);
        c.deactivate();
        assertEquals(2, db.count("SELECT COUNT(*) FROM active_watchers"), "the last changes written on stop");
    }

    @Test
    void twoNodesOnOneDatabaseWithDbOnlyMode() throws Exception {
        Stubs.Tm tmA = new Stubs.Tm();
        Stubs.Tm tmB = new Stubs.Tm();
        PresenceComponent a = component(TestStores.shared(), tmA, "subs__db__mode", 3, "publ__cache", 0);
        PresenceComponent b = component(TestStores.shared(), tmB, "subs__db__mode", 3, "publ__cache", 0);
        b.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "n1", null, 1, 600), null);
        long cseq = tmB.last().cseq();
        assertEquals(1, publish(a, null, 600, "<from-a/>"));
        assertEquals("<from-a/>", tmA.last().body(), "node A notifies the watcher that subscribed at node B");
        assertEquals(cseq + 1, tmA.last().cseq(), "with the dialog's next CSeq from the database");
        String etag = core.last().header("SIP-ETag");
        assertEquals(1, publish(b, etag, 600, "<from-b/>"), "node B knows node A's tag");
        assertEquals(cseq + 2, tmB.last().cseq());
        List<?> listed = (List<?>) rpc(a, "presence.watcher_list");
        assertEquals(1, listed.size());
        assertEquals(ALICE, ((Map<?, ?>) listed.get(0)).get("watcher_uri"));
    }

    @Test
    void functionsAndRpc() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        assertEquals(PresenceEvent.ACTIVE, c.authStatus(ALICE, BOB));
        assertTrue(!c.hasSubscribers(BOB, "presence"));
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "f1", null, 1, 600), null);
        assertTrue(c.hasSubscribers(BOB, "presence"));
        int sent = tm.sent.size();
        assertTrue(c.refreshWatchers(BOB, "presence", 1));
        assertEquals(sent + 1, tm.sent.size(), "type 1 notifies every watcher");
        assertTrue(!c.refreshWatchers(BOB, "nope", 1));
        publish(c, null, 600, "<a/>");
        List<?> l = (List<?>) rpc(c, "presence.presentity_list", "full");
        assertEquals("<a/>", ((Map<?, ?>) l.get(0)).get("body"));
        assertEquals(1, ((List<?>) rpc(c, "presence.presentity_show", BOB)).size());
        assertEquals(1, ((List<?>) rpc(c, "presence.watcher_list", BOB, "presence")).size());
        clock.addAndGet(700_000);
        assertEquals("OK", rpc(c, "presence.cleanup"));
        assertTrue(c.subs.all().isEmpty() && c.pres.all().isEmpty());
        assertEquals(List.of("handle_publish", "handle_subscribe", "pres_auth_status", "pres_has_subscribers",
                "pres_refresh_watchers", "pres_update_watchers"), c.functions().stream().map(f -> f.name()).toList());
    }

    @Test
    void aDatabaseDownAtStartLeavesTheModuleActiveAndAnswering500() throws Exception {
        db.down(true);
        PresenceComponent c = component(store, tm, "subs__db__mode", 1, "publ__cache", 1);
        assertEquals(-1, publish(c, null, 600, "<a/>"));
        assertEquals(500, core.last().status());
        assertEquals(6, c.functions().size(), "the exports are there");
    }

    @Test
    void aRefreshForAnotherEventIsRefused() throws Exception {
        PresenceComponent c = component(store, tm, "subs__db__mode", 0, "publ__cache", 2);
        c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence", "ev1", null, 1, 600), null);
        String toTag = c.subs.all().get(0).toTag();
        assertEquals(-1, c.subscribe.handle(Stubs.subscribe(BOB, ALICE, "presence.winfo", "ev1", toTag, 2, 600), null));
        assertEquals(489, core.last().status());
    }

    static Object rpc(PresenceComponent c, String name, Object... args) throws Exception {
        for (var cmd : c.rpcCommands()) {
            if (cmd.name().equals(name)) {
                return cmd.handler().call(new org.siphon.core.rpc.RpcParams(name, List.of(args)));
            }
        }
        throw new AssertionError("no " + name);
    }

    static boolean waitFor(java.util.function.BooleanSupplier f) throws InterruptedException {
        long end = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < end) {
            if (f.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return f.getAsBoolean();
    }
}
