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
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
            String head = WebSocketIT.readHead(in);
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
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            accepted.incrementAndGet();
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int b0 = in.read();
                int b1 = in.read();
                if (b0 < 0 || b1 < 0) {
                    return;
                }
                long len = b1 & 0x7f;
                if (len == 126) {
                    len = (in.read() << 8) | in.read();
                } else if (len == 127) {
                    len = 0;
                    for (int i = 0; i < 8; i++) {
                        len = len << 8 | in.read();
                    }
                }
                byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
                if (mask == null) {
                    unmasked.incrementAndGet();
                }
                byte[] payload = in.readNBytes((int) len);
                for (int i = 0; mask != null && i < payload.length; i++) {
                    payload[i] ^= mask[i % 4];
                }
                int opcode = b0 & 0x0f;
                switch (opcode) {
                    case 0x0, 0x1, 0x2 -> {
                        message.write(payload);
                        if ((b0 & 0x80) != 0) {
                            messages.add(message.toString(StandardCharsets.UTF_8));
                            message.reset();
                        }
                    }
                    case 0x8 -> {
                        closes.add(payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005);
                        frame(out, 0x8, new byte[] { 0x03, (byte) 0xe8 }, false);
                        return;
                    }
                    case 0x9 -> frame(out, 0xa, payload, false);
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

    private static void frame(OutputStream out, int opcode, byte[] payload, boolean mask) throws IOException {
        synchronized (out) {
            out.write(0x80 | opcode);
            int maskBit = mask ? 0x80 : 0;
            if (payload.length < 126) {
                out.write(maskBit | payload.length);
            } else {
                out.write(maskBit | 126);
                out.write(payload.length >> 8);
                out.write(payload.length & 0xff);
            }
            byte[] body = payload;
            if (mask) {
                byte[] key = { 1, 2, 3, 4 };
                out.write(key);
                body = payload.clone();
                for (int i = 0; i < body.length; i++) {
                    body[i] ^= key[i % 4];
                }
            }
            out.write(body);
            out.flush();
        }
    }

    /** Sends {@code sip} as one unmasked text frame on the newest connection. */
    void send(String sip) throws IOException {
        Socket s = connections.get(connections.size() - 1);
        frame(s.getOutputStream(), 0x1, sip.getBytes(StandardCharsets.UTF_8), maskOwnFrames);
    }

    /** The next message starting with {@code start} within 5 s, others skipped; null if none. */
    String next(String start) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            String m = messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m.startsWith(start)) {
                return m;
            }
        }
        return null;
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
