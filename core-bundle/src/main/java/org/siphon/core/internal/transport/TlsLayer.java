package org.siphon.core.internal.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import org.siphon.core.tls.TlsProfile;
import org.siphon.core.tls.TlsProfiles;

/**
 * The TLS side of the {@code tls} transport: Netty handlers built from the profiles a TLS module
 * provides ({@link TlsProfiles}), asked for per connection, so a reloaded certificate serves the
 * next handshake while live connections keep theirs. The server side picks its profile by the
 * client's SNI name. Handshakes are bounded in time. Thread-safe.
 */
public final class TlsLayer {

    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private volatile TlsProfiles profiles;
    private final Map<TlsProfile, SslContext> serverContexts = new WeakHashMap<>();
    private final Map<TlsProfile, SslContext> clientContexts = new WeakHashMap<>();

    /** The provider of profiles (the tls module), or null when there is none. */
    public void profiles(TlsProfiles provider) {
        this.profiles = provider;
    }

    public TlsProfiles profiles() {
        return profiles;
    }

    /** For an accepted connection on {@code local}: reads the SNI name, then handshakes with that profile. */
    ChannelHandler server(InetSocketAddress local) {
        return new SniHandler(host -> {
            TlsProfiles p = profiles;
            TlsProfile profile = p == null ? null : p.server(local, host);
            if (profile == null) {
                throw new IllegalStateException(p == null ? "no TLS profiles (is module tls loaded?)"
                        : "no TLS server profile for " + local + (host == null ? "" : " and server name " + host));
            }
            return context(profile, false);
        }, HANDSHAKE_TIMEOUT_MILLIS);
    }

    /** For a connection opened to {@code remote}. */
    SslHandler client(ByteBufAllocator alloc, InetSocketAddress remote, String serverName) {
        TlsProfiles p = profiles;
        TlsProfile profile = p == null ? null : p.client(remote, serverName);
        if (profile == null) {
            throw new IllegalStateException(p == null ? "no TLS profiles (is module tls loaded?)"
                    : "no TLS client profile for " + remote);
        }
        String sni = profile.serverName() != null ? profile.serverName() : serverName;
        SslHandler h = sni != null ? context(profile, true).newHandler(alloc, sni, remote.getPort())
                : context(profile, true).newHandler(alloc);
        h.setHandshakeTimeout(HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        return h;
    }

    private SslContext context(TlsProfile profile, boolean client) {
        Map<TlsProfile, SslContext> contexts = client ? clientContexts : serverContexts;
        synchronized (contexts) {
            return contexts.computeIfAbsent(profile, p -> new JdkSslContext(p.context(), client,
                    p.ciphers().isEmpty() ? null : p.ciphers(), IdentityCipherSuiteFilter.INSTANCE,
                    ApplicationProtocolConfig.DISABLED,
                    client ? ClientAuth.NONE : p.requirePeerCertificate() ? ClientAuth.REQUIRE
                            : p.verifyPeer() ? ClientAuth.OPTIONAL : ClientAuth.NONE,
                    p.protocols().isEmpty() ? null : p.protocols().toArray(String[]::new), false));
        }
    }
}
