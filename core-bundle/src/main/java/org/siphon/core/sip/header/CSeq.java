package org.siphon.core.sip.header;

import org.siphon.core.sip.SipParseException;

/**
 * The CSeq header (RFC 3261 §20.16): a sequence number below 2^31 and a method. Immutable.
 */
public record CSeq(long number, String method) {

    public static CSeq parse(String value) {
        Lexer lx = new Lexer(value.trim());
        int start = lx.pos();
        while (!lx.atEnd() && Character.isDigit(lx.peek())) {
            lx.next();
        }
        String digits = lx.text().substring(start, lx.pos());
        if (digits.isEmpty() || digits.length() > 10) {
            throw new SipParseException("bad CSeq number in \"" + value + "\"");
        }
        long n = Long.parseLong(digits);
        if (n > 0x7fffffffL) {
            throw new SipParseException("CSeq number " + n + " is not below 2^31");
        }
        char c = lx.peek();
        if (c != ' ' && c != '\t') {
            throw new SipParseException("bad CSeq \"" + value + "\"");
        }
        lx.skipWs();
        String method = lx.token();
        lx.skipWs();
        if (!lx.atEnd()) {
            throw new SipParseException("bad CSeq \"" + value + "\"");
        }
        return new CSeq(n, method);
    }

    @Override
    public String toString() {
        return number + " " + method;
    }
}
