package org.siphon.websocket.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import org.siphon.core.sip.SipRequest;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2) for SIP (RFC 7118): checks
 * the client's request and builds the {@code 101 Switching Protocols} answer, or says which HTTP
 * error it deserves. Stateless.
 */
final class Handshake {

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The outcome: the 101 answer, or an error status with its reason and extra header. */
    record Result(byte[] answer, int status, String reason, String extraHeader) {
        boolean ok() {
            return answer != null;
        }
    }

    private Handshake() {
    }

    /**
     * @param subProtocols Kamailio's sub_protocols: bit 1 {@code sip}, bit 2 {@code msrp}
     * @param corsMode     0 none, 1 {@code *}, 2 the request's Origin
     */
    static Result check(SipRequest r, int subProtocols, int corsMode, String server) {
        if (!"GET".equals(r.method())) {
            return error(405, "Method Not Allowed", "Allow: GET\r\n");
        }
        if (!"HTTP/1.1".equals(r.version())) {
            return error(505, "HTTP Version Not Supported", "");
        }
        if (!contains(r.headerValue("Upgrade"), "websocket") || !contains(r.headerValue("Connection"), "upgrade")) {
            return error(400, "Bad Request: not a WebSocket handshake (Upgrade: websocket, Connection: Upgrade)", "");
        }
        String key = r.headerValue("Sec-WebSocket-Key");
        if (key == null || !validKey(key.trim())) {
            return error(400, "Bad Request: Sec-WebSocket-Key missing or not 16 bytes in base64", "");
        }
        if (!"13".equals(trim(r.headerValue("Sec-WebSocket-Version")))) {
            return error(426, "Upgrade Required", "Sec-WebSocket-Version: 13\r\n");
        }
        String protocol = protocol(r.headerValue("Sec-WebSocket-Protocol"), subProtocols);
        if (protocol == null) {
            return error(400, "Bad Request: Sec-WebSocket-Protocol has none of the supported sub-protocols ("
                    + ((subProtocols & 2) != 0 ? "sip, msrp" : "sip") + ")", "");
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("HTTP/1.1 101 Switching Protocols\r\n");
        sb.append("Upgrade: websocket\r\nConnection: upgrade\r\n");
        sb.append("Sec-WebSocket-Accept: ").append(accept(key.trim())).append("\r\n");
        sb.append("Sec-WebSocket-Protocol: ").append(protocol).append("\r\n");
        sb.append("Server: ").append(server).append("\r\n");
        String origin = r.headerValue("Origin");
        if (corsMode == 1) {
            sb.append("Access-Control-Allow-Origin: *\r\n");
        } else if (corsMode == 2 && origin != null) {
            sb.append("Access-Control-Allow-Origin: ").append(origin.replace('\r', ' ').replace('\n', ' ')).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");
        return new Result(sb.toString().getBytes(StandardCharsets.ISO_8859_1), 101, "Switching Protocols", "");
    }

    private static Result error(int status, String reason, String extra) {
        return new Result(null, status, reason, extra);
    }

    static String accept(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }

    private static boolean validKey(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The first offered sub-protocol the server supports, or null. */
    static String protocol(String offered, int subProtocols) {
        if (offered == null) {
            return null;
        }
        return Arrays.stream(offered.split(",")).map(String::trim).map(p -> p.toLowerCase(Locale.ROOT))
                .filter(p -> p.equals("sip") && (subProtocols & 1) != 0 || p.equals("msrp") && (subProtocols & 2) != 0)
                .findFirst().orElse(null);
    }

    private static boolean contains(String value, String token) {
        if (value == null) {
            return false;
        }
        return Arrays.stream(value.split(",")).anyMatch(t -> t.trim().equalsIgnoreCase(token));
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
