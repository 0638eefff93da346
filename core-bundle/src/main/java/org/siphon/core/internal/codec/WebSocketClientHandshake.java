package org.siphon.core.internal.codec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * The client's side of a WebSocket opening handshake (RFC 6455 §4.1) for SIP (RFC 7118): the
 * {@code GET} Siphon writes when it opens a connection to a SIP-over-WebSocket server, and the
 * decoder that waits for the server's answer, a {@code 101} with {@code Upgrade: websocket},
 * {@code Connection: Upgrade}, the {@code Sec-WebSocket-Accept} of our key and the {@code sip}
 * sub-protocol. Anything else (another status, a wrong accept value, no or another sub-protocol,
 * a head beyond 8 KiB, the connection closing first) fails {@link #done()} and closes the
 * connection. One instance per connection; runs on its event loop.
 */
public final class WebSocketClientHandshake extends ByteToMessageDecoder {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEAD = 8192;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String key;
    private final String peer;
    private final Consumer<ChannelHandlerContext> onOpen;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * @param key    the {@code Sec-WebSocket-Key} sent ({@link #newKey()})
     * @param peer   the server, for messages
     * @param onOpen switches the pipeline to frames, replacing this decoder (bytes after the head follow)
     */
    public WebSocketClientHandshake(String key, String peer, Consumer<ChannelHandlerContext> onOpen) {
        this.key = key;
        this.peer = peer;
        this.onOpen = onOpen;
    }

    /** Completes when the server accepted; fails when it did not or the connection ended first. */
    public CompletableFuture<Void> done() {
        return done;
    }

    public static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The {@code Sec-WebSocket-Accept} a server answers to {@code key}. */
    public static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from the JDK", e);
        }
    }

    /** The opening handshake to {@code hostPort} ({@code Host}), for path {@code /}. */
    public static byte[] request(String hostPort, String key, String userAgent) {
        return ("GET / HTTP/1.1\r\nHost: " + hostPort + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n"
                + "User-Agent: " + userAgent + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What is wrong with the server's answer {@code head} (status line and headers) to {@code key}; null when it accepts. */
    public static String check(String head, String key) {
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/1.") || !status[1].equals("101")) {
            return "answered \"" + lines[0] + "\"";
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
        String protocol = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-protocol" -> protocol = value;
                default -> { }
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return "no Upgrade: websocket in the 101";
        }
        if (connection == null || !hasToken(connection, "upgrade")) {
            return "no Connection: Upgrade in the 101";
        }
        if (accept == null || !accept.equals(accept(key))) {
            return "a wrong Sec-WebSocket-Accept (" + accept + ")";
        }
        if (protocol == null || !protocol.equalsIgnoreCase("sip")) {
            return "the sub-protocol is " + (protocol == null ? "missing" : "\"" + protocol + "\"") + ", not sip";
        }
        return null;
    }

    private static boolean hasToken(String value, String token) {
        for (String t : value.split(",")) {
            if (t.trim().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done.isDone()) {
            return;
        }
        int end = headEnd(in);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEAD) {
                fail(ctx, "an answer head beyond " + MAX_HEAD + " bytes");
            }
            return;
        }
        String head = in.readCharSequence(end - in.readerIndex(), StandardCharsets.ISO_8859_1).toString();
        in.skipBytes(4);
        String problem = check(head, key);
        if (problem != null) {
            fail(ctx, problem);
            return;
        }
        onOpen.accept(ctx);
        done.complete(null);
    }

    private static int headEnd(ByteBuf in) {
        for (int i = in.readerIndex(); i + 3 < in.writerIndex(); i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        done.completeExceptionally(new IOException("WebSocket handshake with " + peer + " failed: " + why));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!done.isDone()) {
            done.completeExceptionally(new IOException("WebSocket connection to " + peer + " closed during the handshake"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done.isDone()) {
            done.completeExceptionally(cause);
        }
        ctx.close();
    }
}
