package org.siphon.dispatcher.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.store.SharedStore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestPseudoVariables;
import org.siphon.test.TestStores;

class DsFunctionsTest {

    @TempDir
    Path dir;
    final SharedStore store = TestStores.shared();

    DispatcherComponent component(String list, Map<String, Object> params) throws Exception {
        Files.writeString(dir.resolve("dispatcher.list"), list);
        Map<String, Object> p = new HashMap<>(Map.of("flags", 2, "reload__delta", 0));
        p.putAll(params);
        return new DispatcherComponent(store, null, new TestPseudoVariables(), dir, Stubs.config(p));
    }

    static final String THREE = "1 sip:127.0.0.1:5071\n1 sip:127.0.0.1:5072\n1 sip:127.0.0.1:5073\n";

    String pick(DispatcherComponent ds, DsFunctions f, int alg, TestActionContext c) {
        assertEquals(1, f.select(c, 1, alg, 0, DsFunctions.Mode.DST));
        return c.destination().toString();
    }

    @Test
    void roundRobinGivesEachItsTurnAndFailsOverInOrder() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of());
        DsFunctions f = new DsFunctions(ds);
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            n.merge(pick(ds, f, 4, Stubs.context("c" + i)), 1, Integer::sum);
        }
        assertEquals(Map.of("sip:127.0.0.1:5071", 10, "sip:127.0.0.1:5072", 10, "sip:127.0.0.1:5073", 10), n);
        TestActionContext c = Stubs.context("x");
        String first = pick(ds, f, 4, c);
        assertEquals(first, c.values().get("xavp:_dsdst_=>uri"));
        assertEquals(3L, c.values().get("xavp:_dsctx_=>cnt"));
        assertEquals(1L, c.values().get("xavp:_dsdst_[2]=>grp"));
        assertEquals(1, f.next(c, DsFunctions.Mode.DST, true));
        assertNotEquals(first, c.destination().toString());
        assertEquals(c.destination().toString(), c.values().get("xavp:_dsdst_=>uri"));
        assertEquals(1, f.next(c, DsFunctions.Mode.DST, true));
        assertEquals(-1, f.next(c, DsFunctions.Mode.DST, true), "no destination left");
        assertNull(c.values().get("xavp:_dsdst_[1]=>uri"));
    }

    @Test
    void positionsAndStatesOutliveTheComponent() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of());
        DsFunctions f = new DsFunctions(ds);
        String a = pick(ds, f, 4, Stubs.context("1"));
        ds.setState(1, d -> d.uri().equals("sip:127.0.0.1:5073"), "ip");
        ds.deactivate();
        DispatcherComponent again = new DispatcherComponent(store, null, new TestPseudoVariables(), dir,
                Stubs.config(Map.of("flags", 2)));
        DsFunctions g = new DsFunctions(again);
        String b = pick(again, g, 4, Stubs.context("2"));
        assertNotEquals(a, b, "round robin goes on where it was");
        assertEquals("IP", States.letters(again.states.flags(again.list().set(1).destinations().get(2))));
        assertEquals("sip:127.0.0.1:5071", pick(again, g, 4, Stubs.context("3")), "the inactive one is skipped");
        again.deactivate();
    }

    @Test
    void callIdHashSticksAndSpreads() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of());
        DsFunctions f = new DsFunctions(ds);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String d = pick(ds, f, 0, Stubs.context("call-" + i));
            assertEquals(d, pick(ds, f, 0, Stubs.context("call-" + i)));
            seen.add(d);
        }
        assertEquals(3, seen.size());
        assertEquals(Hashes.hash("call-7", null), Hashes.hash("call-7", null));
        assertEquals(pick(ds, f, 1, Stubs.context("a", "sip:carol@x.example", 1)),
                pick(ds, f, 1, Stubs.context("b", "sip:carol@x.example", 2)), "From URI hash");
    }

    @Test
    void weightsWithinFivePercentOverAThousand() throws Exception {
        DispatcherComponent ds = component("1 sip:127.0.0.1:1 0 0 weight=20\n1 sip:127.0.0.1:2 0 0 weight=30\n"
                + "1 sip:127.0.0.1:3 0 0 weight=50\n", Map.of());
        DsFunctions f = new DsFunctions(ds);
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            n.merge(pick(ds, f, 9, Stubs.context("c" + i)), 1, Integer::sum);
        }
        assertTrue(Math.abs(n.get("sip:127.0.0.1:1") - 200) <= 50, n.toString());
        assertTrue(Math.abs(n.get("sip:127.0.0.1:2") - 300) <= 50, n.toString());
        assertTrue(Math.abs(n.get("sip:127.0.0.1:3") - 500) <= 50, n.toString());
    }

    @Test
    void relativeWeightsShareOutTheInactivesPart() throws Exception {
        DispatcherComponent ds = component("1 sip:127.0.0.1:1 0 0 rweight=1\n1 sip:127.0.0.1:2 0 0 rweight=2\n"
                + "1 sip:127.0.0.1:3 0 0 rweight=1\n", Map.of());
        DsFunctions f = new DsFunctions(ds);
        Map<String, Integer> n = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            n.merge(pick(ds, f, 11, Stubs.context("c" + i)), 1, Integer::sum);
        }
        assertEquals(250, n.get("sip:127.0.0.1:1"));
        assertEquals(500, n.get("sip:127.0.0.1:2"));
        ds.setState(1, d -> d.uri().endsWith(":3"), "i");
        n.clear();
        for (int i = 0; i < 300; i++) {
            n.merge(pick(ds, f, 11, Stubs.context("c" + i)), 1, Integer::sum);
        }
        assertEquals(null, n.get("sip:127.0.0.1:3"));
        assertTrue(Math.abs(n.get("sip:127.0.0.1:2") - 200) <= 6, n.toString());
    }

    @Test
    void otherAlgorithms() throws Exception {
        DispatcherComponent ds = component("1 sip:127.0.0.1:1 0 5\n1 sip:127.0.0.1:2 0 10\n1 sip:127.0.0.1:3 0 1\n",
                Map.of("use__default", 0));
        DsFunctions f = new DsFunctions(ds);
        assertEquals("sip:127.0.0.1:2", pick(ds, f, 8, Stubs.context("p")), "priority");
        Set<String> random = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            random.add(pick(ds, f, 6, Stubs.context("r")));
        }
        assertEquals(3, random.size());
        TestActionContext c = Stubs.context("par");
        assertEquals(1, f.select(c, 1, 12, 0, DsFunctions.Mode.DST));
        assertEquals("sip:127.0.0.1:2", c.destination().toString());
        assertEquals(2, c.branches().size(), "parallel forking: the others as branches");
        TestActionContext d = Stubs.context("dom");
        assertEquals(1, f.select(d, 1, 8, 0, DsFunctions.Mode.DOMAIN));
        assertEquals("sip:bob@127.0.0.1:2", ((org.siphon.core.sip.SipRequest) d.message()).edits().requestUri().toString());
        assertEquals(1, f.select(Stubs.context("lat"), 1, 13, 0, DsFunctions.Mode.DST));
        assertEquals(-1, f.select(Stubs.context("h"), 1, 7, 0, DsFunctions.Mode.DST), "no hash_pvar");
        assertThrows(IllegalArgumentException.class, () -> DsFunctions.algorithm("10"));
    }

    @Test
    void useDefaultOnlyWhenTheOthersAreDown() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of("use__default", 1));
        DsFunctions f = new DsFunctions(ds);
        for (int i = 0; i < 10; i++) {
            assertNotEquals("sip:127.0.0.1:5073", pick(ds, f, 4, Stubs.context("c" + i)));
        }
        TestActionContext c = Stubs.context("x");
        pick(ds, f, 4, c);
        assertEquals("sip:127.0.0.1:5073", c.values().get("xavp:_dsdst_[2]=>uri"), "the default comes last");
        ds.setState(1, d -> !d.uri().endsWith("5073"), "i");
        assertEquals("sip:127.0.0.1:5073", pick(ds, f, 4, Stubs.context("y")));
    }

    @Test
    void badInputAndChecks() throws Exception {
        DispatcherComponent ds = component(THREE + "2 sip:127.0.0.1:6000 4\n", Map.of("force__dst", 0,
                "setid__pvname", "$var(setid)"));
        DsFunctions f = new DsFunctions(ds);
        assertEquals(-1, f.select(Stubs.context("u"), 9, 4, 0, DsFunctions.Mode.DST), "unknown set");
        assertEquals(-1, f.select(Stubs.context("e"), 2, 4, 0, DsFunctions.Mode.DST), "only a disabled destination");
        TestActionContext c = Stubs.context("f");
        c.setDestination(org.siphon.core.sip.uri.UriParser.parse("sip:10.0.0.1"));
        assertEquals(-1, f.select(c, 1, 4, 0, DsFunctions.Mode.DST), "force_dst 0 and $du set");
        assertEquals(-1, f.mark(Stubs.context("m"), "i"), "nothing selected");
        assertEquals(1, f.isActive(1, ""));
        assertEquals(-1, f.isActive(2, ""));
        assertEquals(-1, f.isActive(7, ""));
        TestActionContext from = Stubs.context("s", "sip:a@b", 5072);
        assertEquals(1, f.isFromList(from, -1, 2, ""));
        assertEquals(1L, from.values().get("var:setid"));
        assertEquals(-1, f.isFromList(Stubs.context("s", "sip:a@b", 5999), -1, 2, ""));
        assertEquals(1, f.isFromList(Stubs.context("s", "sip:a@b", 5999), 1, 3, ""), "port ignored");
        assertEquals(1, f.isFromList(Stubs.context("s"), 1, 0, "sip:127.0.0.1:5071"));
    }

    @Test
    void markDstCountsFailuresToTheThreshold() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of("ds__probing__threshold", 2));
        DsFunctions f = new DsFunctions(ds);
        TestActionContext c = Stubs.context("m");
        assertEquals(1, f.select(c, 1, 8, 0, DsFunctions.Mode.DST));
        Destination first = ds.list().set(1).destinations().get(0);
        assertEquals(1, f.mark(c, "t"));
        assertEquals("TX", States.letters(ds.states.flags(first)));
        assertEquals(1, f.mark(c, "t"));
        assertEquals("IX", States.letters(ds.states.flags(first)));
        assertEquals(1, f.mark(c, "ap"));
        assertEquals("AP", States.letters(ds.states.flags(first)));
    }

    @Test
    void reloadSwapsWholeOrRefusesAndIsRateLimited() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of());
        Files.writeString(dir.resolve("dispatcher.list"), "1 sip:127.0.0.1:5071\nbad line here\n");
        String r = ds.reload();
        assertTrue(r.startsWith("refused: " + dir.resolve("dispatcher.list") + ":2: setid"), r);
        assertEquals(3, ds.list().all().size(), "the old sets stay");
        Files.writeString(dir.resolve("dispatcher.list"), "1 sip:127.0.0.1:5071\n3 sip:127.0.0.1:5075\n");
        assertTrue(ds.reload().startsWith("reloaded 2 destinations in 2 sets"));
        ds.deactivate();
        java.util.Set.copyOf(store.tables()).forEach(store::drop);
        DispatcherComponent limited = component(THREE, Map.of("reload__delta", 1));
        Files.writeString(dir.resolve("dispatcher.list"), "1 sip:127.0.0.1:5071\n");
        assertTrue(limited.reload().startsWith("reloaded"));
        Files.writeString(dir.resolve("dispatcher.list"), "5 sip:127.0.0.1:5071\n");
        assertTrue(limited.reload().startsWith("scheduled"));
        assertTrue(limited.reload().startsWith("scheduled"));
        long until = System.currentTimeMillis() + 5000;
        while (limited.list().set(5) == null && System.currentTimeMillis() < until) {
            Thread.onSpinWait();
        }
        assertEquals(1, limited.list().set(5).size(), "the put-off reload ran");
        limited.deactivate();
    }

    @Test
    void aPutOffReloadOutlivesAModuleUpdate() throws Exception {
        DispatcherComponent ds = component(THREE, Map.of("reload__delta", 2));
        assertTrue(ds.reload().startsWith("reloaded"));
        Files.writeString(dir.resolve("dispatcher.list"), "6 sip:127.0.0.1:5076\n");
        assertTrue(ds.reload().startsWith("scheduled"));
        ds.deactivate(); // module.update: the old version stops before its put-off reload is due
        DispatcherComponent again = new DispatcherComponent(store, null, new TestPseudoVariables(), dir,
                Stubs.config(Map.of("flags", 2, "reload__delta", 2)));
        assertNull(again.list().set(6), "the list in use goes on until the reload is due");
        assertTrue(again.reload().startsWith("scheduled"), "reload_delta holds across the update");
        long until = System.currentTimeMillis() + 6000;
        while (again.list().set(6) == null && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertTrue(again.list().set(6) != null, "the new version ran the put-off reload");
        assertNull(again.list().set(1));
        assertTrue(again.reload().startsWith("scheduled"), "and counted it as the last reload");
        again.deactivate();
    }
}
