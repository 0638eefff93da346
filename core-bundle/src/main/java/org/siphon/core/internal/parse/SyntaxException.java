package org.siphon.core.internal.parse;

/**
 * Thrown by the header and URI parsers for text that does not follow the grammar. Unchecked so
 * that parsers stay readable; everything that parses untrusted input catches it at its boundary
 * and turns it into a 400 reply or a log line.
 */
public final class SyntaxException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SyntaxException(String message) {
        super(message);
    }
}
