package org.siphon.core.internal.script;

/**
 * One token of a routing script, with where it starts (1-based line and column of the
 * preprocessed text) and its offset in that text.
 */
record Token(Kind kind, String text, int line, int column, int offset) {

    enum Kind { IDENT, NUMBER, STRING, PV, OP, EOF }

    boolean is(Kind k, String t) {
        return kind == k && text.equals(t);
    }

    boolean isOp(String t) {
        return kind == Kind.OP && text.equals(t);
    }

    boolean isWord(String t) {
        return kind == Kind.IDENT && text.equals(t);
    }

    @Override
    public String toString() {
        return kind == Kind.EOF ? "end of file" : "'" + text + "'";
    }
}
