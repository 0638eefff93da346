package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.List;


/**
 * The token-level half of the script compiler: a cursor over the tokens, error reporting with
 * positions, and recovery after an error so that one pass reports every problem. Not thread-safe.
 */
abstract class TokenCursor {

    final Preprocessor.Result source;
    final List<ScriptException.Problem> problems = new ArrayList<>();
    final Lexer lexer;
    final List<Token> tokens;
    int p;

    TokenCursor(Preprocessor.Result source) {
        this.source = source;
        this.lexer = new Lexer(source.text(), "script", problems);
        this.tokens = lexer.tokens();
    }

    /** Turns a position in the preprocessed text into the file and line it came from. */
    ScriptException.Problem mapped(ScriptException.Problem pr) {
        if (pr.line() <= 0) {
            return pr;
        }
        return new ScriptException.Problem(source.fileOf(pr.line()), source.lineOf(pr.line()), pr.column(), pr.message());
    }

    /** Thrown to abandon a statement after an error; parsing resumes after the next ';' or '}'. */
    static final class Syntax extends RuntimeException {
        static final long serialVersionUID = 1L;

        Syntax() {
            super(null, null, false, false);
        }
    }

    void recover() {
        while (peek().kind() != Token.Kind.EOF && !peek().isOp(";") && !peek().isOp("}")) {
            p++;
        }
        if (peek().kind() != Token.Kind.EOF) {
            p++;
        }
    }

    /**
     * Skips to the end of the broken statement: a ';' or a whole {...} at this depth (with the
     * {@code else} branches of a broken {@code if}); stops before the enclosing block's '}'.
     */
    void recoverInBlock() {
        int depth = 0;
        while (peek().kind() != Token.Kind.EOF) {
            Token t = peek();
            if (t.isOp("{")) {
                depth++;
            } else if (t.isOp("}")) {
                if (depth == 0) {
                    return;
                }
                depth--;
                if (depth == 0) {
                    p++;
                    if (!peek().isWord("else")) {
                        return;
                    }
                }
            } else if (t.isOp(";") && depth == 0) {
                p++;
                return;
            }
            p++;
        }
    }

    Syntax error(Token at, String message) {
        problems.add(new ScriptException.Problem("script", at.line(), at.column(), message));
        return new Syntax();
    }

    Token peek() {
        return tokens.get(Math.min(p, tokens.size() - 1));
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(p + ahead, tokens.size() - 1));
    }

    Token next() {
        return tokens.get(Math.min(p++, tokens.size() - 1));
    }

    /** Consumes {@code op}; on a mismatch reports it and leaves the token for error recovery. */
    Token expect(String op) {
        Token t = peek();
        if (!t.isOp(op)) {
            throw error(t, "expected '" + op + "' but found " + t);
        }
        p++;
        return t;
    }

}
