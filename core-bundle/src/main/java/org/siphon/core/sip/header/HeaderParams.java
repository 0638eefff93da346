package org.siphon.core.sip.header;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.SipParseException;

/** Reads the {@code *( SEMI generic-param )} tail of a header value, and splits comma lists. */
final class HeaderParams {

    private HeaderParams() {
    }

    /** Parameters from the lexer's position up to a comma or the end; values kept as written. */
    public static Parameters parse(Lexer lx) {
        Parameters.Builder list = null;
        while (lx.accept(';')) {
            lx.skipWs();
            String name = lx.token();
            String value = "";
            if (lx.accept('=')) {
                lx.skipWs();
                if (lx.peek() == '"') {
                    int start = lx.pos();
                    lx.quoted();
                    value = lx.text().substring(start, lx.pos());
                } else {
                    int start = lx.pos();
                    while (!lx.atEnd()) {
                        char c = lx.peek();
                        if (c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                            break;
                        }
                        if (c == '"' || c == '<' || c == '>' || c < ' ') {
                            throw lx.error("bad character in parameter value");
                        }
                        lx.next();
                    }
                    value = lx.text().substring(start, lx.pos());
                    if (value.isEmpty()) {
                        throw lx.error("empty value for parameter " + name);
                    }
                }
            }
            if (list == null) {
                list = Parameters.builder();
            }
            list.add(name, value);
        }
        return list == null ? Parameters.NONE : list.build();
    }

    /** Splits a header value at commas outside quotes and angle brackets; empty elements are an error. */
    public static List<String> splitCommas(String value) {
        if (value.indexOf(',') < 0) {
            if (value.isBlank()) {
                throw new SipParseException("empty header value");
            }
            return List.of(value.trim());
        }
        List<String> parts = new ArrayList<>();
        Lexer lx = new Lexer(value);
        while (true) {
            String part = lx.until(",");
            if (part.isEmpty()) {
                throw new SipParseException("empty element in list \"" + value + "\"");
            }
            parts.add(part);
            if (lx.atEnd()) {
                return parts;
            }
            lx.next();
        }
    }

    /** Fails unless the lexer is at the end (after whitespace). */
    public static void requireEnd(Lexer lx, String what) {
        lx.skipWs();
        if (!lx.atEnd()) {
            throw lx.error("unexpected text after " + what);
        }
    }
}
