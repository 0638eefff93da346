package org.siphon.auth.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * HTTP Digest as SIP uses it (RFC 2617 / RFC 7616, RFC 8760 for SHA-256 in SIP): HA1, HA2 and the
 * expected response, with or without {@code qop=auth}. Stateless.
 */
final class Digest {

    /** The algorithms offered and accepted: Kamailio's names. */
    enum Algorithm {
        MD5("MD5", "MD5"), SHA256("SHA-256", "SHA-256");

        final String token;
        private final String jca;

        Algorithm(String token, String jca) {
            this.token = token;
            this.jca = jca;
        }

        static Algorithm of(String token) {
            if (token == null || token.isEmpty() || token.equalsIgnoreCase("MD5")) {
                return MD5;
            }
            if (token.equalsIgnoreCase("SHA-256")) {
                return SHA256;
            }
            return null;
        }

        String hash(String text) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Digest() {
    }

    static String ha1(Algorithm a, String user, String realm, String password) {
        return a.hash(user + ":" + realm + ":" + password);
    }

    /** The response a client with {@code ha1} must send (qop null: RFC 2069 style). */
    static String response(Algorithm a, String ha1, String nonce, String nc, String cnonce, String qop, String method,
            String uri) {
        String ha2 = a.hash(method + ":" + uri);
        String h1 = ha1.toLowerCase(Locale.ROOT);
        return qop == null ? a.hash(h1 + ":" + nonce + ":" + ha2) : a.hash(h1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /** Compares in constant time. */
    static boolean same(String a, String b) {
        return a != null && b != null
                && MessageDigest.isEqual(a.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII),
                        b.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
