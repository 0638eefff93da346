package org.siphon.core.tls;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The TLS profiles for the core's TLS connections: an OSGi service a TLS module (Siphon's
 * {@code tls}) registers. Called on a network thread for each handshake: must be quick (no file
 * reading on the call) and thread-safe. Without the service, TLS connections are refused (logged).
 */
@ConsumerType
public interface TlsProfiles {

    /**
     * The profile for a connection accepted on {@code local}.
     *
     * @param serverName the SNI name the client sent, or null
     * @return the profile, or null to refuse the connection
     */
    TlsProfile server(InetSocketAddress local, String serverName);

    /**
     * The profile for a connection Siphon opens to {@code remote}.
     *
     * @param serverName the host of the URI being reached (SNI), or null for an address
     * @return the profile, or null to refuse the connection
     */
    TlsProfile client(InetSocketAddress remote, String serverName);

    /**
     * Called once when the core starts using this provider: {@code live} answers the core's TLS
     * connections at the time it is called (thread-safe, quick; for {@code tls.list}).
     */
    default void connections(Supplier<List<TlsConnection>> live) {
    }
}
