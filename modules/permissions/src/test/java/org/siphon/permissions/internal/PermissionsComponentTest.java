package org.siphon.permissions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.rpc.RpcCommand;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.core.store.SharedStore;
import org.siphon.test.TestStores;
import org.siphon.test.TestDatabase;
import org.siphon.test.TestActionContext;

class PermissionsComponentTest {

    private final TestDatabase db = new TestDatabase();
    private final SharedStore store = TestStores.shared();
    @TempDir
    Path dir;

    static PermissionsComponent.Config config(Object... overrides) {
        return org.siphon.test.TestConfigs.of(PermissionsComponent.Config.class, overrides);
    }

    private PermissionsComponent start(Object... overrides) {
        PermissionsComponent p = new PermissionsComponent(db, store, dir);
        p.activate(null, config(overrides));
        return p;
    }

    private static int call(PermissionsComponent p, TestActionContext c, String function, String... args) throws Exception {
        FunctionExport f = p.functions().stream().filter(e -> e.name().equals(function)).findFirst().orElseThrow();
        assertTrue(f.acceptsArgs(args.length), function + "/" + args.length);
        return f.handler().call(c, f.fixup().apply(List.of(args)));
    }

    private static Object rpc(PermissionsComponent p, String method) throws RpcException {
        RpcCommand c = p.rpcCommands().stream().filter(e -> e.name().equals(method)).findFirst().orElseThrow();
        return c.handler().call(new RpcParams(method, List.of()));
    }

    private static TestActionContext from(String ip, int port) {
        return Stubs.context("udp", ip, port, "sip:alice@example.com", "sip:bob@example.net");
    }

    @Test
    void createsKamailiosTablesAndChecksSourceAddresses() throws Exception {
        PermissionsComponent p = start("peer__tag__avp", "$avp(i:707)");
        assertEquals(List.of("address v6"), db.created(), "the trusted table waits for allow_trusted (db_mode 0)");
        db.execute("INSERT INTO address (grp, ip_addr, mask, port, tag) VALUES (1, '10.0.0.1', 32, 0, 'pbx')",
                "INSERT INTO address (grp, ip_addr, mask, port) VALUES (2, '192.168.0.0', 16, 5060)",
                "INSERT INTO address (grp, ip_addr, mask, port) VALUES (3, '2001:db8::', 32, 0)");
        assertEquals("Reload OK", rpc(p, "permissions.addressReload"));

        TestActionContext c = from("10.0.0.1", 5062);
        assertEquals(1, call(p, c, "allow_source_address"));
        assertEquals("pbx", c.avp("707"), "the tag into peer_tag_avp");
        assertEquals(-1, call(p, from("10.0.0.1", 5060), "allow_source_address", "2"));
        assertEquals(1, call(p, from("192.168.7.7", 5060), "allow_source_address", "2"));
        assertEquals(-1, call(p, from("192.168.7.7", 5061), "allow_source_address", "2"), "row port 5060");
        assertEquals(2, call(p, from("192.168.7.7", 5060), "allow_source_address_group"));
        assertEquals(-1, call(p, from("172.16.0.1", 5060), "allow_source_address_group"));
        assertEquals(3, call(p, from("2001:db8:ff::9", 5060), "allow_source_address_group"));
        assertEquals(1, call(p, from("8.8.8.8", 1), "allow_address", "1", "10.0.0.1", "0"));
        assertEquals(-1, call(p, from("8.8.8.8", 1), "allow_address", "2", "192.168.1.1", "5080"));
        assertEquals(2, call(p, from("8.8.8.8", 1), "allow_address_group", "192.168.1.1", "5060"));
        assertEquals(-1, call(p, from("8.8.8.8", 1), "allow_address_group", "192.168.1.1", "99999"), "bad port: -1");
        assertEquals(-1, call(p, from("10.0.0.1", 1), "allow_source_address", "x"), "bad group: -1, not an exception");

        assertEquals(List.of(Map.of("gid", 1L, "ip", "10.0.0.1", "mask", 32L, "port", 0L, "tag", "pbx")),
                rpc(p, "permissions.addressDump"));
        assertEquals(2, ((List<?>) rpc(p, "permissions.subnetDump")).size());
    }

