package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts preprocessed script text into tokens: identifiers (letters, digits, {@code _}, and
 * {@code .}/{@code :} inside, as in {@code ds.list} or {@code tm:local-request}), numbers (decimal
 * and {@code 0x} hex), strings in double or single quotes with C escapes, pseudo-variables
 * ({@code $name}, {@code $name(inner)}, {@code $(name{tr})}, {@code $avp(x)[1]}, kept as written),
 * and operators. Comments: {@code #} and {@code //} to the end of the line, {@code /* *}{@code /}.
 * Not thread-safe.
 */
final class Lexer {

    private static final String[] OPS = { "==", "!=", "=~", "!~", ">=", "<=", "&&", "||", "<<", ">>", "+=", ":=",
        "{", "}", "(", ")", "[", "]", ";", ",", "=", ">", "<", "!", "+", "-", "*", "/", "&", "|", "^", "~", ":", "." };

    private final String s;
    private int pos;
    private int line = 1;
    private int lineStart;
    private final List<ScriptException.Problem> problems;
    private final String file;

    Lexer(String text, String file, List<ScriptException.Problem> problems) {
        this.s = text;
        this.file = file;
        this.problems = problems;
    }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= s.length()) {
                out.add(new Token(Token.Kind.EOF, "", line, pos - lineStart + 1, pos));
                return out;
            }
            out.add(next());
        }
    }

    /** The source text between two offsets. */
    String text(int from, int to) {
        return s.substring(from, Math.min(to, s.length()));
    }

    /** Offset of the end of the line holding {@code offset} (before a trailing comment). */
    int endOfLine(int offset) {
        int e = s.indexOf('\n', offset);
        return e < 0 ? s.length() : e;
    }

    private void skipSpaceAndComments() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || c == '/' && peek(1) == '/') {
                while (pos < s.length() && s.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == '/' && peek(1) == '*') {
                int startLine = line;
                int startCol = pos - lineStart + 1;
                pos += 2;
                while (pos < s.length() && !(s.charAt(pos) == '*' && peek(1) == '/')) {
                    if (s.charAt(pos) == '\n') {
                        line++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
                if (pos >= s.length()) {
                    problems.add(new ScriptException.Problem(file, startLine, startCol, "unterminated /* comment"));
                    return;
                }
                pos += 2;
            } else {
                return;
            }
        }
    }

    private char peek(int ahead) {
        return pos + ahead < s.length() ? s.charAt(pos + ahead) : 0;
    }

    private Token next() {
        int start = pos;
        int col = pos - lineStart + 1;
        char c = s.charAt(pos);
        if (Character.isLetter(c) || c == '_') {
            pos++;
            while (pos < s.length()) {
                char d = s.charAt(pos);
                if (Character.isLetterOrDigit(d) || d == '_' || d == '.' && Character.isLetter(peek(1))) {
                    pos++;
                } else {
                    break;
                }
            }
            return new Token(Token.Kind.IDENT, s.substring(start, pos), line, col, start);
        }
        if (Character.isDigit(c)) {
            if (c == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
                pos += 2;
                while (pos < s.length() && Character.digit(s.charAt(pos), 16) >= 0) {
                    pos++;
                }
            } else {
                while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                    pos++;
                }
            }
            return new Token(Token.Kind.NUMBER, s.substring(start, pos), line, col, start);
        }
        if (c == '"' || c == '\'') {
            return string(c, col);
        }
        if (c == '$') {
            return pv(col);
        }
        for (String op : OPS) {
            if (s.startsWith(op, pos)) {
                pos += op.length();
                return new Token(Token.Kind.OP, op, line, col, start);
            }
        }
        pos++;
        problems.add(new ScriptException.Problem(file, line, col, "unexpected character '" + c + "'"));
        return new Token(Token.Kind.OP, String.valueOf(c), line, col, start);
    }

    private Token string(char quote, int col) {
        int start = pos;
        int startLine = line;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != quote) {
            char c = s.charAt(pos);
            if (c == '\n') {
                line++;
                lineStart = pos + 1;
            }
            if (c == '\\' && pos + 1 < s.length()) {
                char e = s.charAt(++pos);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 't' -> '\t';
                    default -> e;
                });
                pos++;
                continue;
            }
            sb.append(c);
            pos++;
        }
        if (pos >= s.length()) {
            problems.add(new ScriptException.Problem(file, startLine, col, "unterminated string"));
        } else {
            pos++;
        }
        return new Token(Token.Kind.STRING, sb.toString(), startLine, col, start);
    }

    /** {@code $name}, {@code $name(...)}, {@code $(...)}, with an optional {@code [index]}. */
    private Token pv(int col) {
        int start = pos;
        pos++;
        if (peek(0) == '$') {
            pos++;
            return new Token(Token.Kind.PV, "$$", line, col, start);
        }
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
            pos++;
        }
        if (peek(0) == '(') {
            int depth = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    break;
                } else if (c == '\n') {
                    break;
                }
            }
            if (depth != 0) {
                problems.add(new ScriptException.Problem(file, line, col, "unclosed '(' in pseudo-variable"));
            }
        }
        if (peek(0) == '[') {
            int close = s.indexOf(']', pos);
            if (close > 0 && s.indexOf('\n', pos) > close) {
                pos = close + 1;
            }
        }
        if (pos == start + 1) {
            problems.add(new ScriptException.Problem(file, line, col, "'$' without a pseudo-variable name"));
        }
        return new Token(Token.Kind.PV, s.substring(start, pos), line, col, start);
    }
}
