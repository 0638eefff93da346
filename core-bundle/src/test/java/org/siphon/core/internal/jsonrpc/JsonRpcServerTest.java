package org.siphon.core.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class JsonRpcServerTest {

    @Test
    void parsesHostPortAndBracketedIpv6() {
        assertEquals(new InetSocketAddress("127.0.0.1", 8090), JsonRpcServer.parseAddress("127.0.0.1:8090"));
        assertEquals(new InetSocketAddress("::1", 9000), JsonRpcServer.parseAddress("[::1]:9000"));
    }

    @Test
    void refusesAddressesWithoutPort() {
        assertThrows(IllegalArgumentException.class, () -> JsonRpcServer.parseAddress("127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> JsonRpcServer.parseAddress("127.0.0.1:"));
        assertThrows(IllegalArgumentException.class, () -> JsonRpcServer.parseAddress("host:http"));
    }
}
