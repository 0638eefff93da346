package org.siphon.core.sip.uri;

import java.util.Locale;

import org.siphon.core.sip.Parameters;

/**
 * A {@code sip:} or {@code sips:} URI (RFC 3261 §19.1). Parts are kept as written: the user part
 * with its escapes ({@link #userDecoded()} undoes them), the host with brackets for IPv6
 * references, the port as -1 when absent. A parsed URI prints exactly as it was written until
 * one of the {@code with} methods makes a changed copy. Immutable; thread-safe.
 */
public final class SipUri implements Uri {

    private final boolean secure;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final Parameters params;
    private final String headers;
    private final String text;

    SipUri(boolean secure, String user, String password, String host, int port, Parameters params, String headers,
            String text) {
        this.secure = secure;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.params = params;
        this.headers = headers;
        this.text = text;
    }

    /** A new URI from its parts; {@code user} may be null, {@code port} -1 for none. */
    public static SipUri of(boolean secure, String user, String host, int port, Parameters params) {
        return new SipUri(secure, user, null, host, port, params == null ? Parameters.NONE : params, null, null);
    }

    @Override public String scheme() { return secure ? "sips" : "sip"; }
    public boolean isSecure() { return secure; }
    /** The user part as written (escaped), or null. */
    public String user() { return user; }
    public String password() { return password; }
    /** The host as written: a name, an IPv4 address or a bracketed IPv6 reference. */
    public String host() { return host; }
    /** The port, or -1 when the URI has none. */
    public int port() { return port; }
    public Parameters params() { return params; }
    /** The header part after {@code ?}, as written, or null. */
    public String headers() { return headers; }

    /** The port, or 5061 for sips / 5060 for sip when the URI has none. */
    public int portOrDefault() {
        return port >= 0 ? port : secure ? 5061 : 5060;
    }

    /** The host without IPv6 brackets, lower case: what to resolve or compare. */
    public String hostAddress() {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return h.toLowerCase(Locale.ROOT);
    }

    /** The user part with {@code %HH} escapes undone, or null. */
    public String userDecoded() {
        return user == null ? null : UriParser.unescape(user);
    }

    /** The {@code transport} parameter in lower case, or null. */
    public String transport() {
        String t = params.get("transport");
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }

    /** Whether the URI has the {@code lr} parameter (a loose router, RFC 3261 §16.4). */
    public boolean isLooseRouter() {
        return params.has("lr");
    }

    public SipUri withUser(String newUser) {
        return new SipUri(secure, newUser == null || newUser.isEmpty() ? null : newUser, newUser == null ? null : password,
                host, port, params, headers, null);
    }

    public SipUri withHost(String newHost) {
        return new SipUri(secure, user, password, newHost, port, params, headers, null);
    }

    public SipUri withPort(int newPort) {
        return new SipUri(secure, user, password, host, newPort, params, headers, null);
    }

    public SipUri withParams(Parameters newParams) {
        return new SipUri(secure, user, password, host, port, newParams, headers, null);
    }

    public SipUri withParam(String name, String value) {
        return withParams(params.with(name, value));
    }

    public SipUri withoutHeaders() {
        return headers == null ? this : new SipUri(secure, user, password, host, port, params, null, null);
    }

    @Override
    public String toString() {
        if (text != null) {
            return text;
        }
        StringBuilder sb = new StringBuilder(64).append(secure ? "sips:" : "sip:");
        if (user != null) {
            sb.append(user);
            if (password != null) {
                sb.append(':').append(password);
            }
            sb.append('@');
        }
        sb.append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.appendTo(sb);
        if (headers != null) {
            sb.append('?').append(headers);
        }
        return sb.toString();
    }

    /** Equal when they print the same; RFC 3261 §19.1.4 comparison is {@link UriParser#equivalent}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri u && toString().equals(u.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
