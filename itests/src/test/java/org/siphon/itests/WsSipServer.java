package org.siphon.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small SIP-over-WebSocket server (RFC 6455 by hand, RFC 7118) on 127.0.0.1 for Siphon's client
 * mode: answers an opening handshake offering {@code sip} with a 101 (or, refusing, with what it is
 * told to), reads frames (noting any that comes unmasked, as a client must never send), answers
 * pings and closes, queues each text message, and sends its own messages unmasked (or, to test the
 * client, masked) on the newest connection. At most 8 connections, each served by a daemon thread; closes everything on
 * {@link #close()}.
 */
final class WsSipServer implements AutoCloseable {

    private final ServerSocket socket;
    private final String refusal;
    /** Mask our own frames, as a server must not (a client must then close with 1002). */
    volatile boolean maskOwnFrames;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final List<String> handshakes = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger unmasked = new AtomicInteger();
    final LinkedBlockingQueue<Integer> closes = new LinkedBlockingQueue<>();

    /**
     * @param socket  a bound server socket (plain, or an SSLServerSocket for wss)
     * @param refusal null to accept handshakes, {@code SILENT} to answer none, else the status line and
     *                headers to answer them with
     */
    WsSipServer(ServerSocket socket, String refusal) {
        this.socket = socket;
        this.refusal = refusal;
        Thread t = new Thread(this::acceptLoop, "ws-sip-server-" + socket.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    static WsSipServer plain(String refusal) throws IOException {
        return new WsSipServer(new ServerSocket(0, 8, InetAddress.getByName("127.0.0.1")), refusal);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                if (connections.size() >= 8) {
                    s.close();
                    continue;
                }
                s.setSoTimeout(60_000);
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "ws-sip-conn-" + s.getPort());
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = WebSocketWire.readHead(in);
            handshakes.add(head);
            if ("SILENT".equals(refusal)) {
                while (in.read() >= 0) {
                    // never answers the handshake: holds the connection until the client gives up
                }
                closes.add(1006);
                return;
            }
            if (refusal != null) {
                out.write((refusal + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String key = SipDialog.header(head.substring(head.indexOf("\r\n") + 2), "Sec-WebSocket-Key");
            out.write(WebSocketWire.switchingProtocols(key));
            out.flush();
            accepted.incrementAndGet();
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            WebSocketWire.Frame f;
            while ((f = WebSocketWire.readFrame(in)) != null) {
                if (!f.masked()) {
                    unmasked.incrementAndGet();
                }
                switch (f.opcode()) {
                    case 0x0, 0x1, 0x2 -> {
                        message.write(f.payload());
                        if (f.fin()) {
                            messages.add(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                    }
                    case WebSocketWire.CLOSE -> {
                        closes.add(f.closeCode());
                        WebSocketWire.writeFrame(out, WebSocketWire.CLOSE, new byte[] { 0x03, (byte) 0xe8 }, false);
                        return;
                    }
                    case WebSocketWire.PING -> WebSocketWire.writeFrame(out, WebSocketWire.PONG, f.payload(), false);
                    default -> { }
                }
            }
        } catch (SocketException e) {
            // closed
        } catch (Exception e) {
            messages.add("ERROR " + e);
        } finally {
            connections.remove(s);
        }
    }

    /** Sends {@code sip} as one unmasked text frame on the newest connection. */
    void send(String sip) throws IOException {
        Socket s = connections.get(connections.size() - 1);
        WebSocketWire.writeFrame(s.getOutputStream(), WebSocketWire.TEXT, sip.getBytes(StandardCharsets.UTF_8), maskOwnFrames);
    }

    /** The next message starting with {@code start} within 5 s, others skipped; null if none. */
    String next(String start) throws InterruptedException {
        return WebSocketWire.next(messages, start);
    }

    int open() {
        return connections.size();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : connections) {
            s.close();
        }
    }
}
