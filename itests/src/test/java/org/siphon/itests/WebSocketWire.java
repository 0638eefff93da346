package org.siphon.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * RFC 6455 by hand on a blocking socket stream, for the itests that play a raw WebSocket client or
 * server (WebSocketIT, WsSipServer): the opening handshake, frames written and read, and the HTTP
 * head the handshake (and XhttpIT's responses) end with; also a bounded wait for a queued message and ws.dump's connections over RPC.
 * Reads block as long as the socket's timeout lets them; a frame write synchronises on its stream.
 */
final class WebSocketWire {

    /** RFC 6455's sample Sec-WebSocket-Key; its Sec-WebSocket-Accept is {@link #SAMPLE_ACCEPT}. */
    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    static final int TEXT = 0x1;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xa;

    private WebSocketWire() {
    }

    /** One frame as read: its first byte (FIN and opcode), whether it came masked, the unmasked payload. */
    record Frame(int first, boolean masked, byte[] payload) {
        int opcode() {
            return first & 0x0f;
        }

        boolean fin() {
            return (first & 0x80) != 0;
        }

        /** The close frame's status code, 1005 (none given) when its payload is shorter than two bytes. */
        int closeCode() {
            return payload.length >= 2 ? (payload[0] & 0xff) << 8 | payload[1] & 0xff : 1005;
        }

        /** The close frame's reason text, empty if none. */
        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A client's opening handshake for path / on 127.0.0.1 offering {@code protocol}. */
    static byte[] upgradeRequest(String key, String protocol) {
        return ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + protocol + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Writes the sample-key handshake offering {@code sip} and returns the server's answer head. */
    static String handshake(InputStream in, OutputStream out) throws IOException {
        out.write(upgradeRequest(SAMPLE_KEY, "sip"));
        out.flush();
        return readHead(in);
    }

    /** The Sec-WebSocket-Accept value for a client's key. */
    static String acceptKey(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server's 101 accepting the {@code sip} sub-protocol for a client's key. */
    static byte[] switchingProtocols(String key) {
        return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\nSec-WebSocket-Protocol: sip\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** An HTTP head (start line and headers, up to the empty line, ISO-8859-1); less if the stream ends first. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            sb.append((char) b);
            int n = sb.length();
            if (n >= 4 && sb.charAt(n - 4) == '\r' && sb.charAt(n - 3) == '\n' && sb.charAt(n - 2) == '\r'
                    && sb.charAt(n - 1) == '\n') {
                break;
            }
        }
        return sb.toString();
    }

    /** Writes one final frame, masked with a fixed key if {@code mask} (as a client must, a server must not). */
    static void writeFrame(OutputStream out, int opcode, byte[] payload, boolean mask) throws IOException {
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

    /** The next frame, unmasked; null if the stream ends before its first two bytes. */
    static Frame readFrame(InputStream in) throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        if (b0 < 0 || b1 < 0) {
            return null;
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
        byte[] payload = in.readNBytes((int) len);
        for (int i = 0; mask != null && i < payload.length; i++) {
            payload[i] ^= mask[i % 4];
        }
        return new Frame(b0, mask != null, payload);
    }

    /** The next frame that is not a ping (a keepalive may come first); null at the stream's end. */
    static Frame readFrameSkippingPings(InputStream in) throws IOException {
        Frame f = readFrame(in);
        while (f != null && f.opcode() == PING) {
            f = readFrame(in);
        }
        return f;
    }

    /** The next message in {@code queue} starting with {@code start} within 5 s, others skipped; null if none. */
    static String next(BlockingQueue<String> queue, String start) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            String m = queue.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && m.startsWith(start)) {
                return m;
            }
        }
        return null;
    }

    /** Whether ws.dump answers and lists no connection from {@code src} (false when the RPC fails). */
    static boolean notListed(SiphonServer server, String src) {
        try {
            return connection(server, src) == null;
        } catch (Exception e) {
            return false;
        }
    }

    /** ws.dump's connections. */
    static List<?> connections(SiphonServer server) throws Exception {
        return (List<?>) ((Map<?, ?>) server.rpc.call("ws.dump")).get("connections");
    }

    /** ws.dump's entry whose src is {@code src} (ip:port), null if none. */
    static Map<?, ?> connection(SiphonServer server, String src) throws Exception {
        for (Object o : connections(server)) {
            if (src.equals(((Map<?, ?>) o).get("src"))) {
                return (Map<?, ?>) o;
            }
        }
        return null;
    }
}
