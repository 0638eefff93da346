package org.siphon.core.internal.parse;

import org.siphon.core.sip.SipParseException;
import org.siphon.core.sip.header.HeaderText;

/**
 * A quick check of a From or To value on arrival, without building the address: the display name
 * is a quoted string or tokens, the URI has a scheme and no whitespace or forbidden characters,
 * brackets and quotes close, parameters are well formed; returns the {@code tag} parameter. The
 * full {@link org.siphon.core.sip.header.NameAddress} is parsed on first use. Stateless.
 */
public final class AddressScan {

    private AddressScan() {
    }

    /** The tag parameter's value, or null when there is none; throws {@link SipParseException} when malformed. */
    public static String tag(String v) {
        int n = v.length();
        int i = skipWs(v, 0);
        if (i < n && v.charAt(i) == '"') {
            i = skipWs(v, endOfQuoted(v, i));
            if (i >= n || v.charAt(i) != '<') {
                throw new SipParseException("display name without <URI> in \"" + v + "\"");
            }
        }
        int uriStart;
        int uriEnd;
        int lt = v.indexOf('<', i);
        if (i < n && v.charAt(i) != '<' && lt > i) {
            for (int j = i; j < lt; j++) {
                char c = v.charAt(j);
                if (c != ' ' && c != '\t' && !HeaderText.isTokenChar(c)) {
                    throw new SipParseException("bad display name in \"" + v + "\"");
                }
            }
            i = lt;
        }
        if (i < n && v.charAt(i) == '<') {
            uriStart = i + 1;
            uriEnd = v.indexOf('>', uriStart);
            if (uriEnd < 0) {
                throw new SipParseException("missing '>' in \"" + v + "\"");
            }
            i = uriEnd + 1;
        } else {
            uriStart = i;
            uriEnd = i;
            while (uriEnd < n && v.charAt(uriEnd) != ';' && v.charAt(uriEnd) != ' ' && v.charAt(uriEnd) != '\t') {
                uriEnd++;
            }
            i = uriEnd;
        }
        checkUri(v, uriStart, uriEnd);
        return params(v, i);
    }

    private static void checkUri(String v, int from, int to) {
        int colon = -1;
        for (int j = from; j < to; j++) {
            char c = v.charAt(j);
            if (c <= ' ' || c == '<' || c == '"' || c == 0x7f) {
                throw new SipParseException("bad character in URI of \"" + v + "\"");
            }
            if (c == ':' && colon < 0) {
                colon = j;
            }
        }
        if (colon <= from) {
            throw new SipParseException("URI without scheme in \"" + v + "\"");
        }
        int at = v.lastIndexOf('@', to - 1);
        if (to - colon < 2 || at >= from && at == to - 1) {
            throw new SipParseException("URI without host in \"" + v + "\"");
        }
        int bracket = v.indexOf('[', from);
        if (bracket >= 0 && bracket < to && v.indexOf(']', bracket) < 0) {
            throw new SipParseException("unclosed IPv6 reference in \"" + v + "\"");
        }
    }

    private static String params(String v, int i) {
        int n = v.length();
        String tag = null;
        i = skipWs(v, i);
        while (i < n) {
            if (v.charAt(i) != ';') {
                throw new SipParseException("unexpected text in \"" + v + "\"");
            }
            i = skipWs(v, i + 1);
            int nameStart = i;
            while (i < n && HeaderText.isTokenChar(v.charAt(i))) {
                i++;
            }
            if (i == nameStart) {
                throw new SipParseException("parameter without name in \"" + v + "\"");
            }
            boolean isTag = i - nameStart == 3 && v.regionMatches(true, nameStart, "tag", 0, 3);
            i = skipWs(v, i);
            if (i < n && v.charAt(i) == '=') {
                i = skipWs(v, i + 1);
                int valueStart = i;
                if (i < n && v.charAt(i) == '"') {
                    i = endOfQuoted(v, i);
                } else {
                    while (i < n && v.charAt(i) != ';' && v.charAt(i) != ' ' && v.charAt(i) != '\t') {
                        i++;
                    }
                }
                if (i == valueStart) {
                    throw new SipParseException("empty parameter value in \"" + v + "\"");
                }
                if (isTag) {
                    tag = v.substring(valueStart, i);
                }
            }
            i = skipWs(v, i);
        }
        return tag;
    }

    private static int endOfQuoted(String v, int quote) {
        for (int j = quote + 1; j < v.length(); j++) {
            char c = v.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '"') {
                return j + 1;
            }
        }
        throw new SipParseException("unterminated quoted string in \"" + v + "\"");
    }

    private static int skipWs(String v, int i) {
        while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
