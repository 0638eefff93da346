package org.siphon.core.proxy;

import java.net.InetSocketAddress;

/**
 * Where to send a message: a transport ({@code udp}, {@code tcp}) and a resolved address.
 *
 * @param transport the transport in lower case
 * @param address   resolved IP address and port
 */
public record Destination(String transport, InetSocketAddress address) {

    @Override
    public String toString() {
        return transport + ":" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
