package org.siphon.core.sip;

/**
 * Thrown by the URI and header parsers of the API ({@code NameAddress.parse}, {@code Via.parse},
 * {@code UriParser.parse} …) for text that does not follow the grammar; the message says what and
 * where. Unchecked, as {@link IllegalArgumentException} it extends: code that parses untrusted
 * input catches it at its boundary and turns it into a 400 reply, a -1 return or a log line.
 */
public class SipParseException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public SipParseException(String message) {
        super(message);
    }
}
