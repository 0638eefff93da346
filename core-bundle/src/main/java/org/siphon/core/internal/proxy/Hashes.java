package org.siphon.core.internal.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    /** The first {@code hexChars} hex digits of the MD5 of the parts joined by NUL. */
    static String md5Hex(int hexChars, String... parts) {
        MessageDigest md = MD5.get();
        md.reset();
        for (String p : parts) {
            if (p != null) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
            }
            md.update((byte) 0);
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, hexChars);
    }
}
