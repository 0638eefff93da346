package org.siphon.presence.internal;

import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/** Presentity and watcher URIs as Kamailio keeps them: {@code sip:user@domain}, no port, no parameters. */
final class Uris {

    private Uris() {
    }

    /** {@code sip:user@host} of a SIP URI, or null for another kind. */
    static String aor(Uri uri) {
        if (!(uri instanceof SipUri u) || u.host() == null || u.host().isEmpty()) {
            return null;
        }
        return "sip:" + (u.user() == null || u.user().isEmpty() ? "" : u.user() + "@") + u.host();
    }

    /** {@link #aor} of a URI in text, or null when it does not parse. */
    static String aor(String text) {
        try {
            return aor(UriParser.parse(text.trim().replaceAll("^<|>$", "")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** user and domain of {@code sip:user@domain} (user "" when there is none). */
    static String[] userDomain(String aor) {
        String s = aor.startsWith("sip:") ? aor.substring(4) : aor.startsWith("sips:") ? aor.substring(5) : aor;
        int at = s.lastIndexOf('@');
        return at < 0 ? new String[] { "", s } : new String[] { s.substring(0, at), s.substring(at + 1) };
    }
}
