package org.siphon.core.internal.message;

/**
 * The limits of the SIP parser, so that no input can make it allocate without bound.
 *
 * @param maxMessageSize largest message accepted, start line to end of body (default 65,535
 *                       bytes: the largest UDP datagram; larger messages get 513 Message Too Large)
 * @param maxHeaders     most header fields accepted (default 256; more is 400)
 * @param maxLineLength  longest start line or header field, folding included (default 16,384 bytes;
 *                       longer is 400)
 */
public record SipParserConfig(int maxMessageSize, int maxHeaders, int maxLineLength) {

    /** The defaults listed above. */
    public static final SipParserConfig DEFAULTS = new SipParserConfig(65_535, 256, 16_384);
}
