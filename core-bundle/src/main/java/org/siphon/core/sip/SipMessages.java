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
}