    @Test
    void malformedRowsAreSkipped() throws Exception {
        db.requireTable("address", 6, PermissionsDb.addressSql(new PermissionsDb.AddressColumns("address", "grp", "ip_addr",
                "mask", "port", "tag")));
        db.execute("INSERT INTO address (grp, ip_addr, mask, port) VALUES (1, '10.0.0.999', 32, 0)",
                "INSERT INTO address (grp, ip_addr, mask, port) VALUES (1, '10.0.0.0', 40, 0)",
                "INSERT INTO address (grp, ip_addr, mask, port) VALUES (1, '::1', 200, 0)",
                "INSERT INTO address (grp, ip_addr, mask, port) VALUES (0, '10.0.0.5', 32, 0)",
                "INSERT INTO address (grp, ip_addr, mask, port) VALUES (1, '10.0.0.7', 32, 0)");
        PermissionsComponent p = start();
        assertEquals(1, p.address.get().rows().size());
        assertEquals(1, call(p, from("10.0.0.7", 5060), "allow_source_address"));
    }

    @Test
    void aFailedReloadKeepsTheCache() throws Exception {
        PermissionsComponent p = start("reload__delta", 0);
        db.execute("INSERT INTO address (grp, ip_addr) VALUES (1, '10.0.0.1')");
        assertEquals("Reload OK", rpc(p, "permissions.addressReload"));
        db.down(true);
        RpcException e = assertThrows(RpcException.class, () -> rpc(p, "permissions.addressReload"));
        assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
        assertEquals(1, call(p, from("10.0.0.1", 5060), "allow_source_address"), "the old rows still serve");
    }

    @Test
    void reloadsAreRateLimited() throws Exception {
        PermissionsComponent p = start();
        long[] now = { 1_000_000 };
        p.clock = () -> now[0];
        assertEquals("Reload OK", rpc(p, "permissions.addressReload"));
        assertThrows(RpcException.class, () -> rpc(p, "permissions.addressReload"), "reload_delta 5 s");
        now[0] += 5_000;
        assertEquals("Reload OK", rpc(p, "permissions.addressReload"));
    }

    @Test
    void theCacheOutlivesAnUpdateAndCfgReload() throws Exception {
        PermissionsComponent p = start();
        db.execute("INSERT INTO address (grp, ip_addr) VALUES (1, '10.0.0.1')");
        rpc(p, "permissions.addressReload");
        db.execute("DELETE FROM address");
        db.down(true); // a new version of the module reads nothing: the core's store has the rows
        PermissionsComponent next = start();
        assertEquals(1, call(next, from("10.0.0.1", 5060), "allow_source_address"));
        next.modified(config("peer__tag__mode", 1));
        assertEquals(1, call(next, from("10.0.0.1", 5060), "allow_source_address"), "cfg.reload keeps the rows");
        assertEquals(1, call(p, from("10.0.0.1", 5060), "allow_source_address"), "the old version sees them too");
        db.down(false);
        next.modified(config("address__table", "other_address"));
        assertEquals(-1, call(next, from("10.0.0.1", 5060), "allow_source_address"), "another table is another source");
    }

    @Test
    void addressFileInsteadOfTheTable() throws Exception {
        Files.writeString(dir.resolve("address.list"), "# gateways\n1 10.0.0.0 8 0 ten\n1 not..valid\n2 gw.example.org 0 5060\n");
        PermissionsComponent p = start("address__file", "address.list", "peer__tag__avp", "$avp(peer)");
        assertEquals(List.of(), db.created(), "no table for a file");
        TestActionContext c = from("10.9.8.7", 5060);
        assertEquals(1, call(p, c, "allow_source_address", "1"));
        assertEquals("ten", c.avp("peer"));
        assertEquals(1, call(p, c, "allow_address", "2", "GW.example.org", "5060"));
        assertEquals(-1, call(p, c, "allow_address", "2", "gw.example.org", "5061"));
    }

