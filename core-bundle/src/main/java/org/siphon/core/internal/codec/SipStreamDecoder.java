package org.siphon.core.internal.codec;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipParserConfig;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.SipStatus;

/**
 * TCP: cuts the byte stream into messages by Content-Length (RFC 3261 §18.3) and answers CRLF
 * keep-alive pings (a double CRLF between messages) with a single CRLF (RFC 5626 §4.4.1). A
 * header section that does not end within the size limit, or a Content-Length beyond it, cannot
 * be resynchronised: the decoder passes on a message marked 513 (so the handler can answer it)
 * and then drops the rest of the stream, and the handler closes the connection. One instance per
 * connection.
 */
public final class SipStreamDecoder extends ByteToMessageDecoder {

    private enum State { BETWEEN_MESSAGES, HEADERS, BODY, BROKEN }

    private static final ByteBuf PONG = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] { '\r', '\n' }));

    private final SipMessageParser parser;
    private final SipParserConfig config;
    private final String transport;
    private State state = State.BETWEEN_MESSAGES;
    private int headerLength;
    private int bodyLength;
    private int crlfRun;
    /**
     * How many bytes of the header section (from the reader index, which stays at the message's start
     * while its headers come in: the cumulation may be compacted, so no absolute index) were searched
     * for the blank line already.
     */
    private int scanned;
    private final long readTimeoutNanos;
    private final long dataTimeoutNanos;
    /** When the message being read began (nanoTime), or 0 between messages. */
    private long messageStart;
    private long connected;
    private boolean anyMessage;
    private io.netty.util.concurrent.ScheduledFuture<?> watch;

    public SipStreamDecoder(SipMessageParser parser, SipParserConfig config, String transport) {
        this(parser, config, transport, 0, 0);
    }

    /**
     * @param readTimeoutSeconds    a message begun must be whole within this (Kamailio's
     *                              {@code tcp_msg_read_timeout}); 0: no limit
     * @param dataTimeoutSeconds    an accepted connection must bring its first message within this
     *                              ({@code tcp_msg_data_timeout}); 0: no limit (outgoing connections)
     */
    public SipStreamDecoder(SipMessageParser parser, SipParserConfig config, String transport, int readTimeoutSeconds,
            int dataTimeoutSeconds) {
        this.parser = parser;
        this.config = config;
        this.transport = transport;
        this.readTimeoutNanos = readTimeoutSeconds * 1_000_000_000L;
        this.dataTimeoutNanos = dataTimeoutSeconds * 1_000_000_000L;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connected = System.nanoTime();
        if (readTimeoutNanos > 0 || dataTimeoutNanos > 0) {
            watch = ctx.executor().scheduleAtFixedRate(() -> checkTimeouts(ctx), 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (watch != null) {
            watch.cancel(false);
        }
    }

    /** A slow or half-sent message, or an accepted connection that never speaks, ends the connection. */
    private void checkTimeouts(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        String why = null;
        if (readTimeoutNanos > 0 && messageStart != 0 && now - messageStart > readTimeoutNanos) {
            why = "a message begun " + (now - messageStart) / 1_000_000_000L + " s ago is still not whole (tcp_msg_read_timeout)";
        } else if (dataTimeoutNanos > 0 && !anyMessage && messageStart == 0 && now - connected > dataTimeoutNanos) {
            why = "no message within " + dataTimeoutNanos / 1_000_000_000L + " s of connecting (tcp_msg_data_timeout)";
        }
        if (why != null) {
            org.slf4j.LoggerFactory.getLogger(SipStreamDecoder.class).info("{} connection {}: {}: closing", transport,
                    ctx.channel().remoteAddress(), why);
            watch.cancel(false);
            ctx.close();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            switch (state) {
                case BETWEEN_MESSAGES -> {
                    if (!skipKeepAlives(ctx, in)) {
                        return;
                    }
                    state = State.HEADERS;
                    messageStart = System.nanoTime();
                }
                case HEADERS -> {
                    int end = headersEnd(in, in.readerIndex() + scanned);
                    if (end < 0) {
                        scanned = Math.max(0, in.readableBytes() - 2);
                        if (in.readableBytes() > config.maxMessageSize()) {
                            tooLarge(ctx, in, in.readableBytes(), out);
                        }
                        return;
                    }
                    scanned = 0;
                    headerLength = end - in.readerIndex();
                    bodyLength = contentLength(in, in.readerIndex(), end);
                    if (bodyLength < 0 || headerLength + (long) bodyLength > config.maxMessageSize()) {
                        tooLarge(ctx, in, headerLength, out);
                        return;
                    }
                    state = State.BODY;
                }
                case BODY -> {
                    if (in.readableBytes() < headerLength + bodyLength) {
                        return;
                    }
                    byte[] bytes = new byte[headerLength + bodyLength];
                    in.readBytes(bytes);
                    emit(ctx, parser.parse(bytes, false), out);
                    state = State.BETWEEN_MESSAGES;
                    messageStart = 0;
                    anyMessage = true;
                }
                case BROKEN -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    /** Consumes CRLFs before a message; answers each double CRLF. Returns true when a message starts. */
    private boolean skipKeepAlives(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b == '\n') {
                crlfRun++;
                if (crlfRun == 2) {
                    ctx.writeAndFlush(PONG.duplicate());
                    crlfRun = 0;
                }
            } else if (b != '\r') {
                crlfRun = 0;
                return true;
            }
            in.skipBytes(1);
        }
        return false;
    }

    /**
     * Index just past the blank line ending the header section, or -1 if not there yet; the search
     * starts at {@code from} (a line feed found by {@link ByteBuf#indexOf}, which scans a word at a
     * time, instead of one bounds-checked {@code getByte} per byte).
     */
    private static int headersEnd(ByteBuf in, int from) {
        int end = in.writerIndex();
        int i = from;
        while (i < end && (i = in.indexOf(i, end, (byte) '\n')) >= 0) {
            if (i + 1 < end && in.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                return i + 3;
            }
            i++;
        }
        return -1;
    }

    /** The Content-Length (or {@code l}) header's value in the header section; 0 when absent, -1 when absurd. */
    static int contentLength(ByteBuf in, int from, int to) {
        int lineStart = from;
        while (lineStart < to) {
            int eol = in.indexOf(lineStart, to, (byte) '\n');
            if (eol < 0) {
                eol = to;
            }
            int value = headerValueStart(in, lineStart, eol);
            if (value >= 0) {
                long n = 0;
                int j = value;
                while (j < eol && (in.getByte(j) == ' ' || in.getByte(j) == '\t')) {
                    j++;
                }
                int digits = 0;
                while (j < eol && in.getByte(j) >= '0' && in.getByte(j) <= '9') {
                    n = n * 10 + (in.getByte(j) - '0');
                    if (++digits > 9) {
                        return -1;
                    }
                    j++;
                }
                return digits == 0 ? 0 : (int) n;
            }
            lineStart = eol + 1;
        }
        return 0;
    }

    /**
     * If the line is a Content-Length header, the index after its colon, else -1. Only lines that
     * begin with {@code c} or {@code l} are looked at further.
     */
    private static int headerValueStart(ByteBuf in, int start, int end) {
        if (start >= end) {
            return -1;
        }
        int first = in.getByte(start) | 0x20;
        if (first != 'c' && first != 'l') {
            return -1;
        }
        if (first == 'c' && (end - start < 15 || in.getByte(start + 7) != '-')) {
            return -1;
        }
        int colon = in.indexOf(start, end, (byte) ':');
        if (colon < 0) {
            return -1;
        }
        int nameEnd = colon;
        while (nameEnd > start && (in.getByte(nameEnd - 1) == ' ' || in.getByte(nameEnd - 1) == '\t')) {
            nameEnd--;
        }
        int len = nameEnd - start;
        if (len == 1 && first == 'l') {
            return colon + 1;
        }
        if (len != 14) {
            return -1;
        }
        String name = in.toString(start, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        return name.equalsIgnoreCase("Content-Length") ? colon + 1 : -1;
    }

    private void tooLarge(ChannelHandlerContext ctx, ByteBuf in, int headerBytes, List<Object> out) {
        int n = Math.min(headerBytes, Math.min(in.readableBytes(), config.maxMessageSize()));
        byte[] bytes = new byte[n];
        in.getBytes(in.readerIndex(), bytes);
        SipMessageImpl msg = parser.parse(bytes, true);
        if (msg != null) {
            msg.failWith(SipStatus.MESSAGE_TOO_LARGE, "Message Too Large");
            emit(ctx, msg, out);
        }
        state = State.BROKEN;
        in.skipBytes(in.readableBytes());
    }

    private void emit(ChannelHandlerContext ctx, SipMessageImpl msg, List<Object> out) {
        if (msg == null) {
            return;
        }
        msg.source(new SipSource(transport, inet(ctx.channel().remoteAddress()), inet(ctx.channel().localAddress())));
        out.add(msg);
    }

    private static InetSocketAddress inet(java.net.SocketAddress a) {
        return a instanceof InetSocketAddress i ? i : null;
    }

    /** Whether the stream could not be resynchronised and must be closed. */
    public boolean isBroken() {
        return state == State.BROKEN;
    }
}
