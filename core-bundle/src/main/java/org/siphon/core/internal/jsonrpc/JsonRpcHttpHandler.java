package org.siphon.core.internal.jsonrpc;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves JSON-RPC over HTTP POST on the paths Kamailio's jsonrpcs answers on ({@code /RPC},
 * {@code /jsonrpc}, and {@code /}). Calls run on the RPC executor, never on the event loop,
 * because commands such as {@code module.install} block.
 */
final class JsonRpcHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(JsonRpcHttpHandler.class);
    private static final Set<String> PATHS = Set.of("/", "/RPC", "/jsonrpc");

    private final JsonRpcDispatcher dispatcher;
    private final Executor executor;
    private final Metrics metrics;

    JsonRpcHttpHandler(JsonRpcDispatcher dispatcher, Executor executor, Metrics metrics) {
        this.dispatcher = dispatcher;
        this.executor = executor;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            send(ctx, HttpResponseStatus.BAD_REQUEST, "bad HTTP request\n", "text/plain", false);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals("/metrics") && metrics != null) {
            if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
                send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET /metrics\n", "text/plain", keepAlive, "GET, HEAD");
                return;
            }
            try {
                executor.execute(() -> {
                    try {
                        send(ctx, HttpResponseStatus.OK, metrics.scrape(), Metrics.contentType(), keepAlive);
                    } catch (java.io.IOException | RuntimeException e) {
                        LOG.error("/metrics failed", e);
                        send(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics failed\n", "text/plain", false);
                    }
                });
            } catch (RejectedExecutionException e) {
                send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy, try again\n", "text/plain", false);
            }
            return;
        }
        if (!PATHS.contains(path)) {
            send(ctx, HttpResponseStatus.NOT_FOUND, "JSON-RPC is served on /RPC, metrics on /metrics\n", "text/plain",
                    keepAlive);
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            send(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "POST a JSON-RPC 2.0 request\n", "text/plain", keepAlive);
            return;
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        try {
            executor.execute(() -> {
                String answer;
                try {
                    answer = dispatcher.handle(body);
                } catch (RuntimeException e) {
                    LOG.error("JSON-RPC request failed", e);
                    answer = "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32603,\"message\":\"internal error\"},\"id\":null}";
                }
                if (answer == null) {
                    send(ctx, HttpResponseStatus.NO_CONTENT, "", "application/json", keepAlive);
                } else {
                    send(ctx, HttpResponseStatus.OK, answer + "\n", "application/json", keepAlive);
                }
            });
        } catch (RejectedExecutionException e) {
            send(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "RPC busy, try again\n", "text/plain", false);
        }
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String text, String type,
            boolean keepAlive) {
        send(ctx, status, text, type, keepAlive, "POST");
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String text, String type,
            boolean keepAlive, String allow) {
        write(ctx, status, text.getBytes(StandardCharsets.UTF_8), type + "; charset=utf-8", keepAlive, allow);
    }

    private static void send(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, String fullType,
            boolean keepAlive) {
        write(ctx, status, body, fullType, keepAlive, null);
    }

    private static void write(ChannelHandlerContext ctx, HttpResponseStatus status, byte[] body, String fullType,
            boolean keepAlive, String allow) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, fullType);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
            response.headers().set(HttpHeaderNames.ALLOW, allow);
        }
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("JSON-RPC connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
