package org.siphon.core.sip;

import java.util.ServiceLoader;

import org.osgi.annotation.versioning.ProviderType;

/** Parses messages a module builds or keeps as bytes (e.g. the request tm sent on a branch). Thread-safe. */
public final class SipMessages {

    private static final Parser PARSER = ServiceLoader.load(Parser.class, SipMessages.class.getClassLoader())
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no SIP message parser beside " + SipMessages.class
                    + ": the API is used without the Siphon core (org.siphon:core-bundle) on the class path"));

    private SipMessages() {
    }

    /**
     * Parses one whole message with the core's default limits; never throws: a malformed message
     * comes back with {@link SipMessage#error()} set.
     */
    public static SipMessage parse(byte[] bytes) {
        return PARSER.parse(bytes, null);
    }

    /** As {@link #parse(byte[])}, keeping where the original came from. */
    public static SipMessage parse(byte[] bytes, SipSource source) {
        return PARSER.parse(bytes, source);
    }

    /**
     * The core's message parser behind {@link SipMessages}, found with {@link ServiceLoader} in the
     * core's own bundle. Implemented by the core only; modules call {@link SipMessages}.
     */
    @ProviderType
    public interface Parser {

        /** One whole message, never null, never throws; {@code source} may be null. */
        SipMessage parse(byte[] bytes, SipSource source);
    }
}
