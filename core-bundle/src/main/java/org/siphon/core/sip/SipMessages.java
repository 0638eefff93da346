package org.siphon.core.sip;

import org.siphon.core.internal.message.SipMessageParser;

/** Parses messages a module builds or keeps as bytes (e.g. the request tm sent on a branch). Thread-safe. */
public final class SipMessages {

    private SipMessages() {
    }

    /**
     * Parses one whole message with the core's default limits; never throws: a malformed message
     * comes back with {@link SipMessage#error()} set.
     */
    public static SipMessage parse(byte[] bytes) {
        return SipMessageParser.DEFAULT.parse(bytes, false);
    }

    /** As {@link #parse(byte[])}, keeping where the original came from. */
    public static SipMessage parse(byte[] bytes, SipSource source) {
        var m = SipMessageParser.DEFAULT.parse(bytes, false);
        m.source(source);
        return m;
    }

    /**
     * Lets go of what was parsed on demand (From, To, Contact, Route lists) and of the edit list,
     * keeping the message as received. For a holder that keeps a message long after it was
     * handled — a transaction waiting seconds for retransmissions — so that it weighs less. Call
     * it only when no route or module will edit or send the message again.
     */
    public static void trim(SipMessage message) {
        if (message instanceof org.siphon.core.internal.message.SipMessageImpl m) {
            m.trim();
        }
    }
}
