package org.siphon.core.sip.header;

import org.siphon.core.sip.SipParseException;

/**
 * A cursor over header or URI text with the RFC 3261 §25.1 lexical helpers every header parser
 * needs: whitespace (folding already undone), tokens, quoted strings, separators. Failures throw
 * {@link SipParseException} with a short description and the position. Not thread-safe; one per parse.
 */
final class Lexer {

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private final String s;
    private int pos;
    private final int end;

    Lexer(String s) {
        this(s, 0, s.length());
    }

    Lexer(String s, int start, int end) {
        this.s = s;
        this.pos = start;
        this.end = end;
    }

    /** Whether {@code c} may appear in a token (RFC 3261 {@code token}). */
    public static boolean isTokenChar(char c) {
        return c < 128 && TOKEN[c];
    }

    public static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    public int pos() {
        return pos;
    }

    public void pos(int pos) {
        this.pos = pos;
    }

    public String text() {
        return s;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    /** The next character, or 0 at the end. */
    public char peek() {
        return pos < end ? s.charAt(pos) : 0;
    }

    public char next() {
        if (pos >= end) {
            throw error("unexpected end");
        }
        return s.charAt(pos++);
    }

    /** Skips spaces and tabs (and CR/LF left by lenient input). */
    public Lexer skipWs() {
        while (pos < end) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
            pos++;
        }
        return this;
    }

    /** Consumes {@code c} (after optional whitespace) if it is next. */
    public boolean accept(char c) {
        int save = pos;
        skipWs();
        if (pos < end && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        pos = save;
        return false;
    }

    /** Consumes {@code c}, with optional whitespace around it, or fails. */
    public void expect(char c) {
        skipWs();
        if (pos >= end || s.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
        skipWs();
    }

    /** A token, or fails. */
    public String token() {
        int start = pos;
        while (pos < end && isTokenChar(s.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a token");
        }
        return s.substring(start, pos);
    }

    /** A quoted string starting at the current position, returned without quotes and with escapes undone. */
    public String quoted() {
        if (peek() != '"') {
            throw error("expected '\"'");
        }
        pos++;
        StringBuilder sb = null;
        int start = pos;
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == '"') {
                String v = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return v;
            }
            if (c == '\\') {
                if (pos + 1 >= end) {
                    break;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, start, pos).append(s.charAt(pos + 1));
                pos += 2;
                start = pos;
                continue;
            }
            pos++;
        }
        throw error("unterminated quoted string");
    }

    /** Text up to (not including) the first of {@code stops} outside quotes and angle brackets, trimmed. */
    public String until(String stops) {
        int start = pos;
        boolean quoted = false;
        int angle = 0;
        while (pos < end) {
            char c = s.charAt(pos);
            if (quoted) {
                if (c == '\\') {
                    pos++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>' && angle > 0) {
                angle--;
            } else if (angle == 0 && stops.indexOf(c) >= 0) {
                break;
            }
            pos++;
        }
        if (quoted) {
            throw error("unterminated quoted string");
        }
        return s.substring(start, Math.min(pos, end)).trim();
    }

    public String rest() {
        String r = s.substring(pos, end);
        pos = end;
        return r;
    }

    public SipParseException error(String what) {
        return new SipParseException(what + " at " + pos + " in \"" + abbreviate(s) + "\"");
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
