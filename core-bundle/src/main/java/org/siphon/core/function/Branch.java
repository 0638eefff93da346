package org.siphon.core.function;

import org.siphon.core.sip.uri.Uri;

/**
 * One entry of a message's destination set (Kamailio's branch): added by {@code append_branch},
 * by registrar's {@code lookup} or a module, and turned into an outgoing branch by tm.
 *
 * @param uri         the Request-URI of the branch
 * @param destination where to send it ({@code $du} of the branch), or null to use {@code uri}
 * @param path        Path header value to turn into Route headers (RFC 3327), or null
 * @param q           q value times 1000 (-1 when not given)
 * @param flags       branch flags
 */
public record Branch(Uri uri, Uri destination, String path, int q, long flags) {

    /** A branch to {@code uri} with nothing else set. */
    public static Branch of(Uri uri) {
        return new Branch(uri, null, null, -1, 0);
    }
}
