package org.siphon.core.sip.header;

import java.util.List;

/**
 * The RFC 3261 lexical rules that code reading header text of its own needs: tokens and comma
 * lists. Stateless and thread-safe.
 */
public final class HeaderText {

    private HeaderText() {
    }

    /** Whether {@code c} may appear in a token (RFC 3261 {@code token}). */
    public static boolean isTokenChar(char c) {
        return Lexer.isTokenChar(c);
    }

    /** Whether {@code s} is a non-empty RFC 3261 {@code token}. */
    public static boolean isToken(String s) {
        return Lexer.isToken(s);
    }

    /**
     * The elements of a comma-separated header value (several Via, Contact, Route … in one line),
     * trimmed, splitting only outside quoted strings and {@code <>}.
     *
     * @throws org.siphon.core.sip.SipParseException for an empty value or an empty element
     */
    public static List<String> splitCommas(String value) {
        return HeaderParams.splitCommas(value);
    }
}
