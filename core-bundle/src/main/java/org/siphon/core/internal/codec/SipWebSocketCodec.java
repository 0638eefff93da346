package org.siphon.core.internal.codec;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.sip.SipSource;

/**
 * SIP over WebSocket (RFC 7118), after the frame decoder and encoder (RFC 6455): each text or
 * binary message (fragments joined, up to the size limit) is one SIP message, parsed with
 * transport {@code ws} or {@code wss}; what the core writes goes out as one text frame. Pings
 * are answered, a pong answering a keepalive ping is noted in the {@link WebSocketSession}, a close
 * is answered and ends the connection, a message beyond the limit closes it with 1009. The same on
 * both ends of a connection: masking is the frame codec's business. One instance per connection.
 */
public final class SipWebSocketCodec extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {

    private final SipMessageParser parser;
    private final String transport;
    private final int maxMessageSize;
    private final WebSocketSession session;
    private CompositeByteBuf fragments;

    /** @param session the connection's activity, updated on every frame either way */
    public SipWebSocketCodec(SipMessageParser parser, String transport, int maxMessageSize, WebSocketSession session) {
        this.parser = parser;
        this.transport = transport;
        this.maxMessageSize = maxMessageSize;
        this.session = session;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        session.used();
        out.add(new TextWebSocketFrame(msg.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        session.used();
        if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            return;
        }
        if (frame instanceof PongWebSocketFrame) {
            session.ponged(ByteBufUtil.getBytes(frame.content()));
            return;
        }
        if (frame instanceof CloseWebSocketFrame) {
            session.closing();
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        boolean start = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        if (!start && !(frame instanceof ContinuationWebSocketFrame)) {
            return;
        }
        if (start && fragments != null) {
            fragments.release();
            fragments = null;
        }
        if (start && frame.isFinalFragment()) {
            emit(ctx, ByteBufUtil.getBytes(frame.content()), out);
            return;
        }
        if (fragments == null) {
            if (!start) {
                return; // a continuation without a start: ignored
            }
            fragments = ctx.alloc().compositeBuffer();
        }
        fragments.addComponent(true, frame.content().retain());
        if (fragments.readableBytes() > maxMessageSize) {
            fragments.release();
            fragments = null;
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (frame.isFinalFragment()) {
            byte[] bytes = ByteBufUtil.getBytes(fragments);
            fragments.release();
            fragments = null;
            emit(ctx, bytes, out);
        }
    }

    private void emit(ChannelHandlerContext ctx, byte[] bytes, List<Object> out) {
        SipMessageImpl msg = parser.parse(bytes, true); // one WebSocket message is one SIP message
        if (msg == null) {
            return; // CRLF keep-alive
        }
        msg.source(new SipSource(transport, (InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress()));
        out.add(msg);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
