package org.siphon.core.sip.uri;

/** A URI of a scheme Siphon does not interpret (e.g. {@code http:}, {@code im:}), kept as written. */
public record OpaqueUri(String scheme, String text) implements Uri {

    @Override
    public String toString() {
        return text;
    }
}
