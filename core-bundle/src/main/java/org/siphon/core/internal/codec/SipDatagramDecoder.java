package org.siphon.core.internal.codec;

import java.net.InetSocketAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.MessageToMessageDecoder;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.sip.SipSource;

/**
 * UDP: one datagram is one message (RFC 3261 §18.3). Copies the bytes out of the pooled buffer,
 * parses them and passes the message on, marked with its source; datagrams of only CRLF
 * (keep-alives) are dropped. Never throws for bad input: the parser marks the message instead.
 */
@Sharable
public final class SipDatagramDecoder extends MessageToMessageDecoder<DatagramPacket> {

    private final SipMessageParser parser;
    /** The socket's own address, shared by the messages it receives instead of one copy each. */
    private volatile InetSocketAddress lastLocal;

    public SipDatagramDecoder(SipMessageParser parser) {
        this.parser = parser;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, DatagramPacket packet, List<Object> out) {
        ByteBuf content = packet.content();
        byte[] bytes = ByteBufUtil.getBytes(content);
        SipMessageImpl msg = parser.parse(bytes, true);
        if (msg != null) {
            msg.source(new SipSource("udp", packet.sender(), local(packet.recipient())));
            out.add(msg);
        }
    }

    private InetSocketAddress local(InetSocketAddress recipient) {
        InetSocketAddress last = lastLocal;
        if (last != null && last.equals(recipient)) {
            return last;
        }
        lastLocal = recipient;
        return recipient;
    }
}
