package org.siphon.core.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** MD5 hex digests for branches and tags, with one digest per thread. */
final class Hashes {

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Hashes() {
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[256]);

    /** The first {@code hexChars} hex digits of the MD5 of the parts (UTF-8) joined by NUL. */
    static String md5Hex(int hexChars, String... parts) {
        MessageDigest md = MD5.get();
        md.reset();
        for (String p : parts) {
            if (p != null) {
                update(md, p);
            }
            md.update((byte) 0);
        }
        byte[] d = md.digest();
        char[] out = new char[Math.min(hexChars, 2 * d.length)];
        for (int i = 0; i < out.length; i++) {
            int b = d[i >> 1];
            out[i] = HEX[(i & 1) == 0 ? (b >> 4) & 0xf : b & 0xf];
        }
        return new String(out);
    }

    /** ASCII text through a per-thread array; anything else through its UTF-8 bytes. */
    private static void update(MessageDigest md, String s) {
        int len = s.length();
        byte[] buf = SCRATCH.get();
        if (len > buf.length) {
            md.update(s.getBytes(StandardCharsets.UTF_8));
            return;
        }
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                md.update(s.getBytes(StandardCharsets.UTF_8));
                return;
            }
            buf[i] = (byte) c;
        }
        md.update(buf, 0, len);
    }
}
