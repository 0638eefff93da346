package org.siphon.core.sip;

import java.net.InetSocketAddress;

/**
 * Where a message came from: the transport ({@code udp}, {@code tcp}, ...), the peer's address
 * and the local socket it arrived on (Kamailio's {@code $si/$sp}, {@code $Ri/$Rp}, {@code $pr}).
 */
public record SipSource(String transport, InetSocketAddress remote, InetSocketAddress local) {
}
