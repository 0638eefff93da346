package org.siphon.dispatcher.internal;

import java.nio.charset.StandardCharsets;

import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;

/**
 * The hash of the hashing algorithms (0, 1, 2, 3, 5, 7) and of {@code dispatcher.hash}: 32-bit
 * FNV-1a over the UTF-8 bytes, so a value always lands on the same slot, on every node and after
 * restarts. Not Kamailio's function: slots differ from Kamailio's for the same value. Stateless.
 */
final class Hashes {

    private Hashes() {
    }

    /** The hash of one or two strings (null ones skipped), never negative. */
    static int hash(String a, String b) {
        int h = 0x811c9dc5;
        h = mix(h, a);
        if (b != null) {
            h = mix(h, "\0");
            h = mix(h, b);
        }
        return h & 0x7fffffff;
    }

    private static int mix(int h, String s) {
        if (s == null) {
            return h;
        }
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    /**
     * The hash of a URI: user and {@code host[:port]} (the port only when not 5060/5061), or the
     * user alone with {@code flags} bit 1, as Kamailio's dispatcher.
     */
    static int uri(Uri uri, int flags) {
        if (!(uri instanceof SipUri u)) {
            return hash(uri == null ? "" : uri.toString(), null);
        }
        String user = u.user() == null ? "" : u.user();
        if ((flags & 1) != 0) {
            return hash(user, null);
        }
        int p = u.port();
        boolean dflt = p < 0 || p == (u.isSecure() ? 5061 : 5060);
        return hash(user, u.hostAddress() + (dflt ? "" : ":" + p));
    }
}
