package org.siphon.core.sip.uri;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.siphon.core.sip.SipParseException;
import org.siphon.core.sip.Parameters;

/**
 * Parses URIs as RFC 3261 §25.1 and RFC 3966 write them: {@code sip:}/{@code sips:} with user,
 * password, host (name, IPv4, IPv6 reference), port, parameters and headers; {@code tel:}; any
 * other well-formed scheme as {@link OpaqueUri}. Throws {@link IllegalArgumentException} with the
 * reason for malformed text. Stateless; thread-safe.
 */
public final class UriParser {

    private static final java.util.regex.Pattern TEL_NUMBER = java.util.regex.Pattern.compile("\\+?[0-9A-Fa-f*#().\\-]+");

    private static final boolean[] FORBIDDEN = new boolean[128];
    private static final boolean[] HOST_CHAR = new boolean[128];

    static {
        for (int c = 0; c <= ' '; c++) {
            FORBIDDEN[c] = true;
        }
        FORBIDDEN['<'] = FORBIDDEN['>'] = FORBIDDEN['"'] = FORBIDDEN[0x7f] = true;
        for (int c = 0; c < 128; c++) {
            HOST_CHAR[c] = Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_';
        }
    }

    private UriParser() {
    }

    public static Uri parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new SipParseException("URI without scheme: " + text);
        }
        String scheme = scheme(text, colon);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 128 && FORBIDDEN[c]) {
                throw new SipParseException("character 0x" + Integer.toHexString(c) + " not allowed in URI " + text);
            }
        }
        return switch (scheme) {
            case "sip", "sips" -> parseSip(text, scheme.equals("sips"), colon + 1);
            case "tel" -> parseTel(text, colon + 1);
            default -> new OpaqueUri(scheme, text);
        };
    }

    /** The scheme in lower case; the common ones without allocating. */
    private static String scheme(String text, int colon) {
        if (colon == 3 && text.regionMatches(true, 0, "sip", 0, 3)) {
            return "sip";
        }
        if (colon == 4 && text.regionMatches(true, 0, "sips", 0, 4)) {
            return "sips";
        }
        if (colon == 3 && text.regionMatches(true, 0, "tel", 0, 3)) {
            return "tel";
        }
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            boolean ok = c < 128 && (Character.isLetter(c) || i > 0 && (Character.isDigit(c) || c == '+' || c == '.' || c == '-'));
            if (!ok) {
                throw new SipParseException("bad URI scheme: " + text);
            }
        }
        return text.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** Parses text that must be a {@code sip:} or {@code sips:} URI. */
    public static SipUri parseSip(String text) {
        if (parse(text) instanceof SipUri u) {
            return u;
        }
        throw new SipParseException("not a SIP URI: " + text);
    }

    private static SipUri parseSip(String text, boolean secure, int start) {
        int at = text.lastIndexOf('@');
        if (at < start) {
            at = -1;
        } else if (text.indexOf('@', start) != at) {
            throw new SipParseException("more than one '@' in " + text);
        }
        int end = text.length();
        int q = text.indexOf('?', at >= 0 ? at : start);
        String headers = null;
        if (q >= 0) {
            headers = text.substring(q + 1);
            checkEscapes(headers, text);
            end = q;
        }
        String user = null;
        String password = null;
        int hostStart = start;
        if (at >= 0) {
            String userinfo = text.substring(start, at);
            int pc = userinfo.indexOf(':');
            user = pc < 0 ? userinfo : userinfo.substring(0, pc);
            password = pc < 0 ? null : userinfo.substring(pc + 1);
            if (user.isEmpty()) {
                throw new SipParseException("empty user part in " + text);
            }
            checkEscapes(userinfo, text);
            hostStart = at + 1;
        }
        int semi = text.indexOf(';', hostStart);
        int hostEnd = semi >= 0 && semi < end ? semi : end;
        String host;
        int port = -1;
        if (hostStart < hostEnd && text.charAt(hostStart) == '[') {
            String hostport = text.substring(hostStart, hostEnd);
            int close = hostport.indexOf(']');
            if (close < 0) {
                throw new SipParseException("unclosed IPv6 reference in " + text);
            }
            host = hostport.substring(0, close + 1);
            checkIpv6(host.substring(1, close), text);
            if (close + 1 < hostport.length()) {
                if (hostport.charAt(close + 1) != ':') {
                    throw new SipParseException("bad text after IPv6 reference in " + text);
                }
                port = port(hostport, close + 2, hostport.length(), text);
            }
        } else { // host and port read in place: a URI is parsed several times per request
            int pc = text.indexOf(':', hostStart);
            int hostTo = pc >= 0 && pc < hostEnd ? pc : hostEnd;
            host = text.substring(hostStart, hostTo);
            if (hostTo < hostEnd) {
                port = port(text, hostTo + 1, hostEnd, text);
            }
            checkHost(host, text);
        }
        Parameters params = hostEnd < end ? params(text, hostEnd, end) : Parameters.NONE;
        return new SipUri(secure, user, password, host, port, params, headers, text);
    }

    private static TelUri parseTel(String text, int start) {
        int semi = text.indexOf(';', start);
        String number = semi < 0 ? text.substring(start) : text.substring(start, semi);
        if (number.isEmpty() || !TEL_NUMBER.matcher(number).matches()) {
            throw new SipParseException("bad telephone number in " + text);
        }
        return new TelUri(number, semi < 0 ? Parameters.NONE : params(text, semi, text.length()));
    }

    /** Parses {@code ;a=b;c}, the part of {@code text} from {@code from} to {@code to}, into parameters (values as written). */
    static Parameters params(String text, int from, int to) {
        Parameters.Builder params = Parameters.builder();
        int i = from + 1;
        while (true) {
            int semi = text.indexOf(';', i);
            int end = semi < 0 || semi > to ? to : semi;
            if (end == i) {
                throw new SipParseException("empty URI parameter in " + text);
            }
            int eq = text.indexOf('=', i);
            if (eq == i) {
                throw new SipParseException("URI parameter without name in " + text);
            }
            int pct = text.indexOf('%', i);
            if (pct >= 0 && pct < end) {
                checkEscapes(text.substring(i, end), text);
            }
            if (eq < 0 || eq > end) {
                params.add(text.substring(i, end), "");
            } else {
                params.add(text.substring(i, eq), text.substring(eq + 1, end));
            }
            if (end == to) {
                return params.build();
            }
            i = end + 1;
        }
    }

    /** The port written in {@code s} from {@code from} to {@code to}. */
    private static int port(String s, int from, int to, String whole) {
        if (to == from || to - from > 5) {
            throw new SipParseException("bad port in " + whole);
        }
        int p = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new SipParseException("bad port in " + whole);
            }
            p = p * 10 + (c - '0');
        }
        if (p > 65535) {
            throw new SipParseException("port out of range in " + whole);
        }
        return p;
    }

    private static void checkHost(String host, String whole) {
        if (host.isEmpty()) {
            throw new SipParseException("empty host in " + whole);
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (c >= 128 || !HOST_CHAR[c]) {
                throw new SipParseException("bad character '" + c + "' in host of " + whole);
            }
        }
    }

    private static void checkIpv6(String addr, String whole) {
        if (addr.isEmpty() || addr.indexOf(':') < 0) {
            throw new SipParseException("bad IPv6 reference in " + whole);
        }
        for (int i = 0; i < addr.length(); i++) {
            char c = addr.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                throw new SipParseException("bad IPv6 reference in " + whole);
            }
        }
    }

    private static void checkEscapes(String s, String whole) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                    || Character.digit(s.charAt(i + 2), 16) < 0) {
                throw new SipParseException("bad %-escape in " + whole);
            }
        }
    }

    /** Undoes {@code %HH} escapes (as UTF-8). */
    public static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0
                    && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * RFC 3261 §19.1.4 equivalence of two SIP URIs: scheme, user and password case-sensitive
     * (after unescaping), host case-insensitive, ports equal when both present or both absent,
     * {@code user}/{@code ttl}/{@code method}/{@code maddr}/{@code transport} parameters equal when
     * present in either, other parameters equal when present in both.
     */
    public static boolean equivalent(SipUri a, SipUri b) {
        if (a.isSecure() != b.isSecure() || a.port() != b.port()
                || !a.hostAddress().equals(b.hostAddress())
                || !java.util.Objects.equals(a.userDecoded(), b.userDecoded())
                || !java.util.Objects.equals(a.password() == null ? null : unescape(a.password()),
                        b.password() == null ? null : unescape(b.password()))) {
            return false;
        }
        for (String p : List.of("user", "ttl", "method", "maddr", "transport")) {
            String va = a.params().get(p);
            String vb = b.params().get(p);
            if (va == null ? vb != null : vb == null || !va.equalsIgnoreCase(vb)) {
                return false;
            }
        }
        for (Map.Entry<String, String> e : a.params().entries()) {
            String vb = b.params().get(e.getKey());
            if (vb != null && !unescape(vb).equalsIgnoreCase(unescape(e.getValue()))) {
                return false;
            }
        }
        return java.util.Objects.equals(a.headers(), b.headers());
    }
}
