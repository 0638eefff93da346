package org.siphon.core.internal.transport;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.siphon.core.tls.TlsConnection;
import org.siphon.core.tls.TlsProfile;
import org.siphon.core.tls.TlsProfiles;

/**
 * The TLS side of the {@code tls} transport: Netty handlers built from the profiles a TLS module
 * provides ({@link TlsProfiles}), asked for per connection, so a reloaded certificate serves the
 * next handshake while live connections keep theirs. The server side picks its profile by the
 * client's SNI name. Handshakes are bounded in time. Keeps the table of live TLS connections the
 * provider lists ({@code tls.list}). Thread-safe.
 */
public final class TlsLayer {

    static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private volatile TlsProfiles profiles;
    private final Map<TlsProfile, SslContext> serverContexts = new WeakHashMap<>();
    private final Map<TlsProfile, SslContext> clientContexts = new WeakHashMap<>();
    private final Map<Long, Tracked> live = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();

    /** The provider of profiles (the tls module), or null when there is none. */
    public void profiles(TlsProfiles provider) {
        this.profiles = provider;
        if (provider != null) {
            provider.connections(this::connections);
        }
    }

    public TlsProfiles profiles() {
        return profiles;
    }

    /** A live TLS connection: what is known before its handshake ends, and when it last carried data. */
    private static final class Tracked extends ChannelDuplexHandler {
        final long id;
        final boolean outgoing;
        final Instant created = Instant.now();
        volatile Channel channel;
        volatile String profile;
        volatile String serverName;
        volatile long lastActive = System.nanoTime();

        Tracked(long id, boolean outgoing) {
            this.id = id;
            this.outgoing = outgoing;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            lastActive = System.nanoTime();
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            lastActive = System.nanoTime();
            ctx.write(msg, promise);
        }
    }

    /** Registers {@code ch} once its TLS handler is in the pipeline at {@code tlsName}. */
    private void track(Tracked t, Channel ch, String tlsName) {
        t.channel = ch;
        live.put(t.id, t);
        ch.closeFuture().addListener(f -> live.remove(t.id));
        ch.pipeline().addAfter(tlsName, "tls-activity", t);
    }

    /** The live TLS connections, oldest first. */
    List<TlsConnection> connections() {
        List<TlsConnection> out = new ArrayList<>();
        for (Tracked t : live.values()) {
            Channel ch = t.channel;
            if (ch == null || !ch.isOpen()) {
                continue;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            boolean up = ssl != null && ssl.handshakeFuture().isSuccess();
            javax.net.ssl.SSLSession s = up ? ssl.engine().getSession() : null;
            IdleStateHandler idle = ch.pipeline().get(IdleStateHandler.class);
            long timeout = idle == null || idle.getAllIdleTimeInMillis() <= 0 ? -1
                    : Math.max(0, (idle.getAllIdleTimeInMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t.lastActive)) / 1000);
            out.add(new TlsConnection(t.id, t.profile, t.serverName, t.created, timeout, (InetSocketAddress) ch.remoteAddress(),
                    (InetSocketAddress) ch.localAddress(), t.outgoing, s == null ? null : s.getProtocol(),
                    s == null ? null : s.getCipherSuite(), up ? "established" : t.outgoing ? "tls_connect" : "tls_accept"));
        }
        out.sort(Comparator.comparingLong(TlsConnection::id));
        return out;
    }

    /** For an accepted connection on {@code local}: reads the SNI name, then handshakes with that profile. */
    ChannelHandler server(InetSocketAddress local) {
        Tracked t = new Tracked(ids.incrementAndGet(), false);
        return new SniHandler(host -> {
            TlsProfiles p = profiles;
            TlsProfile profile = p == null ? null : p.server(local, host);
            if (profile == null) {
                throw new IllegalStateException(p == null ? "no TLS profiles (is module tls loaded?)"
                        : "no TLS server profile for " + local + (host == null ? "" : " and server name " + host));
            }
            t.profile = profile.name();
            t.serverName = host;
            return context(profile, false);
        }, HANDSHAKE_TIMEOUT_MILLIS) {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
                super.handlerAdded(ctx);
                track(t, ctx.channel(), ctx.name());
            }
        };
    }

    /**
     * Puts the TLS client handler first in the pipeline of {@code ch}, a connection just opened to
     * {@code remote}; it is listed ({@code tls_connect}) from then on, not only once its handshake is done.
     */
    SslHandler client(Channel ch, InetSocketAddress remote, String serverName) {
        TlsProfiles p = profiles;
        TlsProfile profile = p == null ? null : p.client(remote, serverName);
        if (profile == null) {
            throw new IllegalStateException(p == null ? "no TLS profiles (is module tls loaded?)"
                    : "no TLS client profile for " + remote);
        }
        String sni = profile.serverName() != null ? profile.serverName() : serverName;
        Tracked t = new Tracked(ids.incrementAndGet(), true);
        t.profile = profile.name();
        t.serverName = sni;
        SslHandler h = sni != null ? context(profile, true).newHandler(ch.alloc(), sni, remote.getPort())
                : context(profile, true).newHandler(ch.alloc());
        h.setHandshakeTimeout(HANDSHAKE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        ch.pipeline().addFirst(h);
        track(t, ch, ch.pipeline().context(h).name());
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
