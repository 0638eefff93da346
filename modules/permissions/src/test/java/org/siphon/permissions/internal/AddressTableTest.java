package org.siphon.permissions.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class AddressTableTest {

    private static AddressRow row(long group, String ip, Long mask, Long port, String tag) {
        return AddressRow.of(group, ip, mask, port, tag);
    }

    private final AddressTable table = new AddressTable(List.of(
            row(1, "10.0.0.10", 32L, 0L, "pbx"),
            row(1, "10.0.0.11", 32L, 5080L, null),
            row(2, "192.168.1.0", 24L, 0L, "lan"),
            row(3, "192.168.0.0", 16L, 5060L, null),
            row(4, "2001:db8:1::", 64L, 0L, "v6net"),
            row(4, "[2001:db8::5]", null, null, "v6host"),
            row(5, "GW.Example.com", 0L, 0L, "gw"),
            row(6, "10.0.0.10", 0L, 0L, "six")));

    @Test
    void exactAddressesAnyPortOrOne() {
        assertEquals("pbx", table.match(1, "10.0.0.10", 5060).tag());
        assertEquals("pbx", table.match(1, "10.0.0.10", 1).tag(), "port 0 in the row matches any port");
        assertTrue(table.match(1, "10.0.0.11", 5080) != null);
        assertNull(table.match(1, "10.0.0.11", 5060), "the row wants port 5080");
        assertNull(table.match(2, "10.0.0.10", 5060), "other group");
        assertNull(table.match(1, "10.0.0.12", 5060));
    }

    @Test
    void subnetsOfBothFamilies() {
        assertEquals("lan", table.match(2, "192.168.1.200", 5060).tag());
        assertNull(table.match(2, "192.168.2.1", 5060));
        assertTrue(table.match(3, "192.168.2.1", 5060) != null);
        assertNull(table.match(3, "192.168.2.1", 5061), "subnet row with a port");
        assertEquals("v6net", table.match(4, "2001:db8:1:0:abcd::1", 5060).tag());
        assertEquals("v6host", table.match(4, "2001:DB8:0::5", 5060).tag(), "any text form of the address");
        assertNull(table.match(4, "2001:db8:2::1", 5060));
        assertNull(table.match(4, "10.0.0.10", 5060));
    }

    @Test
    void domainNamesByNameOnly() {
        assertEquals("gw", table.match(5, "gw.example.COM", 5060).tag());
        assertNull(table.match(5, "other.example.com", 5060));
        assertNull(table.match(1, "gw.example.com", 5060));
    }

    @Test
    void anyGroupFindsTheLowest() {
        assertEquals(1, table.match(0, "10.0.0.10", 5060).group(), "groups 1 and 6 both have it");
        assertEquals(2, table.match(0, "192.168.1.5", 5060).group(), "groups 2 and 3 both cover it; 2 first");
        assertEquals(3, table.match(0, "192.168.7.5", 5060).group());
        assertNull(table.match(0, "172.16.0.1", 5060));
    }

    @Test
    void splitForTheDumps() {
        assertEquals(4, table.addresses().size());
        assertEquals(List.of(2, 3, 4), table.subnets().stream().map(AddressRow::group).toList());
        assertEquals(List.of("gw.example.com"), table.domains().stream().map(AddressRow::address).toList());
    }

    @Test
    void rowsAreChecked() {
        assertEquals(32, row(1, "10.0.0.1", 0L, 0L, null).mask(), "mask 0 is the whole address");
        assertEquals(128, row(1, "::1", null, null, null).mask());
        assertEquals("10.1.0.0", row(1, "10.1.2.3", 16L, 0L, null).address(), "host bits cleared");
        assertFalse(row(1, "10.1.2.3", 32L, 0L, null).isSubnet());
        assertThrows(IllegalArgumentException.class, () -> row(1, "10.0.0.1", 33L, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> row(1, "::1", 129L, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> row(1, "10.0.0.1", -1L, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> row(1, "10.0.0.256", 32L, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> row(1, "2001:db8::zz", 64L, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> row(1, "not an address", 32L, 0L, null));
        assertThrows(IllegalArgumentException.class, () -> row(0, "10.0.0.1", 32L, 0L, null), "groups start at 1");
        assertThrows(IllegalArgumentException.class, () -> row(1, "10.0.0.1", 32L, 70000L, null));
        assertThrows(IllegalArgumentException.class, () -> row(1, "", 32L, 0L, null));
    }

    @Test
    void plainDataRoundTrip() {
        for (AddressRow r : table.rows()) {
            assertEquals(r, AddressRow.fromPlain(r.plain()));
        }
    }
}
