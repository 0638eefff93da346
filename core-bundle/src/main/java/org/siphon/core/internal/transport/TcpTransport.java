package org.siphon.core.internal.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.siphon.core.internal.codec.SipStreamDecoder;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipParserConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP listener and the connections through it, inbound and outbound, in one table by peer
 * address: replies and new requests to a peer reuse its connection. Connections idle for
 * {@code tcp_connection_lifetime} are closed; beyond {@code tcp_max_connections} new ones are
 * refused. With a {@link TlsLayer} it is the {@code tls} transport: each connection starts with
 * a TLS handshake (the server side choosing its profile by SNI); a failed handshake is logged
 * once and closes that connection only. Thread-safe.
 */
final class TcpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);
    private static final io.netty.util.AttributeKey<Boolean> TLS_FAILURE_LOGGED =
            io.netty.util.AttributeKey.valueOf(TcpTransport.class, "tlsFailureLogged");

    /** Limits of the TCP transport (Kamailio's names). */
    record Limits(int connectionLifetimeSeconds, int maxConnections, int connectTimeoutMillis, int messageReadTimeoutSeconds,
            int messageDataTimeoutSeconds) {

        Limits(int connectionLifetimeSeconds, int maxConnections, int connectTimeoutMillis) {
            this(connectionLifetimeSeconds, maxConnections, connectTimeoutMillis, 20, 20);
        }
    }

    private final ListenSpec spec;
    private final Channel server;
    private final InetSocketAddress local;
    private final Bootstrap client;
    private final Map<InetSocketAddress, Channel> connections = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final TlsLayer tls;
    private final WebSockets webSockets;

    private TcpTransport(ListenSpec spec, Channel server, Bootstrap client, TlsLayer tls, SipMessageParser parser,
            int maxMessageSize, int connectTimeoutMillis) {
        this.spec = spec;
        this.tls = tls;
        this.webSockets = new WebSockets(tls != null, parser, maxMessageSize, Math.max(connectTimeoutMillis, 1000));
        this.server = server;
        this.local = (InetSocketAddress) server.localAddress();
        this.client = client;
    }

    static TcpTransport bind(ListenSpec spec, NettyLoops loops, SipParserConfig config, MessageSink sink, Limits limits,
            TlsLayer tls) throws InterruptedException {
        TcpTransport[] self = new TcpTransport[1];
        SipMessageParser parser = new SipMessageParser(config);
        ChannelInitializer<SocketChannel> init = new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null && ch.parent() != null) {
                    ch.pipeline().addLast(tls.server((InetSocketAddress) ch.localAddress()));
                } // an outgoing TLS connection gets its handler once connected (send)
                ch.pipeline().addLast(new IdleStateHandler(0, 0, limits.connectionLifetimeSeconds(), TimeUnit.SECONDS),
                        new SipStreamDecoder(parser, config, spec.proto(), limits.messageReadTimeoutSeconds(),
                                ch.parent() != null ? limits.messageDataTimeoutSeconds() : 0),
                        new Handler(self, sink, limits));
            }
        };
        Bootstrap client = new Bootstrap().group(loops.group()).channel(loops.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, limits.connectTimeoutMillis())
                .handler(init);
        Channel server = new ServerBootstrap().group(loops.group()).channel(loops.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024).option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(init)
                .bind(new InetSocketAddress(spec.host(), spec.port())).sync().channel();
        self[0] = new TcpTransport(spec, server, client, tls, parser, config.maxMessageSize(), limits.connectTimeoutMillis());
        return self[0];
    }

    /** Per connection: registers it in the table, passes messages on, closes idle and broken ones. */
    private static final class Handler extends SimpleChannelInboundHandler<SipMessageImpl> {
        private final TcpTransport[] self;
        private final MessageSink sink;
        private final Limits limits;

        Handler(TcpTransport[] self, MessageSink sink, Limits limits) {
            this.self = self;
            this.sink = sink;
            this.limits = limits;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            TcpTransport t = self[0];
            if (t.open.incrementAndGet() > limits.maxConnections()) {
                LOG.warn("TCP {}: refusing a connection from {}: tcp_max_connections ({}) reached", t.spec,
                        ctx.channel().remoteAddress(), limits.maxConnections());
                ctx.close();
                return;
            }
            t.connections.put((InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            TcpTransport t = self[0];
            t.open.decrementAndGet();
            t.connections.remove((InetSocketAddress) ctx.channel().remoteAddress(), ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, SipMessageImpl msg) {
            sink.received(msg, self[0]);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (self[0].tls != null && isTls(cause)) {
                logTlsFailureOnce(ctx, "TLS connection {} on {} refused: {}", cause);
            } else {
                LOG.debug("{} connection {} failed: {}", self[0].proto(), ctx.channel().remoteAddress(), cause.toString());
            }
            ctx.close();
        }

        /**
         * A failed handshake reaches this handler twice (Netty's handshake event and the exception that
         * caused it): the first logs it, the second only closes.
         */
        private void logTlsFailureOnce(ChannelHandlerContext ctx, String format, Throwable cause) {
            if (ctx.channel().attr(TLS_FAILURE_LOGGED).setIfAbsent(Boolean.TRUE) == null) {
                LOG.info(format, ctx.channel().remoteAddress(), self[0].spec, rootMessage(cause));
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent done && !done.isSuccess()) {
                logTlsFailureOnce(ctx, "TLS handshake with {} on {} failed: {}", done.cause());
                ctx.close();
                return;
            }
            if (evt instanceof IdleStateEvent) {
                LOG.debug("{} connection {} idle for {} s: closing", self[0].proto(), ctx.channel().remoteAddress(),
                        limits.connectionLifetimeSeconds());
                ctx.close();
            }
        }
    }

    private static boolean isTls(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof javax.net.ssl.SSLException || c instanceof io.netty.handler.codec.DecoderException
                    && c.getCause() instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return t instanceof io.netty.handler.codec.DecoderException || t instanceof IllegalStateException;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    @Override public String proto() { return spec.proto(); }
    @Override public InetSocketAddress local() { return local; }
    @Override public ListenSpec spec() { return spec; }

    /**
     * Writes {@code answer} (the handshake's {@code 101 Switching Protocols}) on the connection
     * from {@code peer} and switches it to WebSocket framing (RFC 6455): client frames must be
     * masked (an unmasked one closes it with 1002), each message carries one SIP message (RFC 7118)
     * of transport {@code ws} ({@code wss} over TLS), and what is sent to the peer goes as text frames.
     *
     * @return false when there is no such connection
     */
    boolean upgradeToWebSocket(InetSocketAddress peer, byte[] answer) {
        Channel ch = connections.get(peer);
        if (ch == null || !ch.isActive()) {
            return false;
        }
        webSockets.accept(ch, peer, local, answer);
        return true;
    }

    /** The WebSocket connections through this listener, those Siphon opened included. */
    java.util.List<org.siphon.core.proxy.WebSocketConnection> webSockets() {
        return webSockets.list();
    }

    /** The WebSocket id of the connection with {@code peer}, or -1. */
    long webSocketId(InetSocketAddress peer) {
        return WebSockets.id(connections.get(peer));
    }

    /** Sends a close frame and closes WebSocket {@code id}; false when it is not here. */
    boolean closeWebSocket(long id, int status, String reason) {
        return webSockets.close(id, status, reason);
    }

    /** Tells {@code listener} of every WebSocket connection of this listener that closes. */
    void onWebSocketClosed(java.util.function.Consumer<org.siphon.core.proxy.WebSocketConnection> listener) {
        webSockets.onClosed(listener);
    }

    /** Sends a keepalive ping (or pong) on WebSocket {@code id}; false when it is not here. */
    boolean pingWebSocket(long id, boolean ping, byte[] data) {
        return webSockets.ping(id, ping, data);
    }

    /**
     * Sends {@code bytes} as one WebSocket message to {@code to}: on the open WebSocket connection
     * with it, else (with {@code connect}) on a new one Siphon opens as a WebSocket client (TCP, or
     * TLS with the client profile on a {@code tls} listener, then the handshake with the {@code sip}
     * sub-protocol). Sends while it opens wait for it; a refused handshake fails them.
     */
    CompletableFuture<Void> sendWebSocket(byte[] bytes, InetSocketAddress to, boolean connect) {
        Channel ch = connections.get(to);
        if (ch != null && ch.isActive() && WebSockets.isWebSocket(ch)) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            write(ch, bytes, done);
            return done;
        }
        if (!connect) {
            return CompletableFuture.failedFuture(new java.io.IOException("no open " + (tls != null ? "wss" : "ws")
                    + " connection to " + to + " (no-connect)"));
        }
        if (ch != null && ch.isActive()) {
            return CompletableFuture.failedFuture(new java.io.IOException("the " + proto() + " connection to " + to
                    + " is no WebSocket"));
        }
        CompletableFuture<Channel> opening = wsOpening.computeIfAbsent(to, this::openWebSocket);
        opening.whenComplete((c, e) -> wsOpening.remove(to, opening));
        CompletableFuture<Void> done = new CompletableFuture<>();
        opening.whenComplete((c, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                write(c, bytes, done);
            }
        });
        return done;
    }

    private final Map<InetSocketAddress, CompletableFuture<Channel>> wsOpening = new ConcurrentHashMap<>();

    private CompletableFuture<Channel> openWebSocket(InetSocketAddress to) {
        CompletableFuture<Channel> open = new CompletableFuture<>();
        ChannelFuture connecting = client.connect(to);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                open.completeExceptionally(f.cause());
                return;
            }
            Channel c = connecting.channel();
            if (tls != null) {
                try {
                    tls.client(c, to, null);
                } catch (RuntimeException e) {
                    LOG.info("TLS connection to {} not opened: {}", to, e.getMessage());
                    c.close();
                    open.completeExceptionally(e);
                    return;
                }
            }
            webSockets.open(c, to, "Siphon").whenComplete((v, e) -> {
                if (e != null) {
                    open.completeExceptionally(e);
                } else {
                    open.complete(c);
                }
            });
        });
        return open;
    }

    /** The TLS session of the connection with {@code peer}, or null (not TLS, gone, or still handshaking). */
    javax.net.ssl.SSLSession tlsSession(InetSocketAddress peer) {
        Channel ch = connections.get(peer);
        io.netty.handler.ssl.SslHandler ssl = ch == null ? null : ch.pipeline().get(io.netty.handler.ssl.SslHandler.class);
        return ssl == null || !ssl.handshakeFuture().isSuccess() ? null : ssl.engine().getSession();
    }

    /** Closes the connection to {@code peer} once pending writes are flushed (after a fatal framing error). */
    void closeAfterFlush(InetSocketAddress peer) {
        Channel ch = connections.get(peer);
        if (ch != null) {
            ch.eventLoop().execute(() -> ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ch.close()));
        }
    }

    @Override
    public CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to) {
        return send(bytes, to, true);
    }

    @Override
    public CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to, boolean connect) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = connections.get(to);
        if (ch != null && ch.isActive()) {
            write(ch, bytes, done);
            return done;
        }
        if (!connect) {
            done.completeExceptionally(new java.io.IOException("no open " + proto() + " connection to " + to + " (no-connect)"));
            return done;
        }
        ChannelFuture connecting = client.connect(to);
        connecting.addListener(f -> {
            if (f.isSuccess()) {
                if (tls != null) {
                    try {
                        tls.client(connecting.channel(), to, null);
                    } catch (RuntimeException e) {
                        LOG.info("TLS connection to {} not opened: {}", to, e.getMessage());
                        connecting.channel().close();
                        done.completeExceptionally(e);
                        return;
                    }
                }
                write(connecting.channel(), bytes, done);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    private static void write(Channel ch, byte[] bytes, CompletableFuture<Void> done) {
        CompletableFuture<Void> opening = WebSockets.opening(ch);
        if (opening != null) { // Siphon's WebSocket handshake on it is under way
            opening.whenComplete((v, e) -> {
                if (e != null) {
                    done.completeExceptionally(e);
                } else {
                    write(ch, bytes, done);
                }
            });
            return;
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        connections.values().forEach(Channel::close);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
