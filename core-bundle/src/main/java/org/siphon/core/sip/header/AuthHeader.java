package org.siphon.core.sip.header;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.siphon.core.sip.SipParseException;

/**
 * Credentials or a challenge (RFC 3261 §20.7, §20.27, §20.28, §20.44; RFC 7616): Authorization,
 * Proxy-Authorization, WWW-Authenticate, Proxy-Authenticate. {@code Digest username="a", realm="b",
 * nonce="c", ...}. Parameter names are kept in lower case, values unquoted. Immutable.
 *
 * @param scheme the scheme as written, e.g. {@code Digest}
 * @param params parameter name (lower case) to value (quotes removed), in order
 */
public record AuthHeader(String scheme, Map<String, String> params) {

    public AuthHeader {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static AuthHeader parse(String value) {
        Lexer lx = new Lexer(value.trim());
        String scheme = lx.token();
        Map<String, String> params = new LinkedHashMap<>();
        lx.skipWs();
        while (!lx.atEnd()) {
            String name = lx.token().toLowerCase(Locale.ROOT);
            lx.expect('=');
            String v;
            if (lx.peek() == '"') {
                v = lx.quoted();
            } else {
                int start = lx.pos();
                while (!lx.atEnd() && lx.peek() != ',' && lx.peek() != ' ' && lx.peek() != '\t') {
                    lx.next();
                }
                v = lx.text().substring(start, lx.pos());
            }
            if (params.put(name, v) != null) {
                throw new SipParseException("parameter " + name + " given twice in " + scheme + " header");
            }
            lx.skipWs();
            if (!lx.atEnd()) {
                lx.expect(',');
            }
        }
        return new AuthHeader(scheme, params);
    }

    public boolean isDigest() {
        return scheme.equalsIgnoreCase("Digest");
    }

    /** A parameter's value (unquoted), or null. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }
}
