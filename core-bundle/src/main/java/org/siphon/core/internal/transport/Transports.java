package org.siphon.core.internal.transport;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipParserConfig;

/** Binds the sockets of a list of {@code listen=} specs; on failure closes what was bound. */
public final class Transports {

    /** Transport limits, named as Kamailio's parameters. */
    public record Settings(int udpReceiveBuffer, int tcpConnectionLifetimeSeconds, int tcpMaxConnections,
            int tcpConnectTimeoutMillis, int tcpMessageReadTimeoutSeconds, int tcpMessageDataTimeoutSeconds) {

        public Settings(int udpReceiveBuffer, int tcpConnectionLifetimeSeconds, int tcpMaxConnections, int tcpConnectTimeoutMillis) {
            this(udpReceiveBuffer, tcpConnectionLifetimeSeconds, tcpMaxConnections, tcpConnectTimeoutMillis, 20, 20);
        }
    }

    private Transports() {
    }

    public static List<Transport> bind(List<ListenSpec> specs, NettyLoops loops, SipParserConfig parserConfig,
            MessageSink sink, Settings settings) throws InterruptedException {
        return bind(specs, loops, parserConfig, sink, settings, new TlsLayer());
    }

    /** @param tls the TLS profiles for {@code tls:} listeners and their outgoing connections */
    public static List<Transport> bind(List<ListenSpec> specs, NettyLoops loops, SipParserConfig parserConfig,
            MessageSink sink, Settings settings, TlsLayer tls) throws InterruptedException {
        List<Transport> bound = new ArrayList<>();
        SipMessageParser parser = new SipMessageParser(parserConfig);
        TcpTransport.Limits limits = new TcpTransport.Limits(settings.tcpConnectionLifetimeSeconds(),
                settings.tcpMaxConnections(), settings.tcpConnectTimeoutMillis(), settings.tcpMessageReadTimeoutSeconds(),
                settings.tcpMessageDataTimeoutSeconds());
        try {
            for (ListenSpec spec : specs) {
                bound.add(switch (spec.proto()) {
                    case "udp" -> UdpTransport.bind(spec, loops, parser, sink, settings.udpReceiveBuffer());
                    case "tcp" -> TcpTransport.bind(spec, loops, parserConfig, sink, limits, null);
                    case "tls" -> TcpTransport.bind(spec, loops, parserConfig, sink, limits, tls);
                    default -> throw new IllegalArgumentException("unsupported protocol " + spec.proto());
                });
            }
        } catch (InterruptedException | RuntimeException e) {
            bound.forEach(Transport::close);
            throw e;
        }
        return bound;
    }

    /** See {@link TcpTransport#upgradeToWebSocket}; false for a transport that is not a stream. */
    public static boolean upgradeToWebSocket(Transport transport, java.net.InetSocketAddress peer, byte[] answer) {
        return transport instanceof TcpTransport tcp && tcp.upgradeToWebSocket(peer, answer);
    }

    /** See {@link TcpTransport#tlsSession}; null for a transport that is not a stream. */
    public static javax.net.ssl.SSLSession tlsSession(Transport transport, java.net.InetSocketAddress peer) {
        return transport instanceof TcpTransport tcp ? tcp.tlsSession(peer) : null;
    }

    /** The WebSocket connections of a stream transport; empty for another. */
    public static java.util.List<org.siphon.core.proxy.WebSocketConnection> webSockets(Transport transport) {
        return transport instanceof TcpTransport tcp ? tcp.webSockets() : java.util.List.of();
    }

    /** See {@link TcpTransport#webSocketId}. */
    public static long webSocketId(Transport transport, java.net.InetSocketAddress peer) {
        return transport instanceof TcpTransport tcp ? tcp.webSocketId(peer) : -1;
    }

    /** See {@link TcpTransport#onWebSocketClosed}; nothing for a transport that is not a stream. */
    public static void onWebSocketClosed(Transport transport,
            java.util.function.Consumer<org.siphon.core.proxy.WebSocketConnection> listener) {
        if (transport instanceof TcpTransport tcp) {
            tcp.onWebSocketClosed(listener);
        }
    }

    /** See {@link TcpTransport#pingWebSocket}. */
    public static boolean pingWebSocket(Transport transport, long id, boolean ping, byte[] data) {
        return transport instanceof TcpTransport tcp && tcp.pingWebSocket(id, ping, data);
    }

    /**
     * See {@link TcpTransport#sendWebSocket}: one WebSocket message to {@code to}, on its open
     * WebSocket connection or (with {@code connect}) a new one Siphon opens as a client.
     */
    public static java.util.concurrent.CompletableFuture<Void> sendWebSocket(Transport transport, byte[] bytes,
            java.net.InetSocketAddress to, boolean connect) {
        return transport instanceof TcpTransport tcp ? tcp.sendWebSocket(bytes, to, connect)
                : java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException(transport + " carries no WebSocket"));
    }

    /** See {@link TcpTransport#closeWebSocket}. */
    public static boolean closeWebSocket(Transport transport, long id, int status, String reason) {
        return transport instanceof TcpTransport tcp && tcp.closeWebSocket(id, status, reason);
    }

    /** The transport a message of {@code proto} travels on: WebSocket rides on TCP (ws) and TLS (wss). */
    public static String carrier(String proto) {
        return switch (proto) {
            case "ws" -> "tcp";
            case "wss" -> "tls";
            default -> proto;
        };
    }

    /** Closes the TCP connection a broken stream came on, once the pending reply is written. */
    public static void closeConnection(Transport transport, java.net.InetSocketAddress peer) {
        if (transport instanceof TcpTransport tcp) {
            tcp.closeAfterFlush(peer);
        }
    }
}
