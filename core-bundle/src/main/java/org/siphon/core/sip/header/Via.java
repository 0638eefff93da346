package org.siphon.core.sip.header;

import java.util.List;
import java.util.Locale;

import org.siphon.core.sip.SipParseException;
import org.siphon.core.sip.Parameters;

/**
 * One Via value (RFC 3261 §20.42): {@code SIP/2.0/UDP host:port;branch=...;received=...;rport=...}.
 * The host keeps IPv6 brackets; the port is -1 when absent. Immutable.
 *
 * @param protocol  {@code SIP/2.0}
 * @param transport the transport as written, e.g. {@code UDP}, {@code TCP}, {@code TLS}, {@code WS}
 */
public record Via(String protocol, String transport, String host, int port, Parameters params) {

    private static final java.util.regex.Pattern DIGITS_5 = java.util.regex.Pattern.compile("\\d{1,5}");
    private static final java.util.regex.Pattern DIGITS_3 = java.util.regex.Pattern.compile("\\d{1,3}");

    /** The magic cookie that marks an RFC 3261 branch. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    /** Parses one Via value. */
    public static Via parse(String value) {
        Lexer lx = new Lexer(value.trim());
        String name = lx.token();
        lx.expect('/');
        String version = lx.token();
        lx.expect('/');
        String transport = lx.token();
        lx.skipWs();
        int hostStart = lx.pos();
        String host;
        if (lx.peek() == '[') {
            while (!lx.atEnd() && lx.peek() != ']') {
                lx.next();
            }
            lx.next();
            host = lx.text().substring(hostStart, lx.pos());
        } else {
            while (!lx.atEnd() && (Lexer.isTokenChar(lx.peek()) && lx.peek() != '!' && lx.peek() != '%')) {
                lx.next();
            }
            host = lx.text().substring(hostStart, lx.pos());
        }
        if (host.isEmpty()) {
            throw lx.error("Via without host");
        }
        int port = -1;
        if (lx.accept(':')) {
            lx.skipWs();
            int start = lx.pos();
            while (!lx.atEnd() && Character.isDigit(lx.peek())) {
                lx.next();
            }
            int digits = lx.pos() - start;
            port = 0;
            for (int i = start; i < lx.pos(); i++) {
                port = port * 10 + (lx.text().charAt(i) - '0');
            }
            if (digits == 0 || digits > 5 || port > 65535) {
                throw lx.error("bad Via port");
            }
        }
        Parameters params = HeaderParams.parse(lx);
        HeaderParams.requireEnd(lx, "Via");
        String protocol = "SIP".equals(name) && "2.0".equals(version) ? "SIP/2.0" : name + "/" + version;
        Via via = new Via(protocol, transport, host, port, params);
        via.check();
        return via;
    }

    /** Parses a Via header value that may hold several comma-separated Vias. */
    public static List<Via> parseAll(String value) {
        if (value.indexOf(',') < 0) {
            return List.of(parse(value));
        }
        List<String> parts = HeaderParams.splitCommas(value);
        Via[] vias = new Via[parts.size()];
        for (int i = 0; i < vias.length; i++) {
            vias[i] = parse(parts.get(i));
        }
        return List.of(vias);
    }

    private void check() {
        String b = params.get("branch");
        if (b != null && b.isEmpty()) {
            throw new SipParseException("empty Via branch");
        }
        String rport = params.get("rport");
        if (rport != null && !rport.isEmpty() && !DIGITS_5.matcher(rport).matches()) {
            throw new SipParseException("bad Via rport " + rport);
        }
        String ttl = params.get("ttl");
        if (ttl != null && (!DIGITS_3.matcher(ttl).matches() || Integer.parseInt(ttl) > 255)) {
            throw new SipParseException("bad Via ttl " + ttl);
        }
    }

    public String branch() { return params.get("branch"); }
    public String received() { return params.get("received"); }
    public String maddr() { return params.get("maddr"); }
    /** Whether the {@code rport} parameter is present (with or without value). */
    public boolean hasRport() { return params.has("rport"); }

    /** The rport value, or -1 when absent or empty. */
    public int rport() {
        String r = params.get("rport");
        return r == null || r.isEmpty() ? -1 : Integer.parseInt(r);
    }

    /** Whether the branch starts with the RFC 3261 magic cookie. */
    public boolean isRfc3261Branch() {
        String b = branch();
        return b != null && b.startsWith(MAGIC_COOKIE);
    }

    /** The transport in lower case ({@code udp}, {@code tcp}, ...). */
    public String transportLower() {
        return transport.toLowerCase(Locale.ROOT);
    }

    /** The host without IPv6 brackets. */
    public String hostAddress() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    public Via withParams(Parameters newParams) {
        return new Via(protocol, transport, host, port, newParams);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        return params.appendTo(sb).toString();
    }
}
