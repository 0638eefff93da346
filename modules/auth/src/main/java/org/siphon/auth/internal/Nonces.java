package org.siphon.auth.internal;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Nonces bound to the server's secret and to an expiry ({@code nonce_expire}), and replay
 * protection: the {@code nc} a nonce was last used with must grow. A nonce is
 * {@code base64url(expiry | random | HMAC-SHA256(secret, expiry | random)[0..16))}: nothing is
 * stored until a nonce is used. Thread-safe.
 */
final class Nonces {

    enum Check { OK, BAD, STALE, REPLAYED }

    private final byte[] secret;
    private final long lifetimeMillis;
    private final LongSupplier clock;
    private final SecureRandom random = new SecureRandom();
    /** nonce → highest nc accepted (0 without qop), until the nonce expires. */
    private final ConcurrentHashMap<String, long[]> used = new ConcurrentHashMap<>();

    Nonces(byte[] secret, long lifetimeMillis, LongSupplier clock) {
        this.secret = secret.clone();
        this.lifetimeMillis = lifetimeMillis;
        this.clock = clock;
    }

    String issue() {
        byte[] body = new byte[16];
        ByteBuffer.wrap(body).putLong(clock.getAsLong() + lifetimeMillis);
        byte[] rnd = new byte[8];
        random.nextBytes(rnd);
        System.arraycopy(rnd, 0, body, 8, 8);
        byte[] all = Arrays.copyOf(body, 32);
        System.arraycopy(mac(body), 0, all, 16, 16);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(all);
    }

    /** Checks a nonce the client sent back, and its nc ({@code null} without qop). */
    Check check(String nonce, String nc) {
        byte[] all;
        try {
            all = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Check.BAD;
        }
        if (all.length != 32) {
            return Check.BAD;
        }
        byte[] body = Arrays.copyOf(all, 16);
        if (!java.security.MessageDigest.isEqual(Arrays.copyOfRange(all, 16, 32), mac(body))) {
            return Check.BAD;
        }
        long expiry = ByteBuffer.wrap(body).getLong();
        long now = clock.getAsLong();
        if (expiry <= now) {
            used.remove(nonce);
            return Check.STALE;
        }
        if (used.size() > 10_000) {
            used.entrySet().removeIf(e -> e.getValue()[1] <= now);
        }
        if (nc == null) {
            return Check.OK;
        }
        long count;
        try {
            count = Long.parseLong(nc, 16);
        } catch (NumberFormatException e) {
            return Check.BAD;
        }
        boolean[] fresh = new boolean[1];
        used.compute(nonce, (k, seen) -> {
            if (seen == null || count > seen[0]) {
                fresh[0] = true;
                return new long[] { count, expiry };
            }
            return seen;
        });
        return fresh[0] ? Check.OK : Check.REPLAYED;
    }

    private byte[] mac(byte[] body) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Arrays.copyOf(m.doFinal(body), 16);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
