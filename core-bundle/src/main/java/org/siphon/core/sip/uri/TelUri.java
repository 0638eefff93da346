package org.siphon.core.sip.uri;

import org.siphon.core.sip.Parameters;

/**
 * A {@code tel:} URI (RFC 3966): the number as written (global numbers start with {@code +}) and
 * its parameters ({@code phone-context}, {@code ext}, ...). Immutable.
 */
public record TelUri(String number, Parameters params) implements Uri {

    @Override
    public String scheme() {
        return "tel";
    }

    /** Whether the number is global ({@code +} followed by digits and visual separators). */
    public boolean isGlobal() {
        return number.startsWith("+");
    }

    @Override
    public String toString() {
        return params.appendTo(new StringBuilder("tel:").append(number)).toString();
    }
}
