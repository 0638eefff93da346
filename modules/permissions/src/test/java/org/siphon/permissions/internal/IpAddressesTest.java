package org.siphon.permissions.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void ipv4Literals() {
        assertArrayEquals(new byte[] { 10, 0, 0, 1 }, IpAddresses.parse("10.0.0.1"));
        assertArrayEquals(new byte[] { (byte) 192, (byte) 168, 1, (byte) 255 }, IpAddresses.parse(" 192.168.1.255 "));
        for (String bad : new String[] { "10.0.0.300", "10.0.0", "10.0.0.1.2", "10..0.1", "1e.0.0.1", "", "-1.0.0.0",
                "1111.0.0.1" }) {
            assertNull(IpAddresses.parse(bad), bad);
        }
    }

    @Test
    void ipv6LiteralsWithoutDns() {
        assertEquals(16, IpAddresses.parse("2001:db8::1").length);
        assertArrayEquals(IpAddresses.parse("2001:db8::1"), IpAddresses.parse("[2001:DB8:0:0:0:0:0:1]"));
        assertEquals(16, IpAddresses.parse("::").length);
        assertEquals(16, IpAddresses.parse("::ffff:10.0.0.1").length, "IPv4-mapped stays IPv6 as written");
        for (String bad : new String[] { "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "2001:db8::g", "[10.0.0.1]", "fe80::1%eth0",
                "sip.example.com", "localhost" }) {
            assertNull(IpAddresses.parse(bad), bad);
        }
    }

    @Test
    void whatLooksLikeAnIp() {
        assertTrue(IpAddresses.looksLikeIp("10.0.0.300"));
        assertTrue(IpAddresses.looksLikeIp("2001:zz::1"));
        assertFalse(IpAddresses.looksLikeIp("pbx.example.com"));
        assertFalse(IpAddresses.looksLikeIp("10.0.0.1x"));
    }

    @Test
    void subnets() {
        byte[] net = IpAddresses.parse("192.168.1.0");
        assertTrue(IpAddresses.inSubnet(IpAddresses.parse("192.168.1.77"), net, 24));
        assertFalse(IpAddresses.inSubnet(IpAddresses.parse("192.168.2.1"), net, 24));
        assertTrue(IpAddresses.inSubnet(IpAddresses.parse("10.1.2.3"), IpAddresses.parse("10.0.0.0"), 8));
        assertTrue(IpAddresses.inSubnet(IpAddresses.parse("172.31.255.255"), IpAddresses.parse("172.16.0.0"), 12));
        assertFalse(IpAddresses.inSubnet(IpAddresses.parse("172.32.0.0"), IpAddresses.parse("172.16.0.0"), 12));
        assertTrue(IpAddresses.inSubnet(IpAddresses.parse("8.8.8.8"), IpAddresses.parse("0.0.0.0"), 0));
        byte[] v6 = IpAddresses.parse("2001:db8:1::");
        assertTrue(IpAddresses.inSubnet(IpAddresses.parse("2001:db8:1:0:ffff::1"), v6, 64));
        assertFalse(IpAddresses.inSubnet(IpAddresses.parse("2001:db8:2::1"), v6, 64));
        assertTrue(IpAddresses.inSubnet(IpAddresses.parse("2001:db8:1:8000::"), IpAddresses.parse("2001:db8:1:8000::"), 49));
        assertFalse(IpAddresses.inSubnet(IpAddresses.parse("10.0.0.1"), v6, 0), "families never mix");
    }

    @Test
    void networksAndText() throws Exception {
        assertEquals("10.1.0.0", IpAddresses.format(IpAddresses.network(IpAddresses.parse("10.1.2.3"), 16)));
        assertEquals("10.1.2.0", IpAddresses.format(IpAddresses.network(IpAddresses.parse("10.1.3.3"), 23)));
        assertEquals("2001:db8::", IpAddresses.format(IpAddresses.network(IpAddresses.parse("2001:db8::77"), 64)));
        assertEquals("2001:db8::1", IpAddresses.format(IpAddresses.parse("2001:0db8:0:0:0:0:0:1")));
        assertEquals("1:0:2::", IpAddresses.format(IpAddresses.parse("1:0:2:0:0:0:0:0")));
        assertEquals("::", IpAddresses.format(new byte[16]));
        assertArrayEquals(new byte[] { 127, 0, 0, 1 }, IpAddresses.of(InetAddress.getByName("::ffff:127.0.0.1")),
                "a v4 peer on a dual-stack socket is v4");
    }
}
