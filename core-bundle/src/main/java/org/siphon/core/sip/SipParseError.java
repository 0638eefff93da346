package org.siphon.core.sip;

/**
 * Why a received message is malformed, and what to answer: a request gets {@code status} with
 * {@code reason} as its reason phrase; a response is dropped.
 *
 * @param status the status code to answer with (400, 505, 513 ...)
 * @param reason a reason phrase naming the fault, e.g. {@code Missing Call-ID}
 */
public record SipParseError(int status, String reason) {
}
