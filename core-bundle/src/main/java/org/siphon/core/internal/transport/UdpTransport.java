package org.siphon.core.internal.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.Socket;
import org.siphon.core.internal.codec.SipDatagramDecoder;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A UDP socket: receives datagrams into the parser, sends datagrams. Thread-safe.
 * <p>With the epoll transport a datagram is sent by the calling thread (a SIP worker) straight
 * on the socket's descriptor, as Kamailio's processes do: {@code sendto} is thread-safe, and
 * going through the event loop would cost a task and a wake-up per datagram. When the socket's
 * send buffer is full (EAGAIN), or without epoll, the datagram goes through the channel.
 * <p>With epoll and {@code -Dsiphon.udp.recvmmsg=N} (N &gt; 1) the event loop takes up to N queued
 * datagrams per {@code recvmmsg} call into one pooled buffer of N × 64 KiB (each datagram still
 * whole: a slot per datagram is the largest UDP message); default 1, one {@code recvmsg} each.
 */
final class UdpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);
    private static final CompletableFuture<Void> SENT = CompletableFuture.completedFuture(null);
    /** Each sending thread's direct buffer for {@code sendto}: a datagram is at most 65,535 bytes. */
    private static final ThreadLocal<ByteBuffer> SEND_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(65_535));
    /** Datagrams per receive call (recvmmsg) with epoll; 1: one recvmsg per datagram. */
    private static final int BATCH = Math.max(1, Math.min(64, Integer.getInteger("siphon.udp.recvmmsg", 1)));

    private final ListenSpec spec;
    private final Channel channel;
    private final InetSocketAddress local;
    /** The socket to send on directly (epoll), or null. */
    private final Socket socket;

    private UdpTransport(ListenSpec spec, Channel channel) {
        this.spec = spec;
        this.channel = channel;
        this.local = (InetSocketAddress) channel.localAddress();
        this.socket = channel instanceof EpollDatagramChannel e && e.fd() instanceof Socket s ? s : null;
    }

    static UdpTransport bind(ListenSpec spec, NettyLoops loops, SipMessageParser parser, MessageSink sink,
            int receiveBuffer) throws InterruptedException {
        UdpTransport[] self = new UdpTransport[1];
        Bootstrap b = new Bootstrap().group(loops.group()).channel(loops.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_535 * (loops.isEpoll() ? BATCH : 1)))
                // 64 KiB per datagram (the largest UDP message) is above Netty 4.2's adaptive pool:
                // it would allocate and zero a fresh direct buffer per datagram. The pooled allocator reuses them.
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(new SipDatagramDecoder(parser), new SimpleChannelInboundHandler<SipMessageImpl>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, SipMessageImpl msg) {
                                sink.received(msg, self[0]);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                LOG.warn("UDP {}: {}", spec, cause.toString());
                            }
                        });
                    }
                });
        if (loops.isEpoll() && BATCH > 1) {
            b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, 65_535);
        }
        Channel ch = b.bind(new InetSocketAddress(spec.host(), spec.port())).sync().channel();
        self[0] = new UdpTransport(spec, ch);
        int granted = ((DatagramChannel) ch).config().getReceiveBufferSize();
        if (granted < receiveBuffer) {
            LOG.info("UDP {}: the kernel granted a receive buffer of {} bytes of the {} asked "
                    + "(raise net.core.rmem_max to absorb larger bursts)", spec, granted, receiveBuffer);
        }
        return self[0];
    }

    @Override public String proto() { return "udp"; }
    @Override public InetSocketAddress local() { return local; }
    @Override public ListenSpec spec() { return spec; }

    @Override
    public CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to) {
        if (socket != null && bytes.length <= 65_535 && !to.isUnresolved()) {
            ByteBuffer buf = SEND_BUFFER.get();
            buf.clear();
            buf.put(bytes);
            try {
                if (socket.sendTo(buf, 0, bytes.length, to.getAddress(), to.getPort()) == bytes.length) {
                    return SENT;
                }
                // the send buffer is full: the channel queues it and sends when it drains
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), to)).addListener(f -> {
            if (f.isSuccess()) {
                done.complete(null);
            } else {
                done.completeExceptionally(f.cause());
            }
        });
        return done;
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
