package org.siphon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.util.AttributeKey;
import org.siphon.core.internal.codec.SipStreamDecoder;
import org.siphon.core.internal.codec.SipWebSocketCodec;
import org.siphon.core.internal.codec.WebSocketClientHandshake;
import org.siphon.core.internal.codec.WebSocketSession;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.proxy.WebSocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket connections (RFC 6455, SIP per RFC 7118) of one stream listener: those a peer
 * opened with a handshake the websocket module accepted (server side: client frames must be
 * masked) and those Siphon opened to a {@code ;transport=ws}/{@code wss} destination (client side:
 * our frames are masked, the server's must not be). Lists, pings and closes them by id. A close is
 * bounded: the connection goes after the close frame is written or after 2 s. Thread-safe; the
 * pipelines change on their event loops.
 */
final class WebSockets {

    private static final Logger LOG = LoggerFactory.getLogger(WebSockets.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final AttributeKey<WebSocketSession> SESSION = AttributeKey.valueOf("siphon.ws.session");
    private static final AttributeKey<CompletableFuture<Void>> OPENING = AttributeKey.valueOf("siphon.ws.opening");
    private static final long CLOSE_BOUND_MILLIS = 2000;

    private record Entry(WebSocketSession session, Channel channel) {
    }

    private final Map<Long, Entry> byId = new ConcurrentHashMap<>();
    private final String transport;
    private final SipMessageParser parser;
    private final int maxMessageSize;
    private final int handshakeTimeoutMillis;
    private volatile java.util.function.Consumer<WebSocketConnection> closedListener = c -> { };

    WebSockets(boolean tls, SipMessageParser parser, int maxMessageSize, int handshakeTimeoutMillis) {
        this.transport = tls ? "wss" : "ws";
        this.parser = parser;
        this.maxMessageSize = maxMessageSize;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** Server side: writes {@code answer} (the 101) on {@code ch} and switches it to frames. */
    void accept(Channel ch, InetSocketAddress peer, InetSocketAddress local, byte[] answer) {
        WebSocketSession s = register(ch, peer, local, false);
        ch.eventLoop().execute(() -> {
            ch.writeAndFlush(Unpooled.wrappedBuffer(answer));
            ChannelHandlerContext decoder = ch.pipeline().context(SipStreamDecoder.class);
            if (decoder != null) {
                frames(ch.pipeline(), decoder.name(), false, s);
            }
            LOG.debug("connection {} is now {} (id {})", peer, transport, s.id());
        });
    }

    /**
     * Client side: writes the opening handshake on the new connection {@code ch} to {@code to}
     * (its SIP decoder not yet used) and switches it to frames when the server accepts.
     *
     * @return completes when it is open; fails (and the connection closes) when it is refused or
     *         takes longer than the connect timeout
     */
    CompletableFuture<Void> open(Channel ch, InetSocketAddress to, String userAgent) {
        String key = WebSocketClientHandshake.newKey();
        String peer = transport + ":" + hostPort(to);
        WebSocketClientHandshake[] handshake = new WebSocketClientHandshake[1];
        handshake[0] = new WebSocketClientHandshake(key, peer, ctx -> {
            WebSocketSession s = register(ch, to, (InetSocketAddress) ch.localAddress(), true);
            frames(ctx.pipeline(), ctx.name(), true, s);
            LOG.debug("{} open (id {})", peer, s.id());
        });
        CompletableFuture<Void> opened = handshake[0].done();
        ch.attr(OPENING).set(opened);
        ch.eventLoop().execute(() -> {
            ChannelPipeline p = ch.pipeline();
            if (p.get(SipStreamDecoder.class) == null) {
                handshake[0].done().completeExceptionally(new IOException(peer + ": the connection is in use already"));
                return;
            }
            p.replace(SipStreamDecoder.class, "ws-handshake", handshake[0]);
            ch.writeAndFlush(Unpooled.wrappedBuffer(WebSocketClientHandshake.request(hostPort(to), key, userAgent)));
            ch.eventLoop().schedule(() -> {
                if (!opened.isDone()) {
                    opened.completeExceptionally(new IOException(peer + ": no answer to the WebSocket handshake in "
                            + handshakeTimeoutMillis + " ms"));
                    ch.close();
                }
            }, handshakeTimeoutMillis, TimeUnit.MILLISECONDS);
        });
        opened.whenComplete((v, e) -> {
            if (e != null) {
                LOG.info("{}: WebSocket connection not opened: {}", peer, e.getMessage());
                ch.close();
            }
        });
        return opened;
    }

    /** The handshake in progress on {@code ch} (Siphon's client side), or null when there is none. */
    static CompletableFuture<Void> opening(Channel ch) {
        CompletableFuture<Void> f = ch.attr(OPENING).get();
        return f == null || f.isDone() && !f.isCompletedExceptionally() ? null : f;
    }

    /** Whether {@code ch} is (or is becoming) a WebSocket connection. */
    static boolean isWebSocket(Channel ch) {
        return ch.attr(SESSION).get() != null || ch.attr(OPENING).get() != null;
    }

    private WebSocketSession register(Channel ch, InetSocketAddress peer, InetSocketAddress local, boolean client) {
        WebSocketSession s = new WebSocketSession(IDS.incrementAndGet(), transport, peer, local, client, System::currentTimeMillis);
        byId.put(s.id(), new Entry(s, ch));
        ch.attr(SESSION).set(s);
        ch.closeFuture().addListener(f -> {
            byId.remove(s.id());
            try {
                closedListener.accept(s.info());
            } catch (RuntimeException e) {
                LOG.warn("WebSocket {}: a close listener failed", s.id(), e);
            }
        });
        return s;
    }

    /**
     * Replaces handler {@code name} (the SIP stream decoder, or the client handshake) by the frame
     * decoder, with the frame encoder before it and the SIP codec after it; added before the
     * replacement, so that bytes already read after the handshake go through all three.
     */
    private void frames(ChannelPipeline p, String name, boolean client, WebSocketSession s) {
        p.addBefore(name, "ws-encoder", new WebSocket13FrameEncoder(client));
        p.addAfter(name, "ws-sip", new SipWebSocketCodec(parser, transport, maxMessageSize, s));
        p.replace(name, "ws-decoder", new WebSocket13FrameDecoder(!client, false, maxMessageSize, false));
    }

    /** Told (on the connection's event loop) of every WebSocket connection that has closed, as last seen. */
    void onClosed(java.util.function.Consumer<WebSocketConnection> listener) {
        closedListener = listener;
    }

    List<WebSocketConnection> list() {
        return byId.values().stream().map(e -> e.session().info()).toList();
    }

    /** The id of WebSocket connection {@code ch}, or -1. */
    static long id(Channel ch) {
        WebSocketSession s = ch == null ? null : ch.attr(SESSION).get();
        return s == null ? -1 : s.id();
    }

    /** Sends a close frame on connection {@code id} and closes it (within 2 s); false when it is not here. */
    boolean close(long id, int status, String reason) {
        Entry e = byId.get(id);
        if (e == null) {
            return false;
        }
        Channel ch = e.channel();
        ch.eventLoop().execute(() -> {
            e.session().closing();
            ch.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
            ch.eventLoop().schedule(() -> ch.close(), CLOSE_BOUND_MILLIS, TimeUnit.MILLISECONDS);
        });
        return true;
    }

    /** Sends a ping (noting that its pong is awaited) or an unsolicited pong with {@code data} on connection {@code id}. */
    boolean ping(long id, boolean ping, byte[] applicationData) {
        byte[] data = applicationData.length <= 125 ? applicationData : java.util.Arrays.copyOf(applicationData, 125);
        Entry e = byId.get(id);
        if (e == null) {
            return false;
        }
        Channel ch = e.channel();
        ch.eventLoop().execute(() -> {
            if (ping) {
                e.session().pinged(data);
                ch.writeAndFlush(new PingWebSocketFrame(Unpooled.wrappedBuffer(data)));
            } else {
                e.session().used();
                ch.writeAndFlush(new PongWebSocketFrame(Unpooled.wrappedBuffer(data)));
            }
        });
        return true;
    }

    private static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
