package org.siphon.core.proxy;

/**
 * A request made ready to leave on one branch: its bytes as they go on the wire, where they go,
 * and the Via the core put on top (its branch parameter identifies the client transaction).
 *
 * @param bytes       the whole message
 * @param destination transport and address
 * @param via         the value of the top Via written
 * @param socket      the local socket it leaves from
 * @param connect     whether a connection-oriented transport may open a new connection
 */
public record Outgoing(byte[] bytes, Destination destination, String via, java.net.InetSocketAddress socket,
        boolean connect) {
}
