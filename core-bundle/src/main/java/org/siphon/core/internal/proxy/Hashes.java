package org.siphon.core.internal.proxy;

/**
 * Hex hashes for branches and tags: 64-bit FNV-1a over the parts' characters, finished with
 * MurmurHash3's mixer so that every output bit depends on every input bit. Not a cryptographic
 * hash: these values only have to be the same for the same request and differ, with 64 bits,
 * between different ones (a retransmission gets the same stateless branch and To tag, two calls
 * do not). Kamailio uses a CRC for its stateless To tags; an MD5 per message cost several times
 * more here (the digest's padding, a copy of the text, a new array per digest).
 */
final class Hashes {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashes() {
    }

    /** The first {@code hexChars} (at most 16) hex digits of the hash of the parts; null parts count as absent. */
    static String hex(int hexChars, String... parts) {
        long h = FNV_OFFSET;
        for (String p : parts) {
            if (p != null) {
                for (int i = 0, n = p.length(); i < n; i++) {
                    h = (h ^ p.charAt(i)) * FNV_PRIME;
                }
                h = (h ^ 0x100) * FNV_PRIME; // after the text: "ab","c" and "a","bc" differ
            } else {
                h = (h ^ 0x200) * FNV_PRIME;
            }
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        int n = Math.min(hexChars, 16);
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            out[i] = HEX[(int) (h >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out);
    }
}
