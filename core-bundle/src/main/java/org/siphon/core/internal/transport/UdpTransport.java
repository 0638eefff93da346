package org.siphon.core.internal.transport;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import org.siphon.core.internal.codec.SipDatagramDecoder;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A UDP socket: receives datagrams into the parser, sends datagrams. Thread-safe. */
final class UdpTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    private final ListenSpec spec;
    private final Channel channel;
    private final InetSocketAddress local;

    private UdpTransport(ListenSpec spec, Channel channel) {
        this.spec = spec;
        this.channel = channel;
        this.local = (InetSocketAddress) channel.localAddress();
    }

    static UdpTransport bind(ListenSpec spec, NettyLoops loops, SipMessageParser parser, MessageSink sink,
            int receiveBuffer) throws InterruptedException {
        UdpTransport[] self = new UdpTransport[1];
        Bootstrap b = new Bootstrap().group(loops.group()).channel(loops.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, receiveBuffer)
                .option(ChannelOption.SO_SNDBUF, 1 << 20)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(65_535))
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
