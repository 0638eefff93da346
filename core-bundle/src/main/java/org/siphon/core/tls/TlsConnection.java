package org.siphon.core.tls;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One TLS connection of the core (accepted on a {@code tls:} listener or opened by Siphon; WSS
 * rides on one too), as Kamailio's {@code tls.list} shows it. A snapshot: immutable.
 *
 * @param id             the connection's number, unique while the core runs
 * @param profile        the profile its handshake used (e.g. {@code server:default}), or null before it is chosen
 * @param serverName     the SNI name (asked by the client, or sent by Siphon), or null
 * @param created        when the connection was opened or accepted
 * @param timeoutSeconds seconds until it is closed if it stays idle ({@code tcp_connection_lifetime})
 * @param remote         the peer's address (Kamailio's {@code src_ip}/{@code src_port})
 * @param local          Siphon's address (Kamailio's {@code dst_ip}/{@code dst_port})
 * @param outgoing       true when Siphon opened it
 * @param protocol       the negotiated protocol (e.g. {@code TLSv1.3}), or null while handshaking
 * @param cipher         the negotiated cipher suite, or null while handshaking
 * @param state          {@code tls_accept} or {@code tls_connect} while handshaking, then {@code established}
 */
public record TlsConnection(long id, String profile, String serverName, Instant created, long timeoutSeconds,
        InetSocketAddress remote, InetSocketAddress local, boolean outgoing, String protocol, String cipher, String state) {
}