    @Test
    void trustedPerCallAndCached() throws Exception {
        PermissionsComponent p = start("peer__tag__avp", "$avp(s:peer_tag)");
        TestActionContext c = Stubs.context("udp", "10.0.0.1", 5060, "sip:gw@carrier.example", "sip:+15551234@example.net");
        assertEquals(-1, call(p, c, "allow_trusted"));
        assertEquals(List.of("address v6", "trusted v6"), db.created());
        db.execute("INSERT INTO trusted (src_ip, proto, from_pattern, tag, priority) VALUES ('10.0.0.1', 'udp', "
                + "'@carrier\\.example$', 'carrier', 5)",
                "INSERT INTO trusted (src_ip, proto, tag, priority) VALUES ('10.0.0.1', 'any', 'fallback', 1)",
                "INSERT INTO trusted (src_ip, proto, tag) VALUES ('10.0.0.1', 'xyz', 'broken')");
        assertEquals(1, call(p, c, "allow_trusted"), "db_mode 0 reads the table now");
        assertEquals("carrier", c.avp("peer_tag"));
        assertEquals(1, call(p, c, "allow_trusted", "10.0.0.1", "tcp"));
        assertEquals(-1, call(p, c, "allow_trusted", "10.0.0.2", "udp"));
        assertEquals(1, call(p, c, "allow_trusted", "10.0.0.1", "tls", "sip:x@y"), "the fallback row");
        assertEquals(-1, call(p, c, "allow_trusted", "10.0.0.1"), "one argument: -1");
        assertThrows(RpcException.class, () -> rpc(p, "permissions.trustedReload"), "no cache in db_mode 0");

        PermissionsComponent cached = start("db__mode", 1, "peer__tag__mode", 1, "peer__tag__avp", "$avp(t)");
        int before = db.connections();
        TestActionContext d = Stubs.context("udp", "10.0.0.1", 5060, "sip:gw@carrier.example", "sip:bob@example.net");
        assertEquals(2, call(cached, d, "allow_trusted"), "peer_tag_mode 1: the number of matches");
        assertEquals("fallback", d.avp("t"), "the last tag set is the one $avp(t) reads");
        assertEquals(before, db.connections(), "db_mode 1 reads the cache");
        assertEquals(2, ((List<?>) rpc(cached, "permissions.trustedDump")).size());
        db.execute("DELETE FROM trusted");
        assertEquals("Reload OK", rpc(cached, "permissions.trustedReload"));
        assertEquals(-1, call(cached, d, "allow_trusted"));
    }

    @Test
    void loadBackendsAndMaxSubnets() throws Exception {
        PermissionsComponent none = start("load__backends", 2);
        assertEquals(List.of(), db.created());
        assertThrows(RpcException.class, () -> rpc(none, "permissions.addressReload"));
        PermissionsComponent p = start("max__subnets", 1, "reload__delta", 0);
        db.execute("INSERT INTO address (grp, ip_addr, mask) VALUES (1, '10.0.0.0', 8)");
        assertEquals("Reload OK", rpc(p, "permissions.addressReload"));
        db.execute("INSERT INTO address (grp, ip_addr, mask) VALUES (1, '172.16.0.0', 12)");
        RpcException e = assertThrows(RpcException.class, () -> rpc(p, "permissions.addressReload"));
        assertTrue(e.getMessage().contains("max_subnets"), e.getMessage());
        assertEquals(1, p.address.get().subnets().size(), "kept");
    }

    @Test
    void parameters() {
        assertNull(PermissionsComponent.avpName(""));
        assertEquals("707", PermissionsComponent.avpName("$avp(i:707)"));
        assertEquals("peer", PermissionsComponent.avpName("$avp(peer)"));
        assertThrows(IllegalArgumentException.class, () -> PermissionsComponent.avpName("$var(x)"));
        assertThrows(IllegalArgumentException.class, () -> start("address__table", "address; DROP TABLE x"));
    }
}
